/**
 * @module Where a planned server is reached: the port and path an image serves HTTP/SSE on (from
 * the README's client blocks), and an endpoint's placeholder query key turned into `${KEY}`.
 */
import type { Launch } from "./launch.ts";
import { readmeBlocks } from "./readme_blocks.ts";
import { configEntries } from "./config_entries.ts";
import { isPlaceholder } from "./env_names.ts";
import { type Candidate, LOCAL_HOST_RE } from "./candidates.ts";

/**
 * An image run detached with published ports that the README's client blocks reach at
 * `http://localhost:PORT/…` (or a placeholder host): the image serves HTTP/SSE on that port.
 */
export function servedEndpoint(
  best: Candidate,
  blocks: ReturnType<typeof readmeBlocks>,
): { transport: Launch["transport"]; port: number; path: string } | Record<string, never> {
  if (best.runtime !== "image" || best.transport !== "stdio" || !best.published?.length) return {};
  for (const e of configEntries(blocks).entries) {
    const url = e.url && LOCAL_HOST_RE.test(e.url) ? URL.parse(e.url) : null;
    if (!url) continue;
    const hostPort = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const mapping = best.published.find((p) => p.host === hostPort);
    if (!mapping) continue;
    const path = url.pathname && url.pathname !== "/" ? url.pathname : "/mcp";
    return { transport: /\/sse\/?$/.test(path) ? "sse" : "http", port: mapping.container, path };
  }
  return {};
}

/** A header name no header has: marks the URL's templated key for the env planner. */
export const QUERY_KEY_MARK = "x-mcp-router-url-key";

/**
 * The endpoint with a placeholder key in its path (`https://mcp.x.com/YOUR_X_API_KEY/mcp`)
 * replaced by `${X_API_KEY}`, when the README or manifests name that variable or the placeholder
 * itself names a key (`…_API_KEY`, `…_TOKEN`).
 */
function pathKeyTemplate(
  url: string,
  knownKeys: ReadonlySet<string>,
  text: string,
): { url: string; key: string } | null {
  const m = url.match(
    /^(https?:\/\/[^/?#]+(?:\/[^/?#]*)*?\/)(?:YOUR|MY)[_-]([A-Za-z0-9_-]{3,60})(?=[/?#]|$)/,
  );
  if (!m) return null;
  const key = m[2].toUpperCase().replace(/-/g, "_");
  const named = knownKeys.has(key) || new RegExp(`\\b${key}\\b`).test(text);
  if (!named && !/(^|_)(API_KEY|KEY|TOKEN|SECRET)$/.test(key)) return null;
  const at = m[1].length;
  const end = at + m[0].length - m[1].length;
  return { url: `${url.slice(0, at)}\${${key}}${url.slice(end)}`, key };
}

/**
 * The endpoint with a placeholder query value (`?apiKey=YOUR_API_KEY`) replaced by `${KEY}`,
 * where KEY is the one env var the README names for it (`REF_API_KEY` for `apiKey`), or with a
 * placeholder key in its path (`/YOUR_X_API_KEY/mcp`) replaced by `${X_API_KEY}`.
 */
export function queryKeyTemplate(
  url: string | null,
  knownKeys: ReadonlySet<string>,
  text: string,
): { url: string; key: string } | null {
  if (!url) return null;
  const inPath = pathKeyTemplate(url, knownKeys, text);
  if (inPath) return inPath;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  for (const [name, value] of parsed.searchParams) {
    if (!isPlaceholder(value) || !/key|token|secret/i.test(name)) continue;
    const suffix = name.replace(/([a-z])([A-Z])/g, "$1_$2").replace(/[-.]/g, "_").toUpperCase();
    const mentioned = text.match(new RegExp(`\\b[A-Z][A-Z0-9_]*_${suffix}\\b`, "g")) ?? [];
    const keys = [...new Set([...knownKeys, ...mentioned])].filter((k) =>
      (k === suffix || k.endsWith(`_${suffix}`)) && !/^(YOUR|MY|THE)_/.test(k)
    );
    if (keys.length !== 1) continue;
    const raw = url.replace(
      /([?&][^=&#]+=)([^&#]*)/g,
      (m, pre: string, v: string) =>
        pre === `${url.includes(`?${name}=`) ? "?" : "&"}${name}=` &&
          decodeURIComponent(v) === value
          ? `${pre}\${${keys[0]}}`
          : m,
    );
    return { url: raw, key: keys[0] };
  }
  return null;
}
