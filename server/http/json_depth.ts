/**
 * @module JSON nesting guard: a single pass over JSON text that tells whether arrays/objects nest
 * deeper than a limit, without parsing it (so hostile `[[[[…]]]]` bodies never reach a parser or
 * a downstream server).
 */

const OPEN_ARRAY = 0x5b; // [
const OPEN_OBJECT = 0x7b; // {
const CLOSE_ARRAY = 0x5d; // ]
const CLOSE_OBJECT = 0x7d; // }
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether `text` nests arrays/objects more than `max` levels deep. Brackets inside strings
 * (including escaped quotes) are ignored; malformed JSON is scanned the same way and left for the
 * parser to reject.
 * @param text JSON text
 * @param max deepest allowed nesting (a top-level `{}` is depth 1)
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === BACKSLASH) i++;
      else if (ch === QUOTE) inString = false;
      continue;
    }
    if (ch === QUOTE) inString = true;
    else if (ch === OPEN_ARRAY || ch === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (ch === CLOSE_ARRAY || ch === CLOSE_OBJECT) {
      if (depth > 0) depth--;
    }
  }
  return false;
}
