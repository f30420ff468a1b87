/**
 * @module README scanner: the code blocks of a README (fenced and `<pre>`) and its inline code
 * spans, each with its heading path and the prose before it; one-click install links count as
 * config blocks of their client.
 */
import { decodeEntities, stripTags } from "./markdown.ts";
import { installLinks, installLinkSection } from "./install_links.ts";
import { parseJsonish } from "./jsonish.ts";

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
    // "```code ~/Library/…/claude_desktop_config.json```": a one-line block, opened and closed.
    const oneLine = line.match(/^\s*(`{3,})([^`]+)\1\s*$/);
    if (oneLine) {
      // (`code FILE` opens the file in an editor: text, not a command of the server.)
      const shell = oneLine[2].match(/^\s*(bash|sh|shell|console)\s+(.*)$/i);
      const editor = /^\s*(code|open|cat|nano|vim?|notepad|subl)\s/i.test(oneLine[2]);
      blocks.push({
        kind: "fence",
        lang: shell ? "bash" : editor ? "text" : "",
        text: (shell ? shell[2] : oneLine[2]).trim(),
        line: i + 1,
        section: section(),
        context: context(),
      });
      i++;
      continue;
    }
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
    if (/^\s*\{\s*$/.test(line) && /"mcpServers"|"servers"|"command"/.test(lines[i + 1] ?? "")) {
      // A config object pasted without a code fence: up to the brace that closes it.
      const body: string[] = [];
      let depth = 0;
      const start = i + 1;
      while (i < lines.length && body.length < 200) {
        body.push(lines[i]);
        for (const ch of lines[i].replace(/"(?:[^"\\]|\\.)*"/g, "")) {
          if (ch === "{") depth++;
          else if (ch === "}") depth--;
        }
        i++;
        if (depth <= 0) break;
      }
      blocks.push({
        kind: "fence",
        lang: "json",
        text: body.join("\n"),
        line: start,
        section: section(),
        context: context(),
      });
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
    for (const link of installLinks(line)) {
      // A one-click install link is the client's config entry: a config block of that client.
      const container = link.client === "VS Code" ? "servers" : "mcpServers";
      blocks.push({
        kind: "fence",
        lang: "json",
        text: JSON.stringify({ [container]: { [link.name]: link.config } }, null, 2),
        line: i + 1,
        section: installLinkSection(section(), link.client),
        context: context(),
      });
    }
    // A client's form written out ("- **Command:** `node`" over "- **Args:** `["…/index.js"]`"):
    // that client's config entry.
    const form = formEntry(lines, i);
    if (form) {
      blocks.push({
        kind: "fence",
        lang: "json",
        text: JSON.stringify({ mcpServers: { server: form } }, null, 2),
        line: i + 1,
        section: section(),
        context: context(),
      });
    }
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

/** "- **Command:** `node`", "Args: `[…]`": a form field's label and its code value. */
const formFieldRe = (name: string) =>
  new RegExp(`^\\s*(?:[-*+]\\s+)?\\**(?:${name})\\**\\s*:?\\s*\\**:?\\s*\`([^\`]+)\``, "i");
const COMMAND_FIELD_RE = formFieldRe("command");
const ARGS_FIELD_RE = formFieldRe("args|arguments");

/** A "Command: `X`" line, and an "Args: `[…]`" line just below it: the entry a client's form takes. */
function formEntry(lines: string[], i: number): { command: string; args: string[] } | null {
  const command = lines[i].match(COMMAND_FIELD_RE)?.[1];
  if (!command || /\s/.test(command.trim())) return null;
  for (const next of lines.slice(i + 1, i + 4)) {
    const raw = next.match(ARGS_FIELD_RE)?.[1];
    if (raw === undefined) continue;
    // (The README's own JSON reader: smart quotes and trailing commas are the prose's.)
    const args = parseJsonish(raw);
    return Array.isArray(args) && args.every((a) => typeof a === "string")
      ? { command, args }
      : null;
  }
  return null;
}
