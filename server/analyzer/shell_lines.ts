/**
 * @module README shell lines: the command lines of shell-ish blocks and inline code spans
 * (continuations joined, prompts and comments dropped), with leading `KEY=value` assignments
 * split off.
 */
import type { ReadmeBlock } from "./readme_blocks.ts";
import { shellWords } from "./shell_words.ts";

/** One shell command line (continuations joined), with leading `KEY=value` assignments split off. */
export interface ShellCommand {
  words: string[];
  env: Record<string, string>;
  raw: string;
  block: ReadmeBlock;
  line: number;
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

/** Split a command line on `&&`, `||` and `;` outside quotes. */
export function splitCommands(raw: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote) {
      if (ch === quote) quote = null;
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === ";" || ((ch === "&" || ch === "|") && raw[i + 1] === ch)) {
      if (ch !== ";") i++;
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * Extract shell command lines from shell-ish blocks and inline code spans.
 * @param blocks blocks from `readmeBlocks`
 */
export function shellCommands(blocks: ReadmeBlock[]): ShellCommand[] {
  const out: ShellCommand[] = [];
  for (const block of blocks) {
    if (block.kind !== "inline" && !SHELL_LANGS.has(block.lang)) continue;
    if (block.kind !== "inline" && /^\s*[{[]/.test(block.text)) continue;
    const lines = block.text.split("\n");
    // `export KEY=value` lines set the env of the commands after them in the block.
    const exported: Record<string, string> = {};
    for (let i = 0; i < lines.length; i++) {
      const startLine = block.line + i;
      let raw = lines[i];
      while (/\\\s*$/.test(raw) && i + 1 < lines.length) {
        raw = raw.replace(/\\\s*$/, " ") + lines[++i].trim();
      }
      raw = raw.trim().replace(/^(\$|>|PS>|%)\s+/, "");
      if (!raw || raw.startsWith("#")) continue;
      raw = synopsisChoices(raw.replace(/\s+#\s.*$/, ""));
      // `cd server && uv run x.py`, `a; b`: each command on its own.
      for (const part of splitCommands(raw)) {
        const words = shellWords(part).words;
        const env: Record<string, string> = {};
        while (words.length && ASSIGN_RE.test(words[0])) {
          const m = words.shift()!.match(ASSIGN_RE)!;
          env[m[1]] = m[2];
        }
        if (words[0] === "export") {
          for (const w of words.slice(1)) {
            const m = w.match(ASSIGN_RE);
            if (m) exported[m[1]] = m[2];
          }
          continue;
        }
        if (!words.length) continue;
        out.push({ words, env: { ...exported, ...env }, raw: part, block, line: startLine });
      }
    }
  }
  return out;
}

/**
 * A usage synopsis as a command: `[stdio|sse|warmup]` becomes its stdio choice (else its first),
 * optional groups (`[--mount local:remote]`) and `[OPTIONS]` placeholders are dropped.
 */
export function synopsisChoices(line: string): string {
  return line
    .replace(/(^|\s)\[([\w.-]+(?:\|[\w.-]+)+)\](?=\s|$)/g, (_m, pre: string, list: string) => {
      const choices = list.split("|");
      return `${pre}${choices.find((c) => c === "stdio") ?? choices[0]}`;
    })
    .replace(/(^|\s)\[-[^\]]*\](?=\s|$)/g, "$1")
    // `[/path/to/allowed/directory ...]`: an optional argument that may repeat.
    .replace(/(^|\s)\[[^\[\]]*?\s?(?:\.\.\.|…)\](?=\s|$)/g, "$1")
    // `[OPTIONS]`, `[ARGS...]`: a synopsis's placeholder for what may follow.
    .replace(/(^|\s)\[(?:OPTIONS?|ARGS?|FLAGS?|ARGUMENTS?)(?:\.\.\.|…)?\](?=\s|$)/gi, "$1")
    .trim();
}
