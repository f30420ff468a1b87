/**
 * @module README summary: a README's title and first paragraph, and the tool names it lists
 * under a "Tools" heading.
 */
import { proseLines, stripTags } from "./markdown.ts";

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
