/**
 * @module What the words of and around a README's env docs say: a description's required/optional
 * and default words, the sentence right before a block
 * ("At minimum the server needs…:"), a list's intro ("The following … is required"), mode
 * comments heading a group of assignments (`# For cloud client`) and `//` comments inside a JSON
 * env object (`// OR Bearer Token`, `// … (optional)`).
 */
import type { ReadmeBlock } from "./readme_blocks.ts";

/** One documented environment variable. */
export interface EnvDoc {
  key: string;
  description: string;
  default: string | null;
  /** true: says required; false: says optional / alternative; null: silent. */
  required: boolean | null;
  line: number;
  section: string;
}

/** Prose right before a block saying its variables must be set. */
const NEEDS_CONTEXT_RE =
  /\b(at (a )?minimum|(server|it) needs|you (must|need to) (set|provide|export)|must be set|required:?\s*$|\bset( up)? the following (environment )?variables\b)|(^|[\s–—-])(provide|set) (an?|the|your|them|these) [^.:]{0,40}:\s*$/i;
/**
 * What a list's intro says of its variables: required ("The following … is required",
 * "**Required Configuration:**"), optional ("**Optional Configuration:**"), or nothing.
 */
export function introRequired(intro: string): boolean | null {
  // A bold label over the list ("**Required Configuration:**", "Optional settings:").
  const label = intro.replace(/[*_]/g, "").trim();
  if (/^(required|mandatory)\b[\w\s()-]{0,40}:?$/i.test(label)) return true;
  if (/^(optional|advanced)\b[\w\s()-]{0,40}:?$/i.test(label)) return false;
  // ("To use the Storage Lens functionality, you'll need to set …": that feature's.)
  if (/^\W*(to use|to enable|for|if|when|optionally)\b/i.test(label)) return null;
  return /\b(is|are) required\b|\byou (must|need to) set\b|\bset( up)? the following (environment )?variables\b/i
      .test(intro) &&
      !/\boptional/i.test(intro)
    ? true
    : null;
}

/**
 * `//` comments inside a JSON-ish env object: `// Basic Auth` … `// OR Bearer Token` … `// OR
 * API Key` groups are alternatives (none required alone); a group under `// … (optional …)` is
 * optional. Returns those keys (not required), each with its group's comment.
 */
export function jsonEnvComments(b: ReadmeBlock): { key: string; line: number; comment: string }[] {
  const out: { key: string; line: number; comment: string }[] = [];
  if (!/^\s*\/\/.*$/m.test(b.text) || !/"[A-Z][A-Z0-9_]{2,}"\s*:/.test(b.text)) return out;
  const groups: {
    comment: string;
    keys: { key: string; line: number }[];
    open: boolean;
    own?: true;
  }[] = [];
  b.text.split("\n").forEach((l, idx) => {
    const comment = l.match(/^\s*\/\/\s*(.*)$/)?.[1];
    if (comment !== undefined) {
      // Comment lines in a row are one note (`// Optional. If deploying …` over `// provide …`).
      const last = groups.at(-1);
      if (last && !last.keys.length && last.open) last.comment += ` ${comment}`;
      else groups.push({ comment, keys: [], open: true });
      return;
    }
    const last = groups.at(-1);
    if (last) last.open = false;
    const key = l.match(/^\s*"([A-Z][A-Za-z0-9_-]{2,})"\s*:/)?.[1];
    // `"KEY": "org_url"  // Optional. Default value: …`: the note of that line's key alone.
    const own = key
      ? l.match(/^\s*"[^"]+"\s*:\s*(?:"[^"]*"|[\w.-]+)\s*,?\s*\/\/\s*(.+)$/)?.[1]
      : undefined;
    if (key && own) {
      groups.push({ comment: own, keys: [{ key, line: b.line + idx }], open: false, own: true });
      // (The lines after it belong to no comment above.)
      groups.push({ comment: "", keys: [], open: false });
    } else if (key) groups.findLast((g) => !g.own)?.keys.push({ key, line: b.line + idx });
  });
  const or = groups.findIndex((g) => /^or\b/i.test(g.comment));
  groups.forEach((g, i) => {
    const alternative = or >= 0 && (i === or - 1 || /^or\b/i.test(g.comment));
    if (!alternative && !/\boptional\b/i.test(g.comment)) return;
    for (const { key, line } of g.keys) out.push({ key, line, comment: g.comment });
  });
  return out;
}

/** The last sentence of a block's context: the one right before the block. */
export function lastSentence(context: string): string {
  return context.split(/(?<=[.:!?])\s+/).at(-1) ?? "";
}

/** Whether the sentence right before a block (its context's last) says the block is needed. */
export function needsContext(context: string): boolean {
  const last = lastSentence(context);
  return NEEDS_CONTEXT_RE.test(last) && !/optional/i.test(last);
}
/** A comment naming the one mode a group of variables is for (`# For HTTP client`, `# If using SSO`). */
export const MODE_GROUP_RE =
  /^(for|if|when|with|only|to use|to enable|using)\b(?!.*\b(all|every|both|any)\b)(?!.*\brequired\b)/i;

/** What a variable's description says of it: required (true), optional (false), or nothing. */
export function requiredFrom(text: string): boolean | null {
  // The first sentence ("e.g." and "i.e." do not end one).
  const first = text.replace(/\b(e\.g|i\.e|etc|vs)\./gi, "$1").split(/(?<=\.)\s/)[0];
  const optional =
    /\b(optional|optionally|not required|alternative|instead of|if using|if you|in case of|if not set|when set|automatically (provided|set))\b/i;
  // "This variable must point to your install", "must be set to your key", with no condition
  // in that sentence (a later "If you haven't installed it, …" is advice, not a condition).
  if (
    /\b(must|needs? to) (be (set|provided|specified|defined|configured)|point to|contain)\b/i
      .test(first) &&
    !optional.test(first) &&
    !/\b(must|needs? to)\b[^.]*\b(when|if|unless|for (the )?\w+ (mode|transport))\b/i.test(first)
  ) return true;
  if (optional.test(text)) return false;
  if (/\b(opcional|optionnel|facultati[fv]o?|facoltativo)\b|可选|任意|選択/i.test(text)) {
    return false;
  }
  // Required by one tool or feature only ("required for `crumbs-attribution`").
  if (
    /\brequired (only )?(for|by) (the )?(`[^`]+`|[a-z0-9]+[-_][\w-]+\)|(\w+ ){1,2}(tools?|features?|functionality|commands?|endpoints?|models?|providers?|integrations?|services?|platforms?|auth|authentication|modes?|transports?|operations?|actions?))/i
      .test(text)
  ) return false;
  // Scoped to one feature, without a word of need ("Coinbase Project ID (for onramp
  // functionality)").
  if (/\(for (\w+[ -]){1,2}(functionality|features?|support)\)/i.test(text)) return false;
  // Required on a condition ("Required when `--host` is not loopback", "… when OAuth is enabled").
  if (
    /^\W*required (only )?(when|if|unless)\b/i.test(text) ||
    /\brequired (only )?(when|if) [^.]{0,60}\b(is|are) (enabled|set|used|on|true|configured)\b/i
      .test(text)
  ) return false;
  // Required for one action ("required for creating Atlas Search indexes").
  if (
    /\brequired (only )?(for|when) [a-z]{3,}ing\b/i.test(text) &&
    !/\brequired (for|when) using\b/i.test(text)
  ) {
    return false;
  }
  // Required only in another mode ("required for remote deployments", "when using custom models").
  if (
    /\brequired (only )?(for|when|if|with|in|on) (the )?(remote|https?|sse|streamable|docker|deploy\w*|production|self[- ]host\w*|using|custom|multi\w*)\b/i
      .test(text)
  ) return false;
  // A setting of the HTTP transport only ("Bearer token required to access the HTTP endpoint",
  // "… in HTTP mode").
  if (
    /\brequired to (access|reach|call|use|protect) (the )?(http|https|sse|streamable|remote)\b|\b(in|for) (the )?(http|sse|streamable[- ]http) (mode|transport)\b/i
      .test(text)
  ) return false;
  // Required only with another setting's value ("Required (=true) to start with `AUTH=false`").
  if (
    /\b[Rr]equired\b[^.]{0,80}?\b(when|if|with|to start with)\b[^.]{0,40}\b[A-Z][A-Z0-9_]{3,}=\S/
      .test(text)
  ) {
    return false;
  }
  // The first sentence, or a "(required)" anywhere.
  if (/\brequired\b|\bmandatory\b/i.test(first) || /\((required|mandatory)\)/i.test(text)) {
    return true;
  }
  // A later sentence that is the word alone ("API key from example.com/account. Required.").
  if (/(^|[.!;]\s+)\**(required|mandatory)\**([.!;](\s|$)|$)/i.test(text)) return true;
  // Other languages' "required" (pt/es/fr/de/it, zh/ja).
  if (
    /\b(obrigat[óo]ri[oa]|obligatori[oa]|obligatoire|requerid[oa]|erforderlich|pflicht|obbligatori[oa])\b|必填|必须|必需|必要/i
      .test(first)
  ) return true;
  return null;
}

/** The variable an options table's row names for its flag (`*env* \`X_BROWSER\``, `env: X`). */
export function envMention(row: string): string | null {
  return row.match(/\benv(?:ironment)?(?: var(?:iable)?)?\*?\s*[:=]?\s*`([A-Z][A-Z0-9_]{2,})`/i)
    ?.[1] ??
    null;
}

/** A "Default" cell that gives none (`None`, `-`, `(empty)`, `unset`). */
export const NO_DEFAULT_RE =
  /^\(?(none|null|n\/a|-|—|empty|unset|not set|no default|blank|""|)\)?$/i;

/** The default a description gives (`default: 8080`, `默认值：cn`), if any. */
export function defaultFrom(text: string): string | null {
  const m = text.match(
    /(?:\bdefault(?:s| value)?(?: is| to)?|默认值?(?:为|是)?|デフォルト値?(?:は)?|\bpor defecto\b|\bpar défaut\b|\bpadrão\b)\s*[:=：]?\s*["'`]?([^"'`),;）]+)["'`]?/i,
  );
  if (!m) return null;
  // (A sentence's full stop is not part of the value: "Default: main.")
  const v = m[1].trim().replace(/(?<=[a-z\d])\.$/i, "");
  return /^(none|null|n\/a|-|)$/i.test(v) ? null : v;
}
