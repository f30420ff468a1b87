/**
 * @module PEP 440 versions and specifiers, as much as choosing a PyPI release needs: parse and
 * order versions (`1.2`, `2026.10.19`, `2.0.0rc1`, `1.0.post1`, `1!2.0`) and test them against
 * specifier sets such as a package's `requires_python` (`>=3.10,<3.14`, `~=3.11`, `!=3.9.*`).
 * Pure.
 */

/** A parsed PEP 440 version. */
export interface Pep440Version {
  epoch: number;
  release: number[];
  /** Pre-release phase (`a`, `b`, `rc`) and number. */
  pre: [string, number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
}

const VERSION_RE = new RegExp(
  "^\\s*v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)" +
    "(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d+)?)?" +
    "(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?" +
    "(?:[-_.]?(dev)[-_.]?(\\d+)?)?" +
    "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$",
  "i",
);

const PHASE: Record<string, string> = {
  a: "a",
  alpha: "a",
  b: "b",
  beta: "b",
  c: "rc",
  rc: "rc",
  pre: "rc",
  preview: "rc",
};

/** Parse a version; null when it is not PEP 440. */
export function parseVersion(text: string): Pep440Version | null {
  const m = VERSION_RE.exec(text);
  if (!m) return null;
  const [, epoch, release, phase, preN, postDash, postWord, postN, dev, devN, local] = m;
  let post: number | null = null;
  if (postDash !== undefined) post = Number(postDash);
  else if (postWord !== undefined) post = Number(postN ?? 0);
  return {
    epoch: epoch ? Number(epoch) : 0,
    release: release.split(".").map(Number),
    pre: phase ? [PHASE[phase.toLowerCase()], Number(preN ?? 0)] : null,
    post,
    dev: dev !== undefined ? Number(devN ?? 0) : null,
    local: local ?? null,
  };
}

/** True for pre-releases and dev releases. */
export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== null || v.dev !== null;
}

function compareReleases(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

const PHASE_ORDER: Record<string, number> = { a: 0, b: 1, rc: 2 };

/** Order two parsed versions (negative, zero or positive), local labels ignored. */
export function compareParsed(a: Pep440Version, b: Pep440Version): number {
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch);
  const r = compareReleases(a.release, b.release);
  if (r !== 0) return r;
  // A dev release with no pre/post sorts before every pre-release of the same release.
  const preKey = (v: Pep440Version): number[] =>
    v.pre
      ? [PHASE_ORDER[v.pre[0]], v.pre[1]]
      : v.post === null && v.dev !== null
      ? [-1, 0]
      : [9, 0];
  const [pa, pb] = [preKey(a), preKey(b)];
  if (pa[0] !== pb[0]) return Math.sign(pa[0] - pb[0]);
  if (pa[1] !== pb[1]) return Math.sign(pa[1] - pb[1]);
  const postA = a.post ?? -1;
  const postB = b.post ?? -1;
  if (postA !== postB) return Math.sign(postA - postB);
  const devA = a.dev ?? Infinity;
  const devB = b.dev ?? Infinity;
  return devA === devB ? 0 : devA < devB ? -1 : 1;
}

/** Order two version strings; unparsable ones sort first. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [parseVersion(a), parseVersion(b)];
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a.localeCompare(b);
  return compareParsed(pa, pb);
}

function matchesPrefix(v: Pep440Version, prefix: string): boolean {
  const p = parseVersion(prefix);
  if (!p) return false;
  if (v.epoch !== p.epoch) return false;
  return p.release.every((n, i) => (v.release[i] ?? 0) === n);
}

/** Does `v` satisfy one clause (`>=3.10`, `==3.*`, `~=1.4.2`)? Unknown clauses hold. */
function satisfiesClause(v: Pep440Version, clause: string): boolean {
  const m = /^(===|~=|==|!=|<=|>=|<|>)\s*(\S+)$/.exec(clause.trim());
  if (!m) return true;
  const [, op, target] = m;
  if (op === "===") return false;
  if ((op === "==" || op === "!=") && target.endsWith(".*")) {
    const hit = matchesPrefix(v, target.slice(0, -2));
    return op === "==" ? hit : !hit;
  }
  const t = parseVersion(target);
  if (!t) return true;
  const c = compareParsed({ ...v, local: null }, t);
  switch (op) {
    case "==":
      return c === 0;
    case "!=":
      return c !== 0;
    case "<=":
      return c <= 0;
    case ">=":
      return c >= 0;
    case "<":
      return c < 0;
    case ">":
      return c > 0;
    case "~=": {
      if (c < 0 || t.release.length < 2) return c >= 0;
      const prefix = t.release.slice(0, -1);
      return prefix.every((n, i) => (v.release[i] ?? 0) === n);
    }
  }
  return true;
}

/**
 * Does a version satisfy a specifier set (comma-separated clauses; empty = anything)?
 * @example satisfies("3.13.5", ">=3.10,<3.14") // true
 */
export function satisfies(version: string, specifier: string | null | undefined): boolean {
  if (!specifier || !specifier.trim()) return true;
  const v = parseVersion(version);
  if (!v) return true;
  return specifier.split(",").filter((c) => c.trim()).every((c) => satisfiesClause(v, c));
}
