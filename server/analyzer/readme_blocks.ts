/**
 * @module README reading: code blocks (fenced and `<pre>`) with their section headings, lenient
 * JSON parsing of client-config blocks (`mcpServers`, `servers`, `mcp.servers`, bare entries,
 * `"env"` fragments) and shell command lines (fenced shell blocks and inline code).
 */
import { splitWords } from "./source_plan.ts";
import { proseLines } from "./markdown.ts";

/** One code block from the README. */
export interface ReadmeBlock {
  kind: "fence" | "pre" | "inline";
  lang: string;
  text: string;
  /** 1-based line of the block's first content line. */
  line: number;
  /** Heading path, e.g. `Installation > Usage with Claude Desktop > NPX`. */
  section: string;
  /** Up to three non-empty prose lines before the block. */
  context: string;
}

/** A server entry found in a client-config JSON block. */
export interface ConfigEntry {
  name: string;
  command: string | null;
  args: string[];
  env: Record<string, string>;
  url: string | null;
  type: string | null;
  headers: Record<string, string>;
  /** Which client-config shape held the entry. */
  container: "mcpServers" | "servers" | "other";
  block: ReadmeBlock;
  line: number;
}

/** An `"env": {…}` fragment with no command (e.g. "add this to your configuration"). */
export interface EnvFragment {
  env: Record<string, string>;
  block: ReadmeBlock;
}

/** One shell command line (continuations joined), with leading `KEY=value` assignments split off. */
export interface ShellCommand {
  words: string[];
  env: Record<string, string>;
  raw: string;
  block: ReadmeBlock;
  line: number;
}

const HTML_ENTITIES: Record<string, string> = {
  "&quot;": '"',
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&#39;": "'",
  "&nbsp;": " ",
};

function decodeEntities(s: string): string {
  return s.replace(/&(quot|lt|gt|amp|#39|nbsp);/g, (m) => HTML_ENTITIES[m] ?? m);
}

function stripTags(s: string): string {
  return s.replace(/<[^>]+>/g, "");
}

/**
 * Split a README into code blocks, each with its heading path and preceding prose, plus inline
 * code spans (as `inline` blocks).
 * @param text README markdown
 */
export function readmeBlocks(text: string): ReadmeBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: ReadmeBlock[] = [];
  const headings: { level: number; text: string }[] = [];
  const summaries: string[] = [];
  const prose: string[] = [];
  const section = () => [...headings.map((h) => h.text), ...summaries].filter(Boolean).join(" > ");
  const context = () => prose.slice(-3).join(" ");

  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = line.match(/^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/);
    if (fence) {
      const marker = fence[2];
      const lang = fence[3].toLowerCase();
      const body: string[] = [];
      const start = i + 2;
      i++;
      while (i < lines.length) {
        const close = lines[i].match(/^\s*(`{3,}|~{3,})\s*$/);
        if (close && close[1][0] === marker[0] && close[1].length >= marker.length) break;
        body.push(lines[i]);
        i++;
      }
      const indent = fence[1].length;
      const dedented = body.map((l) => l.slice(Math.min(indent, l.search(/\S|$/))));
      blocks.push({
        kind: "fence",
        lang,
        text: dedented.join("\n"),
        line: start,
        section: section(),
        context: context(),
      });
      i++;
      continue;
    }
    if (/<pre[\s>]/i.test(line)) {
      const body: string[] = [];
      const start = i + 1;
      let cur = line.replace(/^.*?<pre[^>]*>/i, "");
      for (;;) {
        const end = cur.search(/<\/pre>/i);
        if (end >= 0) {
          body.push(cur.slice(0, end));
          break;
        }
        body.push(cur);
        i++;
        if (i >= lines.length) break;
        cur = lines[i];
      }
      blocks.push({
        kind: "pre",
        lang: "",
        text: decodeEntities(stripTags(body.join("\n"))).trim(),
        line: start,
        section: section(),
        context: context(),
      });
      i++;
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/);
    if (heading) {
      const level = heading[1].length;
      while (headings.length && headings[headings.length - 1].level >= level) headings.pop();
      headings.push({ level, text: stripTags(heading[2]).replace(/[*_`]/g, "").trim() });
      summaries.length = 0;
    }
    const summary = line.match(/<summary>(.*?)<\/summary>/i);
    if (summary) summaries.push(stripTags(summary[1]).trim());
    if (/<\/details>/i.test(line)) summaries.pop();
    for (const m of line.matchAll(/`([^`\n]{4,400})`|<code>(.{4,400}?)<\/code>/g)) {
      const code = decodeEntities(stripTags(m[1] ?? m[2] ?? ""));
      blocks.push({
        kind: "inline",
        lang: "",
        text: code,
        line: i + 1,
        section: section(),
        context: stripTags(line).trim().slice(0, 300),
      });
    }
    if (line.trim() && !heading) prose.push(stripTags(line).trim().slice(0, 300));
    i++;
  }
  return blocks;
}

/**
 * Parse JSON leniently: smart quotes, `//` and `/* *\/` comments and trailing commas are
 * tolerated; a bare `"key": value` fragment is wrapped in braces.
 * @returns the parsed value, or undefined when the text is not JSON-ish
 */
export function parseJsonish(text: string): unknown {
  const normalised = text.replace(/[\u201c\u201d\u201e\u201f]/g, '"').replace(
    /[\u2018\u2019]/g,
    "'",
  );
  let out = "";
  let inString = false;
  for (let i = 0; i < normalised.length; i++) {
    const c = normalised[i];
    if (inString) {
      out += c;
      if (c === "\\") {
        out += normalised[++i] ?? "";
      } else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && normalised[i + 1] === "/") {
      while (i < normalised.length && normalised[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && normalised[i + 1] === "*") {
      const end = normalised.indexOf("*/", i + 2);
      i = end < 0 ? normalised.length : end + 1;
    } else out += c;
  }
  const cleaned = out.replace(/,(\s*[}\]])/g, "$1").trim();
  if (!cleaned || !/^[{["]/.test(cleaned)) return undefined;
  for (const candidate of [cleaned, `{${cleaned}}`, `{${cleaned.replace(/,\s*$/, "")}}`]) {
    try {
      return JSON.parse(candidate);
    } catch { /* try the next shape */ }
  }
  return undefined;
}

function asRecordOfStrings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === "string" || typeof val === "number" || typeof val === "boolean") {
        out[k] = String(val);
      }
    }
  }
  return out;
}

function lineOf(block: ReadmeBlock, needle: string): number {
  const idx = block.text.indexOf(needle);
  if (idx < 0) return block.line;
  return block.line + block.text.slice(0, idx).split("\n").length - 1;
}

/**
 * Extract server entries and env fragments from JSON-ish README blocks.
 * @param blocks blocks from {@linkcode readmeBlocks}
 */
export function configEntries(blocks: ReadmeBlock[]): {
  entries: ConfigEntry[];
  fragments: EnvFragment[];
} {
  const entries: ConfigEntry[] = [];
  const fragments: EnvFragment[] = [];
  for (const block of blocks) {
    if (block.kind === "inline") continue;
    if (!/^\s*[{"]/.test(block.text)) continue;
    const parsed = parseJsonish(block.text);
    if (parsed === undefined || typeof parsed !== "object" || parsed === null) continue;
    const walk = (value: unknown, path: string[], depth: number) => {
      if (depth > 8 || !value || typeof value !== "object" || Array.isArray(value)) return;
      const obj = value as Record<string, unknown>;
      const command = typeof obj.command === "string" ? obj.command : null;
      const url = typeof obj.url === "string"
        ? obj.url
        : typeof obj.serverUrl === "string"
        ? obj.serverUrl
        : null;
      if (command || url) {
        const name = path[path.length - 1] ?? "";
        const joined = path.join(".").toLowerCase();
        const container = /mcpservers|mcp_servers/.test(joined)
          ? "mcpServers"
          : /servers/.test(joined)
          ? "servers"
          : "other";
        entries.push({
          name,
          command,
          args: Array.isArray(obj.args) ? obj.args.map((a) => String(a)) : [],
          env: asRecordOfStrings(obj.env),
          url,
          type: typeof obj.type === "string"
            ? obj.type
            : typeof obj.transport === "string"
            ? obj.transport
            : null,
          headers: asRecordOfStrings(obj.headers),
          container,
          block,
          line: lineOf(block, command ? `"command"` : `"url"`),
        });
        return;
      }
      if (path.length === 0 && obj.env && typeof obj.env === "object") {
        const env = asRecordOfStrings(obj.env);
        if (Object.keys(env).length) fragments.push({ env, block });
      }
      for (const [k, v] of Object.entries(obj)) walk(v, [...path, k], depth + 1);
    };
    walk(parsed, [], 0);
  }
  return { entries, fragments };
}

const SHELL_LANGS = new Set([
  "",
  "bash",
  "sh",
  "shell",
  "zsh",
  "console",
  "terminal",
  "shellscript",
]);
const ASSIGN_RE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/**
 * Extract shell command lines from shell-ish blocks and inline code spans.
 * @param blocks blocks from {@linkcode readmeBlocks}
 */
export function shellCommands(blocks: ReadmeBlock[]): ShellCommand[] {
  const out: ShellCommand[] = [];
  for (const block of blocks) {
    if (block.kind !== "inline" && !SHELL_LANGS.has(block.lang)) continue;
    if (block.kind !== "inline" && /^\s*[{[]/.test(block.text)) continue;
    const lines = block.text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const startLine = block.line + i;
      let raw = lines[i];
      while (/\\\s*$/.test(raw) && i + 1 < lines.length) {
        raw = raw.replace(/\\\s*$/, " ") + lines[++i].trim();
      }
      raw = raw.trim().replace(/^(\$|>|PS>|%)\s+/, "");
      if (!raw || raw.startsWith("#")) continue;
      raw = raw.replace(/\s+#\s.*$/, "");
      const words = splitWords(raw);
      const env: Record<string, string> = {};
      while (words.length && ASSIGN_RE.test(words[0])) {
        const m = words.shift()!.match(ASSIGN_RE)!;
        env[m[1]] = m[2];
      }
      if (words[0] === "export" || !words.length) continue;
      out.push({ words, env, raw, block, line: startLine });
    }
  }
  return out;
}

/** Title (first H1) and first prose paragraph of a README. */
export function readmeSummary(text: string): { title: string; summary: string } {
  let title = "";
  let summary = "";
  for (const { text: line, heading } of proseLines(text)) {
    if (heading?.level === 1 && !title) {
      title = stripTags(heading.text).replace(/[*_`]/g, "").trim();
      continue;
    }
    const t = line.trim();
    if (
      title && !summary && t && !t.startsWith("#") && !t.startsWith("<") && !t.startsWith("[!") &&
      !t.startsWith("![") && !t.startsWith("[![") && !t.startsWith(">") && !t.startsWith("|")
    ) {
      summary = stripTags(t).replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[*_`]/g, "");
    }
    if (title && summary) break;
  }
  return { title: title.slice(0, 200), summary: summary.slice(0, 1000) };
}

/**
 * Tool names a README lists under a "Tools" heading (backticked identifiers starting list items
 * or sub-headings).
 * @param text README markdown
 */
export function detectTools(text: string): string[] {
  const tools: string[] = [];
  let inTools = false;
  let toolsLevel = 0;
  for (const { text: line, heading } of proseLines(text)) {
    if (heading) {
      const level = heading.level;
      if (/\btools?\b/i.test(heading.text) && !/\b(dev|developer|build)\b/i.test(heading.text)) {
        inTools = true;
        toolsLevel = level;
      } else if (inTools && level <= toolsLevel) inTools = false;
      if (inTools) {
        const m = heading.text.match(/`([a-z][a-z0-9_.-]{1,63})`/);
        if (m && !tools.includes(m[1])) tools.push(m[1]);
      }
      continue;
    }
    if (!inTools) continue;
    // Top-level items only (nested items are usually parameters), and not "`x` (string)" params.
    const item = line.match(/^(?:[-*+]|\d+\.)\s+\**`([a-z][a-z0-9_.-]{1,63})`\**(.*)$/);
    if (
      item && !tools.includes(item[1]) && item[1] !== "null" &&
      !/^\s*\((string|number|integer|boolean|array|object|json|optional|required)\b/i.test(
        item[2],
      ) &&
      !/_(string|number|integer|boolean)_\s*$/i.test(item[2])
    ) tools.push(item[1]);
    if (tools.length >= 100) break;
  }
  return tools;
}
