/**
 * @module Variables that a README's prose names as environment variables ("Set the `FOO_TOKEN`
 * environment variable"), read sentence by sentence.
 */
import { defaultFrom, type EnvDoc, requiredFrom } from "./env_hints.ts";
import { plainText } from "./markdown.ts";
import { looksSecret } from "./env_names.ts";

/**
 * Variables a prose sentence names as environment variables ("Set the `FOO_TOKEN` environment
 * variable"): required only when the sentence says so.
 */
export function proseMentions(
  line: string,
  next: string,
  i: number,
  section: string,
  byHeading: boolean | null,
  docs: EnvDoc[],
): void {
  // A list item documenting a flag (`--key`: … alternative to `KEY` env var) describes the flag.
  if (/^\s*[-*+]\s+\**`?--?[a-z]/.test(line)) return;
  // "`from` (optional): the sender; if not provided "DEFAULT_FROM_EMAIL" will be used": a
  // variable a tool's argument falls back to is a default, not a setting the server needs.
  if (/\bif not (provided|given|specified|passed)\b|\bfalls? back to\b/i.test(line)) {
    for (const m of line.matchAll(/[`"']([A-Z][A-Z0-9]*_[A-Z0-9_]+)[`"']/g)) {
      if (docs.some((d) => d.key === m[1])) continue;
      const description = plainText(line).slice(0, 500);
      docs.push({ key: m[1], description, default: null, required: false, line: i + 1, section });
    }
  }
  // "Only `A`, `B` and `C` are required.": the keys a sentence lists as needed (unless a
  // condition follows: "… are required for HTTP mode").
  const listed = line.match(
    /((?:`?[A-Z][A-Z0-9]*_[A-Z0-9_]+`?\s*,\s*)*`?[A-Z][A-Z0-9]*_[A-Z0-9_]+`?\s*,?\s*(?:and|&)\s*`?[A-Z][A-Z0-9]*_[A-Z0-9_]+`?)\s+are (?:all )?required\b(?!\s+(?:for|when|if|only|with|in)\b)/,
  );
  // ("Either `A` or both `B` and `C` are required": alternatives, decided elsewhere.)
  const choice = /\b(either|or)\b/i.test(line);
  for (const key of (!choice && listed?.[1].match(/[A-Z][A-Z0-9]*_[A-Z0-9_]+/g)) || []) {
    const known = docs.filter((d) => d.key === key);
    for (const d of known) if (d.required === null) d.required = true;
    if (!known.length) {
      const description = plainText(line).slice(0, 500);
      docs.push({ key, description, default: null, required: true, line: i + 1, section });
    }
  }
  // (`KEY=<your-token>` counts only where the sentence says it must be set.)
  for (const m of line.matchAll(/`([A-Z][A-Z0-9]*_[A-Z0-9_]+)(=[^`\s]*)?`/g)) {
    if (docs.some((d) => d.key === m[1])) continue;
    // The sentence may go on in the next line of the paragraph (not into the next list item).
    const para = /^\s*$|^\s*[#|`]|^\s*([-*+]|\d{1,2}[.)])\s/.test(next)
      ? line
      : `${line} ${next.trim()}`;
    const start = Math.max(para.lastIndexOf(". ", m.index), 0);
    const end = para.indexOf(". ", m.index);
    const sentence = para.slice(start, end < 0 ? undefined : end + 1);
    if (!/\b(environment variables?|env vars?|env variables?)\b/i.test(sentence)) continue;
    const optional = requiredFrom(sentence) === false;
    const says = /\b(required|must|needs? to be set|needed|expects)\b/i.test(sentence) ||
      // "Set `POSTMAN_API_KEY` as an environment variable.": a credential the user must give.
      looksSecret(m[1]) &&
        new RegExp(`^\\W*set\\s+\`${m[1]}\`\\s+(as|in)\\b`, "i").test(sentence.trim());
    if (m[2] && !says) continue;
    docs.push({
      key: m[1],
      description: plainText(sentence).slice(0, 500),
      default: defaultFrom(sentence),
      // Under an optional/advanced/experimental heading a "must" is that feature's.
      // ("Only two env vars are required; `X` defaults to `standard`": X has a default.)
      required: optional || byHeading === false || defaultFrom(sentence) !== null
        ? false
        : says
        ? true
        : byHeading,
      line: i + 1,
      section,
    });
  }
}
