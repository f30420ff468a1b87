/**
 * @module Environment variables documented in a README: table rows and list items under
 * environment/configuration headings, and `export KEY=…` lines; plus the secret guess and the
 * list of toolchain variables that are never server configuration.
 */
import type { ReadmeBlock } from "./readme_blocks.ts";
import { proseMentions } from "./env_mentions.ts";
import { ASSIGNED_KEY_RE, commentGroups, keysOfEveryGroup } from "./env_groups.ts";
import {
  defaultFrom,
  type EnvDoc,
  envMention,
  introRequired,
  jsonEnvComments,
  MODE_GROUP_RE,
  needsContext,
  NO_DEFAULT_RE,
  requiredFrom,
} from "./env_hints.ts";
import { plainText, proseLines, tableCells } from "./markdown.ts";

export type { EnvDoc };
import { isPlaceholder, looksSecret, notASetting, settingValues } from "./env_names.ts";

/** Sections whose content is about developing the server, not running it. */
export const DEV_SECTION_RE =
  /\b(develop|development|contribut|testing|tests?\b|debug|build(ing)? (from|locally)|local build|from source|evals?\b|evaluations?\b|inspector|releasing|release (process|notes)|changelog|troubleshoot|solu[çc][ãa]o de problemas|soluci[óo]n de problemas|d[ée]pannage|fehlerbehebung|desenvolvimento|desarrollo|d[ée]veloppement|entwicklung)|故障排除|开发|测试|贡献|トラブルシューティング|開発|テスト|貢献/i;
const ENV_SECTION_RE =
  /\b(env|environment|variables?|config|configur\w*|settings|options|setup)\b/i;
const KEY_RE = /^[A-Z][A-Z0-9_]{2,}$/;
/** Sections that walk through running the server. */
const USAGE_SECTION_RE =
  /\b(usage|quick ?start|getting started|running|run|start|setup|how to use)\b/i;
/** Headings whose variables are extras, never required (optional, advanced, TLS…). */
export const OPTIONAL_HEADING_RE =
  /\b(optional|advanced|tls|ssl|https|certificates?|tuning|experimental|beta|prox(y|ies))\b/i;
const REQUIRED_HEADING_RE = /\b(required|mandatory)\b/i;
/**
 * Headings of another way to serve (remote deployment, OAuth proxy, multi-user hosting): their
 * variables configure that mode, never the local launch — not required even when marked so.
 */
export const MODE_HEADING_RE =
  /\b(remote (deploy\w*|authori[sz]ation|hosting|server setup|mode)|oauth (proxy|setup|mode|deploy\w*)|deploy\w* (your own|a hosted|an? (remote|shared))|multi[- ]user|self[- ]host\w*|cloud run|(streamable[- ])?http transport|sse transport|http mode|deploy\w* (to|on) (cloud|gcp|aws|azure|vercel|cloudflare|fly|render|railway|heroku|kubernetes|k8s))\b/i;
/** A shell assignment of a variable (`export K=…`, `K=…`, PowerShell `$env:K=…`, cmd `set K=…`). */
const ASSIGNMENT_RE = /^\s*(?:export\s+|set\s+|\$env:)?([A-Z][A-Z0-9_]{2,})\s*=\s*\S/;

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

/** A `.env` line's setting: what it is and whether it is needed, others say. */
const bareDoc = { description: "", default: null, required: null } as const;

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
      const defCell = table.defCol >= 0 ? plainText(cells[table.defCol] ?? "") : "";
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
      const named = body.match(/^\**(`?)([A-Z][A-Z0-9_]{2,})`?\**\s*(?:[:—–=]|-\s|\(|$)/);
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
  for (const b of blocks) {
    if (b.kind !== "fence" || DEV_SECTION_RE.test(b.section)) continue;
    // "… via environment variables. Required for CLI and stdio MCP" above `export KEY=…` lines.
    const says = b.context.split(/(?<=[.!?;])\s+/).some((s) =>
      // (Only a sentence naming the local launch: others speak of a mode or one feature.)
      /\brequired\b[^.;]{0,40}\bstdio\b/i.test(s) && requiredFrom(s) === true
    );
    if (says) {
      b.text.split("\n").forEach((l, idx) => {
        const key = l.match(ASSIGNMENT_RE)?.[1];
        if (!key || docs.some((d) => d.key === key && d.required !== null)) return;
        const description = plainText(b.context).slice(0, 500);
        docs.push({
          key,
          description,
          default: null,
          required: true,
          line: b.line + idx,
          section: b.section,
        });
      });
    }
  }
  for (const b of blocks) {
    if (b.kind !== "fence" || DEV_SECTION_RE.test(b.section)) continue;
    for (const { key, line, comment } of jsonEnvComments(b)) {
      if (docs.some((d) => d.key === key && d.required !== null)) continue;
      const description = comment.slice(0, 500);
      docs.push({ key, description, default: null, required: false, line, section: b.section });
    }
  }
  for (const b of blocks) {
    if (b.kind !== "fence" || DEV_SECTION_RE.test(b.section)) continue;
    const lines = b.text.split("\n");
    // A comment heading a group of lines (`# For cloud client (Chroma Cloud)`) names the mode its
    // variables are for: they are needed only in that mode.
    // The comment heading each line's group, and the keys every group sets ("# For local SQL
    // Server" / "# Or for Windows Auth", each its own way): needed in each mode, not one mode's.
    const groups = commentGroups(lines);
    const everyMode = keysOfEveryGroup(lines, groups);
    lines.forEach((l, idx) => {
      const comment = l.match(/^\s*#\s*(.*)$/)?.[1];
      const group = groups[idx];
      const setKey = l.match(ASSIGNED_KEY_RE)?.[1];
      if (
        comment === undefined && MODE_GROUP_RE.test(group) && !everyMode.has(setKey ?? "") &&
        // (An assignment alone, not `KEY=… ./server` launching with it.)
        /^\s*(?:export\s+)?[A-Z][A-Z0-9_]{2,}=("[^"]*"|'[^']*'|\S*)\s*(#.*)?$/.test(l)
      ) {
        docs.push({
          key: setKey!,
          description: group.slice(0, 500),
          default: null,
          required: false,
          line: b.line + idx,
          section: b.section,
        });
        return;
      }
      // A `# Required` / `# Optional` comment heads its group of lines, not only the next one.
      const marked = group.match(/^\W*(required|mandatory|optional)\W*$/i)?.[1];
      if (comment === undefined && marked && setKey) {
        const required = !/optional/i.test(marked);
        docs.push({ ...bareDoc, key: setKey, required, line: b.line + idx, section: b.section });
        return;
      }
      // `KEY=value # Optional: …` in an env file, or `# API key (REQUIRED)` on the line above it:
      // the comment says so.
      const inline = l.match(/^\s*(?:export\s+)?([A-Z][A-Z0-9_]{2,})=\S*\s+#\s*(.*)$/);
      // (The comment lines just above, together: `# Optional: …` over `# Possible values: …`.)
      const aboveLines = [];
      for (let j = idx - 1; j >= 0 && /^\s*#/.test(lines[j]) && aboveLines.length < 3; j--) {
        aboveLines.unshift(lines[j].replace(/^\s*#\s*/, ""));
      }
      const above = !inline && !!setKey &&
        aboveLines.length > 0;
      const dotenv = inline ? { key: inline[1], comment: inline[2] } : above
        ? {
          key: setKey!,
          comment: aboveLines.join(" "),
        }
        : null;
      const says = dotenv ? requiredFrom(dotenv.comment) : null;
      if (dotenv && (says === false || (says === true && above))) {
        docs.push({
          key: dotenv.key,
          description: dotenv.comment.slice(0, 500),
          default: says ? null : defaultFrom(dotenv.comment),
          required: says,
          line: b.line + idx,
          section: b.section,
        });
        return;
      }
      const m = l.match(/^\s*export\s+([A-Z][A-Z0-9_]{2,})=(.*)$/);
      // A placeholder key exported (or written to `.env`) as its own step of running the server
      // must be filled (not one of a block of exports grouped by the kind of setup they are for).
      // (Distinct keys: "# Or for Windows Auth" exporting the same key again is one setting.)
      const exports = new Set(
        b.text.split("\n").map((x) => x.match(/^\s*export\s+([A-Za-z_]\w*)=/)?.[1]).filter(Boolean),
      ).size;
      const bare = !m && exports === 0 ? l.match(/^\s*([A-Z][A-Z0-9_]{2,})=(.*)$/) : null;
      const assigned = m ?? bare;
      const assignments = b.text.split("\n").filter((x) => /^\s*[A-Z][A-Z0-9_]{2,}=/.test(x));
      // A `.env` the README has the user create (```dotenv, "Create a file named `.env`") is a
      // step of running the server too.
      const dotenvFile = /^(dotenv|env)$/i.test(b.lang) || /`?\.env`?\b/.test(b.context);
      // (Not under a heading that calls the step optional: "Google Vision API Key (Optional)".)
      const optionalStep = OPTIONAL_HEADING_RE.test(b.section.split(" > ").pop() ?? "");
      const runStep = (USAGE_SECTION_RE.test(b.section) || dotenvFile) && !!assigned &&
        !optionalStep &&
        looksSecret(assigned[1]) &&
        // (The one blank to fill among them: a port or a sample URL beside it is no other blank.)
        (m ? exports === 1 : assignments.filter(blankToFill).length === 1) &&
        isPlaceholder(assigned[2].replace(/^["']|["']$/g, ""));
      if (bare && runStep) {
        docs.push({
          key: bare[1],
          description: (lines[idx - 1] ?? "").replace(/^\s*#\s*/, "").slice(0, 500),
          default: null,
          required: true,
          line: b.line + idx,
          section: b.section,
        });
      } else if (m && (ENV_SECTION_RE.test(b.section) || runStep)) {
        docs.push({
          key: m[1],
          description: "",
          default: null,
          // "At minimum the server needs …:" / "You must set:" just before the block.
          required: runStep || needsContext(b.context) ? true : null,
          line: b.line + idx,
          section: b.section,
        });
      } else if (bare && dotenvFile) {
        // A `.env` the user creates names settings of the server (whether needed, others say).
        docs.push({ ...bareDoc, key: bare[1], line: b.line + idx, section: b.section });
      }
    });
  }
  const values = settingValues(text);
  return docs.filter((d) => !notASetting(d.key) && !values.has(d.key)).map((d) =>
    // What a mode's own section says (an OAuth proxy's ✅ Required column) is that mode's, not
    // the local launch's. (The README's own title may name a mode: only sub-headings count.)
    d.required !== null && d.section.split(" > ").slice(1).some((h) => MODE_HEADING_RE.test(h))
      ? { ...d, required: null }
      : d
  );
}

/** A `KEY=value` line whose value is a placeholder to fill (`TOKEN="YOUR_TOKEN"`). */
function blankToFill(line: string): boolean {
  const m = line.match(/^\s*([A-Z][A-Z0-9_]{2,})=(.*)$/);
  return !!m && isPlaceholder(m[2].trim().replace(/^["']|["']$/g, ""));
}
