/**
 * @module Exposed names: every tool/prompt name the router emits matches
 * `^[a-zA-Z0-9_-]{1,64}$`; collisions are resolved deterministically, never fatal.
 */

/** The pattern clients accept for tool names. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

const MAX = 64;

/** A short stable hash (FNV-1a, base36) of a string. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, "0").slice(0, 7);
}

/** Replace characters clients reject and cap the length (adding a hash when cut). */
export function sanitizeName(raw: string): string {
  let name = raw.replace(/[^a-zA-Z0-9_-]/g, "_");
  if (name.length === 0) name = "_";
  if (name.length > MAX) name = `${name.slice(0, MAX - 8)}_${shortHash(raw)}`;
  return name;
}

/**
 * Assign unique valid names to `candidates` (in order). A clash gets a hash of the candidate's
 * identity appended, so the result depends only on the inputs.
 * @param candidates desired raw names with a stable identity each
 * @returns identity → exposed name
 */
export function assignNames(candidates: { raw: string; identity: string }[]): Map<string, string> {
  const byName = new Map<string, string>();
  const out = new Map<string, string>();
  const sorted = [...candidates].sort((a, b) => a.identity.localeCompare(b.identity));
  for (const c of sorted) {
    let name = sanitizeName(c.raw);
    if (byName.has(name)) {
      const suffix = `_${shortHash(c.identity)}`;
      name = `${name.slice(0, MAX - suffix.length)}${suffix}`;
      let n = 2;
      while (byName.has(name)) name = `${name.slice(0, MAX - 3)}_${n++}`.slice(0, MAX);
    }
    byName.set(name, c.identity);
    out.set(c.identity, name);
  }
  return out;
}

/** Scheme of rewritten resource URIs. */
const URI_PREFIX = "mcp-router://";

/**
 * Rewrite a downstream resource URI (or URI template) so it is unique and reversible: the
 * original follows the server name verbatim, so template variables stay fillable.
 */
export function wrapUri(server: string, uri: string): string {
  return `${URI_PREFIX}${server}/${uri}`;
}

/** Reverse {@linkcode wrapUri}; null when `uri` is not one of ours. */
export function unwrapUri(uri: string): { server: string; uri: string } | null {
  if (!uri.startsWith(URI_PREFIX)) return null;
  const rest = uri.slice(URI_PREFIX.length);
  const slash = rest.indexOf("/");
  if (slash <= 0) return null;
  return { server: rest.slice(0, slash), uri: rest.slice(slash + 1) };
}
