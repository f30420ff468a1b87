/**
 * @module Environment variables documented in a README: table rows and list items under
 * environment/configuration headings, headings naming a variable and prose mentions, together
 * with what its fenced blocks document (`env_blocks.ts`).
 */
import type { ReadmeBlock } from "./readme_blocks.ts";
import { proseMentions } from "./env_mentions.ts";
import { fencedEnvDocs } from "./env_blocks.ts";
import {
  defaultFrom,
  type EnvDoc,
  envMention,
  introRequired,
  NO_DEFAULT_RE,
  requiredFrom,
} from "./env_hints.ts";
import { plainText, proseLines, tableCells } from "./markdown.ts";
import { isPlaceholder, notASetting, settingValues } from "./env_names.ts";
import {
  DEV_SECTION_RE,
  ENV_SECTION_RE,
  KEY_RE,
  modeSection,
  OPTIONAL_HEADING_RE,
  REQUIRED_HEADING_RE,
} from "./sections.ts";

export type { EnvDoc };
/**
 * The variable a heading names, alone or with a marker (`` `AWS_PROFILE` (optional)``,
 * `DATABASE_URL (required)`); null for any other heading.
 */
function headingVariable(heading: string, i: number, section: string): EnvDoc | null {
  const m = heading.trim().match(
    /^\**(`?)([A-Z][A-Z0-9_]{2,})\1\**\s*(?:[(\[]\s*(required|optional|mandatory)\b[^)\]]*[)\]])?\s*$/i,
  );
  if (!m || !KEY_RE.test(m[2]) || (!m[1] && !m[2].includes("_")) || m[2].endsWith("_")) {
    return null;
  }
  const required = m[3] ? !/optional/i.test(m[3]) : null;
  return { key: m[2], description: "", default: null, required, line: i + 1, section };
}

function keyIn(cell: string, strict: boolean): string | null {
  const ticked = cell.match(/`([A-Za-z_][A-Za-z0-9_]*)`/);
  const first = plainText(cell).split(/\s/)[0] ?? "";
  const candidate = ticked?.[1] ?? first;
  // Two-letter names (`TZ`) count only when written as code.
  if (!KEY_RE.test(candidate) && !(ticked && /^[A-Z]{2}$/.test(candidate))) return null;
  // A prefix (`FASTMCP_SERVER_AUTH_`) names a family of variables, not one to fill.
  if (candidate.endsWith("_")) return null;
  // A cell of prose that mentions a word in code (`URL` resources) names no variable.
  if (ticked && first !== candidate && !candidate.includes("_")) return null;
  if (strict && !ticked && !candidate.includes("_")) return null;
  return candidate;
}

/**
 * Collect environment variables documented in the README (tables, list items, exports).
 * @param text README markdown
 * @param blocks blocks from `readmeBlocks` (for `export` lines)
 */
export function documentedEnv(text: string, blocks: ReadmeBlock[]): EnvDoc[] {
  const docs: EnvDoc[] = [];
  const allLines = text.split("\n");
  const headings: { level: number; text: string }[] = [];
  let table: { keyCol: number; descCol: number; defCol: number; reqCol: number } | null = null;
  let lastItem: EnvDoc | null = null;
  let intro = "";
  let para = "";
  // The variable a heading names (`#### \`AWS_REGION\` (optional)`): the lines under it describe it.
  let headed: EnvDoc | null = null;
  for (const { text: line, index: i, heading } of proseLines(text)) {
    if (heading) {
      while (headings.length && headings[headings.length - 1].level >= heading.level) {
        headings.pop();
      }
      headings.push({ level: heading.level, text: plainText(heading.text) });
      table = null;
      intro = "";
      para = "";
      headed = headingVariable(heading.text, i, headings.map((x) => x.text).join(" > "));
      if (headed && !DEV_SECTION_RE.test(headed.section)) docs.push(headed);
      continue;
    }
    if (headed && line.trim() && !/^\s*(\||```|~~~)/.test(line)) {
      const more = plainText(line.replace(/^\s*(?:[-*+]|\d{1,2}[.)])\s+/, ""));
      headed.description = `${headed.description} ${more}`.trim().slice(0, 500);
      headed.default ??= defaultFrom(more);
      headed.required ??= requiredFrom(more);
    }
    const section = headings.map((x) => x.text).join(" > ");
    const lastHeading = headings[headings.length - 1]?.text ?? "";
    const inDev = DEV_SECTION_RE.test(lastHeading);
    // "Optional variables" / "Required variables" / "TLS" / "Advanced" headings say it for
    // every variable under them that is silent itself.
    const byHeading = OPTIONAL_HEADING_RE.test(section)
      ? false
      : REQUIRED_HEADING_RE.test(lastHeading)
      ? true
      : null;
    if (/^\s*\|/.test(line)) {
      para = "";
      const cells = tableCells(line);
      if (/^[\s|:-]*-{2,}[\s|:-]*$/.test(line)) continue;
      if (!table) {
        const lower = cells.map((c) => plainText(c).toLowerCase());
        const keyCol = lower.findIndex((c) => /(name|variable|\bvars?\b|env|key|setting)/.test(c));
        if (keyCol >= 0) {
          const defCol = lower.findIndex((c) => /default/.test(c));
          const reqCol = lower.findIndex((c) => /required|mandatory/.test(c));
          const named = lower.findIndex((c) => /desc|purpose|meaning|notes?|details|usage/.test(c));
          // `| Variable | |`: the one other (unnamed) column describes the variable.
          const others = lower.map((_, i) => i).filter((i) =>
            i !== keyCol && i !== defCol && i !== reqCol
          );
          table = {
            keyCol,
            descCol: named >= 0 ? named : others.length === 1 ? others[0] : -1,
            defCol,
            reqCol,
          };
        } else table = { keyCol: 0, descCol: 1, defCol: -1, reqCol: -1 };
        // A header row holds no keys; fall through only when it does.
        if (keyIn(cells[table.keyCol] ?? "", true) === null) continue;
      }
      const named = keyIn(cells[table.keyCol] ?? "", true);
      // (A flags table's row naming its variable: an option, unless it says it is required.)
      const key = named ?? envMention(line);
      if (!key || inDev) continue;
      const description = table.descCol >= 0 ? plainText(cells[table.descCol] ?? "") : "";
      // (`_(none)_`, `*(empty)*`: emphasis around the cell's word is no part of it.)
      const defCell = table.defCol >= 0
        ? plainText(cells[table.defCol] ?? "").replace(/^([_*]+)(.*?)\1$/, "$2").trim()
        : "";
      const reqCell = table.reqCol >= 0 ? plainText(cells[table.reqCol] ?? "").toLowerCase() : "";
      let required = requiredFrom(description) ??
        (named ? byHeading ?? introRequired(intro) : false);
      if (reqCell) {
        // ("✅ (for custom OAuth)", "Yes (if using SSO)", "Yes only when `MODE=http`": one mode's.)
        required =
          /\((for|when|if|only|with)\b|^\W*(yes|required),? (only )?(when|if|for)\b/.test(reqCell)
            ? false
            // ("Yes*" with a footnote: "*Either `A` or both `B` and `C` are required" decides.)
            : /^\s*(yes|required|mandatory)\s*\\?\*+\s*$/i.test(cells[table.reqCol] ?? "")
            ? null
            // ("Not if HTTP transport is used with authentication, otherwise **Yes**": the local
            // launch's.)
            : /^not (if|when)\b[^,]*\b(https?|remote|sse|oauth|streamable)\b.*\botherwise\b\W*(yes|required)\b/
                .test(reqCell)
            ? true
            : /^(yes|y|true|required|mandatory|✓|✔|✅|☑|x\b|\*)/u.test(reqCell)
            ? true
            : /^(no|n|false|optional|conditional|depends|one of|either|❌|✗|✘|-$|—$)/u.test(reqCell)
            ? false
            : required;
      }
      // A "Default" column saying *Required* / Optional (in words, not a `value`): a required one.
      const rawDef = table.defCol >= 0 ? cells[table.defCol] ?? "" : "";
      const says = rawDef.includes("`") ? "" : defCell;
      // "Required: Yes" with a real default (`www.newark.com`): the default covers it.
      if (
        required && defCell && !NO_DEFAULT_RE.test(defCell) &&
        !says.match(/required|mandatory|optional/i) && !isPlaceholder(defCell)
      ) {
        required = false;
      }
      if (/^\(?(required|mandatory)\)?$/i.test(says)) required = true;
      else if (/^\(?optional\)?$/i.test(says) && required === null) required = false;
      const def = defCell && !NO_DEFAULT_RE.test(defCell) &&
          !/^\(?(required|mandatory|optional)\)?$/i.test(says)
        ? defCell
        : defaultFrom(description);
      docs.push({ key, description, default: def, required, line: i + 1, section });
      continue;
    }
    table = null;
    // (Numbered too: "1. `PLANE_API_KEY` - The user's API token.")
    const item = line.match(/^(\s*)(?:[-*+]|\d{1,2}[.)])\s+(.*)$/);
    // The prose line a list follows ("These are the available configuration options:").
    if (!item && line.trim()) {
      // (A paragraph's lines together; also a bold label: "**Required Configuration:**".)
      para = para ? `${para} ${line.trim()}` : line.trim();
      intro = /:[*_\s]*$/.test(line) || /\benvironment variables?\b/i.test(para) ? para : "";
    } else para = "";
    if (item && !inDev) {
      // ("- (required) `KEY`: …": the marker before the name says it.)
      const marker = item[2].match(/^[(\[]\s*(required|optional|mandatory)\s*[)\]]\s*/i);
      const body = marker ? item[2].slice(marker[0].length) : item[2];
      // (Also "- `MILVUS_TOKEN` is the token of …": a quoted name a sentence describes.)
      const named = body.match(/^\**(`?)([A-Z][A-Z0-9_]{2,})`?\**\s*(?:[:—–=]|-\s|\(|$)/) ??
        body.match(/^\**(`)([A-Z][A-Z0-9_]{2,})`\**\s+(?=(?:is|are)\s)/);
      // A bare capitalised word (`**WARNING:**`, `HTTP: 8123`) is a variable only in code.
      const key = named && (named[1] || named[2].includes("_")) && !named[2].endsWith("_")
        ? named[2]
        : undefined;
      // Only a variable of a list item has sub-items (not one a sentence above a list mentions).
      const last = docs[docs.length - 1];
      if (!key && item[1].length >= 2 && last && last === lastItem && last.line >= i - 3) {
        // An indented sub-item (`  * Default: 8443`) adds to the variable above it.
        const more = plainText(body);
        last.description = `${last.description} ${more}`.trim().slice(0, 500);
        last.default ??= defaultFrom(more);
        last.required ??= requiredFrom(more);
        last.line = i + 1;
        continue;
      }
      // A list introduced by "These are the available configuration options:" is one too.
      const envList = ENV_SECTION_RE.test(section) || ENV_SECTION_RE.test(intro);
      // (An indented `STRICT`: one value of the variable above, not a variable.)
      if (key && (key.includes("_") || (envList && item[1].length < 2))) {
        const rest = (marker ? `(${marker[1]}) ` : "") +
          plainText(body.replace(/^\**`?[A-Z][A-Z0-9_]{2,}`?\**\s*[:—–=-]?\s*/, ""));
        if (
          envList || /environment|env var/i.test(rest) ||
          /^\(?(required|optional|mandatory)\)?\b/i.test(rest)
        ) {
          lastItem = {
            key,
            description: rest.slice(0, 500),
            default: defaultFrom(rest),
            // ("The following environment variable is required …" above the list says it.)
            required: requiredFrom(rest) ?? byHeading ?? introRequired(intro),
            line: i + 1,
            section,
          };
          docs.push(lastItem);
        }
      }
    }
    if (!inDev) proseMentions(line, allLines[i + 1] ?? "", i, section, byHeading, docs);
  }
  docs.push(...fencedEnvDocs(blocks, docs));
  const values = settingValues(text);
  return docs.filter((d) => !notASetting(d.key) && !values.has(d.key)).map((d) =>
    // What a mode's own section says (an OAuth proxy's ✅ Required column) is that mode's, not
    // the local launch's. (The README's own title may name a mode: only sub-headings count.)
    d.required !== null && modeSection(d.section) ? { ...d, required: null } : d
  );
}
