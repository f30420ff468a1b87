/**
 * @module Static assets of the admin UI (htmx from the `htmx.org` package, `static/app.css`,
 * `static/app.js`), loaded once and served under content-hashed URLs so they can be cached
 * forever.
 */
import { createRequire } from "node:module";

/** One static asset. */
export interface Asset {
  /** Hashed URL, e.g. `/static/htmx.3f9a0c1d2e.js`. */
  url: string;
  body: Uint8Array;
  contentType: string;
}

/** Names of the assets pages reference. */
export type AssetName = "htmx" | "css" | "js";

function htmxPath(): string {
  try {
    return createRequire(import.meta.url).resolve("htmx.org/dist/htmx.min.js");
  } catch {
    return decodeURIComponent(
      new URL("../node_modules/htmx.org/dist/htmx.min.js", import.meta.url).pathname,
    );
  }
}

function shortHash(bytes: Uint8Array): string {
  // FNV-1a over the bytes, twice with different seeds: short, stable, dependency-free.
  let a = 0x811c9dc5, b = 0x01000193 ^ bytes.length;
  for (const byte of bytes) {
    a = Math.imul(a ^ byte, 0x01000193) >>> 0;
    b = Math.imul(b ^ byte, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0").slice(0, 4);
}

function load(name: string, path: string | URL, ext: string, contentType: string): Asset {
  const body = Deno.readFileSync(path);
  return { url: `/static/${name}.${shortHash(body)}.${ext}`, body, contentType };
}

let cache: Record<AssetName, Asset> | null = null;

/** Every asset, loaded on first use. */
export function assets(): Record<AssetName, Asset> {
  cache ??= {
    htmx: load("htmx", htmxPath(), "js", "text/javascript; charset=utf-8"),
    css: load(
      "app",
      new URL("../static/app.css", import.meta.url),
      "css",
      "text/css; charset=utf-8",
    ),
    js: load(
      "app",
      new URL("../static/app.js", import.meta.url),
      "js",
      "text/javascript; charset=utf-8",
    ),
  };
  return cache;
}

/** The hashed URL of an asset. */
export function assetUrl(name: AssetName): string {
  return assets()[name].url;
}
