/**
 * @module Environment variables that a README's fenced blocks document: `export KEY=…` steps of
 * running the server, `.env` files the user creates, comments saying a line is required or
 * optional, groups of lines for one mode only, and `// comment` notes in JSON env objects.
 */
import type { ReadmeBlock } from "./readme_blocks.ts";
import { ASSIGNED_KEY_RE, commentGroups, keysOfEveryGroup } from "./env_groups.ts";
import {
  defaultFrom,
  type EnvDoc,
  jsonEnvComments,
  lastSentence,
  MODE_GROUP_RE,
  needsContext,
  requiredFrom,
} from "./env_hints.ts";
import { plainText } from "./markdown.ts";
import { isPlaceholder, looksSecret } from "./env_names.ts";
import {
  ASSIGNMENT_RE,
  DEV_SECTION_RE,
  ENV_SECTION_RE,
  OPTIONAL_HEADING_RE,
  USAGE_SECTION_RE,
} from "./sections.ts";

/** A step the sentence before it makes conditional ("… if you want search too:"). */
const CONDITIONAL_STEP_RE =
  /\bif you (?:want|wish|'d like|would like|prefer|plan)\b|\boptional(?:ly)?\b/i;

/** Blocks offered as ways to pick from, each one an alternative. */
const CHOOSE_ONE_RE =
  /\b(?:choose|pick|select|use) (?:only )?(?:one|either) of\b|\bone of the following (?:\w+ )?(?:methods|ways|options)\b/i;

/** A `.env` line's setting: what it is and whether it is needed, others say. */
const bareDoc = { description: "", default: null, required: null } as const;

/**
 * The variables the README's fenced blocks document, beside those already found in its prose.
 * @param blocks blocks from `readmeBlocks`
 * @param found what the prose documents (a key it already decides is not read again)
 */
export function fencedEnvDocs(blocks: ReadmeBlock[], found: readonly EnvDoc[]): EnvDoc[] {
  const docs: EnvDoc[] = [];
  const decided = (key: string) =>
    [...found, ...docs].some((d) => d.key === key && d.required !== null);
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
        if (!key || decided(key)) return;
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
      if (decided(key)) continue;
      const description = comment.slice(0, 500);
      docs.push({ key, description, default: null, required: false, line, section: b.section });
    }
  }
  // `# KEY=value (optional, defaults to …)`: a setting left commented out and said optional, in
  // any section (a test client's `.env` says it of the server's variable too).
  for (const b of blocks) {
    if (b.kind !== "fence") continue;
    b.text.split("\n").forEach((l, idx) => {
      const off = l.match(/^\s*#\s*([A-Z][A-Z0-9_]{2,})=\S*\s+(.*)$/);
      if (!off || decided(off[1]) || requiredFrom(off[2]) !== false) return;
      const description = off[2].replace(/^[(#\s]+|\)$/g, "").slice(0, 500);
      const line = b.line + idx;
      docs.push({
        key: off[1],
        description,
        default: null,
        required: false,
        line,
        section: b.section,
      });
    });
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
      const optionalStep = OPTIONAL_HEADING_RE.test(b.section.split(" > ").pop() ?? "") ||
        // ("Set the API key in your shell if you want both search and reading:")
        CONDITIONAL_STEP_RE.test(lastSentence(b.context)) ||
        // ("Choose one of the following authentication methods:" — each block one way.)
        CHOOSE_ONE_RE.test(b.context);
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
      } else if (
        bare && !optionalStep && blankToFill(l) && needsContext(b.context) &&
        /\b(required|must|needs?)\b/i.test(lastSentence(b.context))
      ) {
        // "The following environment variables are required:" over `KEY=value` lines.
        docs.push({
          ...bareDoc,
          key: bare[1],
          required: true,
          line: b.line + idx,
          section: b.section,
        });
      } else if (bare && dotenvFile) {
        // A `.env` the user creates names settings of the server (whether needed, others say).
        docs.push({ ...bareDoc, key: bare[1], line: b.line + idx, section: b.section });
      }
    });
  }
  return docs;
}

/** A `KEY=value` line whose value is a placeholder to fill (`TOKEN="YOUR_TOKEN"`). */
function blankToFill(line: string): boolean {
  const m = line.match(/^\s*([A-Z][A-Z0-9_]{2,})=(.*)$/);
  return !!m && isPlaceholder(m[2].trim().replace(/^["']|["']$/g, ""));
}
