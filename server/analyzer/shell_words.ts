/**
 * @module Shell words: split a documented command line (a README's shell line, an `npx:PKG args`
 * source) into words with `shell-quote`, the way a POSIX shell would (quotes, escapes, words
 * glued from quoted parts), stopping at the first control operator and dropping redirections.
 *
 * A README line is a template, not a script, so what a shell would expand stays literal: `$VAR`,
 * `${VAR}` and `$(cmd)` (never substituted), `<YOUR_KEY>` placeholders (not redirections), a `#`
 * or `&` inside a word (`git+https://…#subdirectory=x`, `?a=1&b=2`) and backslashes in Windows
 * paths (`C:\Users\me`). A trailing `\` (a continuation not joined) is dropped.
 */
// @ts-types="@types/shell-quote"
import { parse } from "shell-quote";

/** The words of a command line and whether anything after them was cut off. */
export interface ShellWords {
  /** Words of the first simple command. */
  words: string[];
  /**
   * True when a control operator (`|`, `&&`, `;`, `&`, `(`…) ended the command before the end of
   * the line (comments and redirections do not count).
   */
  truncated: boolean;
}

/**
 * Text kept literal: `$(…)`, `${…}`, `$`, `<placeholder>`, a `#` or `&` inside a word (URL
 * fragments and queries), `\` before a path character, and the sentinel characters themselves.
 */
const LITERAL_RE = new RegExp(
  [
    /\$\([^()\n]*\)/,
    /\$\{[^{}\n]*\}/,
    /\$/,
    /<[^<>\s](?:[^<>\n]*[^<>\s])?>/,
    /(?<=\S)#/,
    /(?<=[^\s<>&|])&(?=[^\s&])/,
    /\\(?=[A-Za-z0-9_.~-])/,
    /[\uE000\uE001]/,
  ].map((re) => re.source).join("|"),
  "g",
);
/** A file-descriptor number right before a redirection (`2>&1`). */
const FD_RE = /(?<=^|\s)\d(?=[<>])/g;
const OPEN = "\uE000";
const CLOSE = "\uE001";
const SENTINEL_RE = /\uE000(\d+)\uE001/g;
/** Redirection operators: dropped with their target word. */
const REDIRECTS = new Set(">> > < >& <& &> &>> >| <> << <<< <<-".split(" "));

/**
 * Split a command line into shell words.
 * @param line one line (continuations already joined)
 * @returns the first command's words; `truncated` when an operator cut the line short
 * @example
 * shellWords(`API_KEY="a b" npx -y pkg --token $TOKEN <DIR> | tee log`);
 * // → { words: ["API_KEY=a b", "npx", "-y", "pkg", "--token", "$TOKEN", "<DIR>"], truncated: true }
 */
export function shellWords(line: string): ShellWords {
  const kept: string[] = [];
  const fds = new Set<string>();
  const keep = (text: string) => `${OPEN}${kept.push(text) - 1}${CLOSE}`;
  const keepFd = (fd: string) => {
    const token = keep(fd);
    fds.add(token);
    return token;
  };
  const protectedLine = line.replace(/\\\s*$/, "").replace(LITERAL_RE, keep).replace(FD_RE, keepFd);
  const restore = (word: string) => word.replace(SENTINEL_RE, (_, i) => kept[Number(i)]);
  const entries = parse(protectedLine);
  const words: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (typeof entry === "string") {
      // A lone fd number glued to the redirection after it (`2>`) goes with it.
      const next = entries[i + 1];
      if (fds.has(entry) && typeof next === "object" && "op" in next && REDIRECTS.has(next.op)) {
        continue;
      }
      words.push(restore(entry));
      continue;
    }
    if ("comment" in entry) break;
    if (entry.op === "glob") {
      words.push(restore(entry.pattern));
      continue;
    }
    if (REDIRECTS.has(entry.op)) {
      if (typeof entries[i + 1] === "string") i++;
      continue;
    }
    return { words, truncated: true };
  }
  return { words, truncated: false };
}
