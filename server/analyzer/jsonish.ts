/**
 * @module Lenient JSON for README blocks: `jsonc-parser` reads comments and trailing commas;
 * typographic quotes (from copy-paste) become straight ones, and a bare `"key": value` fragment
 * is read as if wrapped in braces, up to three closing braces lost at the end are put back, and an
 * env pair typed with a comma for its colon (`{ "KEY", "value" }`) is read as a pair; a comma
 * forgotten at a line's end before the next `"key":` (or the next string of an array) is put
 * back, bare-word values are quoted and `# comments` dropped.
 * A block that is still not JSON yields nothing.
 */
import { parse, type ParseError } from "jsonc-parser";

/** Starts like JSON, after any leading comments. */
const JSON_START_RE = /^(?:\s*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/))*\s*[{["]/;
/** An object opening on `"ENV_KEY", "value"` (a comma where the colon belongs). */
const ENV_PAIR_TYPO_RE = /(\{\s*)("[A-Z][A-Z0-9_]*")\s*,\s*("(?:[^"\\\n]|\\.)*"\s*[,}])/g;
/** A line ending in a value with no comma, before a line opening on `"key":`. */
const MISSING_COMMA_RE = /("|\d|true|false|null|\}|\])([ \t]*\r?\n[ \t]*)(?="[^"\n]*"\s*:)/g;
/** A string ending a line in an array, before a line that is the next string (its comma lost). */
const MISSING_ITEM_COMMA_RE =
  /("(?:[^"\\\n]|\\.)*")([ \t]*\r?\n[ \t]*)(?="(?:[^"\\\n]|\\.)*"\s*(?:,|\]|\r?\n))/g;
/** A `# comment` after a value at a line's end (`"/Users/me/app", # the project path`). */
const HASH_COMMENT_RE = /([,"\d\]}[{])[ \t]+#[^\n]*$/gm;
/** A value that is a bare word (`"KEY": YOUR_CLIENT_ID,`), not a number or a JSON literal. */
const BARE_VALUE_RE = /(:\s*)([A-Za-z_][\w.-]*)(\s*[,}\n])/g;
const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };

/** The value of `text` when it parses with no error at all, else undefined. */
function parseClean(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, OPTIONS);
  return errors.length === 0 ? value : undefined;
}

/** The value of `text`, or of `{text}` (a bare `"key": value` fragment), when either is clean. */
function parseCleanOrWrapped(text: string): unknown {
  return parseClean(text) ?? parseClean(`{${text}}`);
}

/**
 * Parse JSON leniently: smart quotes, `//` and `/* *\/` comments and trailing commas are
 * tolerated; a bare `"key": value` fragment (even with a trailing comma) is wrapped in braces.
 * @param text a README block
 * @returns the parsed value, or undefined when the text is not JSON-ish (a truncated or
 *   malformed block included)
 */
export function parseJsonish(text: string): unknown {
  const normalised = text.replace(/[\u201c\u201d\u201e\u201f]/g, '"').replace(
    /[\u2018\u2019]/g,
    "'",
  ).trim()
    // Leading `# file name` lines, as READMEs put above a config.
    .replace(/^(?:#[^\n]*\n\s*)+(?=[{["])/, "");
  if (!JSON_START_RE.test(normalised)) return undefined;
  const whole = parseCleanOrWrapped(normalised);
  if (whole !== undefined) return whole;
  // `"env": { "API_TOKEN", "your-token" }`: a comma typed for the colon of an env pair.
  const paired = normalised.replace(ENV_PAIR_TYPO_RE, "$1$2: $3");
  if (paired !== normalised) {
    const value = parseClean(paired);
    if (value !== undefined) return value;
  }
  // `# comments`, a comma forgotten at a line's end before the next `"key":` (a hand-edited
  // example), and placeholders left unquoted (`"KEY": YOUR_CLIENT_ID,`).
  const commas = paired.replace(HASH_COMMENT_RE, "$1").replace(MISSING_COMMA_RE, "$1,$2")
    .replace(MISSING_ITEM_COMMA_RE, "$1,$2");
  const quoted = commas.replace(
    BARE_VALUE_RE,
    (m, pre: string, word: string, post: string) =>
      /^(true|false|null)$/.test(word) ? m : `${pre}"${word}"${post}`,
  );
  for (const repaired of new Set([commas, quoted])) {
    const value = repaired === paired ? undefined : parseCleanOrWrapped(repaired);
    if (value !== undefined) return value;
  }
  // A block whose last closing braces were lost in copy-paste (`}` short at the end).
  // (A block cut off mid-value, not ending in a brace, stays unread.)
  const closers = /[}\]],?$/.test(normalised) ? missingClosers(normalised) : "";
  return closers ? parseClean(normalised + closers) : undefined;
}

/** The `}`/`]` a text leaves open at its end (outside strings and comments), innermost first. */
function missingClosers(text: string): string {
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === "{" || c === "[") open.push(c === "{" ? "}" : "]");
    else if (c === "}" || c === "]") {
      if (open.pop() !== c) return "";
    }
  }
  return open.length <= 3 ? open.reverse().join("") : "";
}
