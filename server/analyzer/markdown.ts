/**
 * @module Markdown helpers shared by the README readers: prose lines with headings parsed, and
 * the bits of inline HTML READMEs use (tags stripped, common entities decoded).
 */

/** One line of markdown outside code fences. */
export interface ProseLine {
  /** The line as written. */
  text: string;
  /** Zero-based line index in the document. */
  index: number;
  /** The ATX heading on this line (`## Title`), or null. */
  heading: { level: number; text: string } | null;
}

const FENCE_RE = /^\s*(```|~~~)/;
const HEADING_RE = /^(#{1,6})\s+(.*)$/;

/**
 * The lines of a markdown document outside fenced code blocks (fence lines themselves skipped).
 * @param markdown the document
 */
export function* proseLines(markdown: string): Generator<ProseLine> {
  const lines = markdown.split(/\r?\n/);
  let inFence = false;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index];
    if (FENCE_RE.test(text)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const h = text.match(HEADING_RE);
    yield { text, index, heading: h ? { level: h[1].length, text: h[2] } : null };
  }
}

const HTML_ENTITIES: Record<string, string> = {
  "&quot;": '"',
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&#39;": "'",
  "&nbsp;": " ",
};

/** Decode the HTML entities READMEs use (`&quot;`, `&lt;`, `&gt;`, `&amp;`, `&#39;`, `&nbsp;`). */
export function decodeEntities(s: string): string {
  return s.replace(/&(quot|lt|gt|amp|#39|nbsp);/g, (m) => HTML_ENTITIES[m] ?? m);
}

/** Remove HTML tags, keeping their text. */
export function stripTags(s: string): string {
  return s.replace(/<[^>]+>/g, "");
}

/** The cells of a markdown table row (`| a | b |` → `["a", "b"]`), trimmed. */
export function tableCells(row: string): string[] {
  return row.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
}

/** A markdown fragment as plain text: tags, link targets, `*` and backticks dropped, spaces folded. */
export function plainText(s: string): string {
  return s.replace(/<[^>]+>/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[*`]/g, "")
    .replace(/\s+/g, " ").trim();
}
