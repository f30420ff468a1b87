/**
 * @module Lenient JSON for README blocks: `jsonc-parser` reads comments and trailing commas;
 * typographic quotes (from copy-paste) become straight ones, and a bare `"key": value` fragment
 * is read as if wrapped in braces. A block that is still not JSON yields nothing.
 */
import { parse, type ParseError } from "jsonc-parser";

/** Starts like JSON, after any leading comments. */
const JSON_START_RE = /^(?:\s*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/))*\s*[{["]/;
const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };

/** The value of `text` when it parses with no error at all, else undefined. */
function parseClean(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, OPTIONS);
  return errors.length === 0 ? value : undefined;
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
    .replace(/^(?:#[^\n]*\n\s*)+(?=[{[])/, "");
  if (!JSON_START_RE.test(normalised)) return undefined;
  for (const candidate of [normalised, `{${normalised}}`]) {
    const value = parseClean(candidate);
    if (value !== undefined) return value;
  }
  return undefined;
}
