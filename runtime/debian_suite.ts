/**
 * @module Debian suites: which Debian release a base image reference names (`…-base:trixie`,
 * `debian:bookworm-slim`, `debian:13`), the suite the router builds by default, and the Python
 * each suite ships (the uv image runs Debian's `python3`; no managed Python is downloaded).
 */

/**
 * The suite of the default base image. Debian 13 "trixie" ships Python 3.13, which every one of
 * 34 popular PyPI MCP servers surveyed accepts (bookworm's 3.11 misses 4 of them; see README
 * "Runtime images").
 */
export const DEFAULT_SUITE = "trixie";

/** Python version of each Debian suite's `python3` package. */
export const SUITE_PYTHON: Readonly<Record<string, string>> = {
  bullseye: "3.9.2",
  bookworm: "3.11.2",
  trixie: "3.13.5",
};

const SUITE_BY_NUMBER: Readonly<Record<string, string>> = {
  "11": "bullseye",
  "12": "bookworm",
  "13": "trixie",
};

/**
 * The Debian suite an image reference names by its tag, or null when the tag says nothing.
 * @example suiteOfImage("localhost/mcp-router-base:trixie") // "trixie"
 * @example suiteOfImage("docker.io/library/debian:12-slim") // "bookworm"
 */
export function suiteOfImage(ref: string): string | null {
  const noDigest = ref.split("@")[0];
  const colon = noDigest.lastIndexOf(":");
  if (colon <= noDigest.lastIndexOf("/")) return null;
  const first = noDigest.slice(colon + 1).toLowerCase().split(/[-_.]/)[0];
  if (first in SUITE_PYTHON) return first;
  return SUITE_BY_NUMBER[first] ?? null;
}

/** The Python version of the suite an image reference names, or null when unknown. */
export function pythonOfImage(ref: string): string | null {
  const suite = suiteOfImage(ref);
  return suite ? SUITE_PYTHON[suite] ?? null : null;
}
