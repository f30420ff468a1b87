/**
 * @module What a README's prose recommends ("Docker (Recommended)", "the hosted server is the
 * fastest way", "we recommend uvx"), as launch runtimes.
 */
import type { Launch } from "./launch.ts";

/**
 * The ways a README's prose recommends ("Docker (Recommended)", "The remote MCP is
 * recommended", "we recommend uvx"), as runtimes.
 * @param text README markdown
 */
export function recommendedRuntimes(text: string): Set<Launch["runtime"]> {
  const out = new Set<Launch["runtime"]>();
  // Lines wrapped inside a paragraph are one sentence ("…is to point your MCP\nclient at…").
  // (Not into a code fence, nor a heading into its first line: "### Shared server (recommended)"
  // over "Build the image:" is no sentence about images.)
  const prose = text.split("\n").reduce((acc, line, i, all) => {
    const prev = all[i - 1] ?? "";
    const joins = i > 0 && prev !== "" && !prev.startsWith("#") &&
      /^([A-Za-z(]|`(?!``))/.test(line);
    return i === 0 ? line : `${acc}${joins ? " " : "\n"}${line}`;
  }, "");
  for (const said of prose.split(/(?<=[.!?])\s+|\n/)) {
    if (
      !/\brecommend(ed|s)?\b|\bstart with the\b|\bmost users\b|\b(the )?(fastest|easiest|simplest|quickest) way\b/i
        .test(said)
    ) continue;
    // "no local install, no `uvx`": a way named to be left out.
    const sentence = said.replace(
      /\b(no|without|instead of|rather than)\s+[`'"]?[\w-]+[`'"]?/gi,
      "",
    );
    // "recommended for self-hosting": a recommendation within one way, not of it.
    if (
      /\brecommended for\b/i.test(sentence) && !/\brecommended for (most|all)\b/i.test(sentence)
    ) {
      continue;
    }
    if (/\b(not|n't|no longer) (be )?recommended\b|\bdeprecated\b/i.test(sentence)) continue;
    if (/\b(docker|container|image)\b/i.test(sentence)) out.add("image");
    // ("For a hassle-free setup, we recommend using the HTTP protocol": its hosted endpoint.)
    if (
      /\b(remote|hosted|cloud[- ]hosted)\b|\b(streamable[- ])?http (protocol|version|endpoint)\b/i
        .test(sentence)
    ) out.add("remote");
    if (/\b(npx|npm package)\b/i.test(sentence)) out.add("npx");
    if (/\b(uvx|uv tool|pip|pypi)\b/i.test(sentence)) out.add("uvx");
  }
  // Several ways recommended at once say nothing.
  return out.size === 1 ? out : new Set();
}
