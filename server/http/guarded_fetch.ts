/**
 * @module A `fetch` for user-supplied URLs (remote MCP servers), checked by the
 * {@linkcode OutboundGuard} on every request and every redirect hop:
 * - each request's URL is checked first; plain-`http:` requests to a host name are pinned to
 *   the addresses the guard approved (the `Host` header keeps the name), so a DNS answer that
 *   changes between the check and the connection (DNS rebinding) cannot redirect it — `https:`
 *   is protected by the certificate check instead;
 * - redirects are never followed by the runtime: with `redirect: "manual"` the 3xx goes back to
 *   the caller (the MCP SDK follows same-origin ones itself, through this fetch again); with
 *   `follow` each `Location` is checked before it is fetched, at most 5 hops, and credentials
 *   are dropped when the origin changes;
 * - a response that is not 2xx reaches the caller without its body or status text, so no error
 *   message built from it can echo what an internal service answered; a 2xx `application/json`
 *   body that is not JSON becomes a bodiless 502 for the same reason.
 */
import type { OutboundGuard, OutboundTarget } from "./outbound_guard.ts";
import { OutboundRefusedError } from "./outbound_guard.ts";
import { formatIp } from "./ip_address.ts";

/** Most redirect hops followed for `redirect: "follow"`. */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Headers kept when a redirect leaves the origin (everything else may carry credentials). */
const CROSS_ORIGIN_SAFE = new Set([
  "accept",
  "accept-language",
  "cache-control",
  "content-type",
  "last-event-id",
  "mcp-protocol-version",
  "user-agent",
]);

let pinningClient: Deno.HttpClient | null = null;

/** The shared HTTP client that may set `Host` (for pinned plain-http requests). */
function pinClient(): Deno.HttpClient {
  pinningClient ??= Deno.createHttpClient({ allowHost: true });
  return pinningClient;
}

type Body = RequestInit["body"];

function replayable(body: Body): boolean {
  return body === undefined || body === null || typeof body === "string" ||
    body instanceof Uint8Array || body instanceof ArrayBuffer ||
    body instanceof URLSearchParams || body instanceof Blob;
}

/** Fetch an approved target, pinned to its addresses when it is plain http by name. */
async function fetchTarget(
  base: typeof fetch,
  target: OutboundTarget,
  init: RequestInit,
): Promise<Response> {
  const { url } = target;
  if (url.protocol !== "http:" || target.literal || target.addresses.length === 0) {
    return await base(url, init);
  }
  const headers = new Headers(init.headers);
  headers.set("host", url.host);
  let lastError: unknown;
  const candidates = replayable(init.body) ? target.addresses : target.addresses.slice(0, 1);
  for (const ip of candidates) {
    const pinned = new URL(url);
    pinned.hostname = ip.kind() === "ipv6" ? `[${formatIp(ip)}]` : formatIp(ip);
    try {
      return await base(pinned, { ...init, headers, client: pinClient() } as RequestInit);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      lastError = error; // e.g. ::1 refused while the server listens on 127.0.0.1: next one
    }
  }
  throw lastError;
}

/**
 * A 400 body that is a JSON-RPC error response (MCP 2026-07-28 answers protocol errors such as
 * `-32021` with HTTP 400), rebuilt from its `id`, `code`, `message` and `data` only and bounded,
 * as a JSON-RPC error in a 200 answer would reach the SDK; null for any other body.
 */
function jsonRpcError(text: string): string | null {
  if (text.length > 16_384) return null;
  try {
    const m = JSON.parse(text);
    const e = m?.error;
    const idOk = m?.id === null || typeof m?.id === "string" || typeof m?.id === "number";
    if (m?.jsonrpc !== "2.0" || !idOk || !Number.isInteger(e?.code)) return null;
    const data = e.data === undefined ? undefined : JSON.stringify(e.data);
    return JSON.stringify({
      jsonrpc: "2.0",
      id: m.id,
      error: {
        code: e.code,
        message: typeof e.message === "string" ? e.message.slice(0, 500) : "",
        ...(data !== undefined && data.length <= 4096 ? { data: e.data } : {}),
      },
    });
  } catch {
    return null;
  }
}

/** An OAuth error body (RFC 6749 §5.2) cut to its error code, or null. */
function oauthErrorCode(text: string): string | null {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === "string" && /^[a-z_]{1,64}$/.test(error)
      ? JSON.stringify({ error })
      : null;
  } catch {
    return null;
  }
}

/**
 * The response as the caller may see it: no body or status text unless 2xx; no pinned URL.
 * With `oauthErrors`, a 400/401 JSON body keeps its OAuth `error` code (nothing else).
 */
async function sanitized(res: Response, oauthErrors = false): Promise<Response> {
  const headers = new Headers(res.headers);
  const json = /^application\/json\b/i.test(headers.get("content-type") ?? "");
  if ((res.status === 400 || (oauthErrors && res.status === 401)) && json) {
    const text = await res.text().catch(() => "");
    const error = (res.status === 400 ? jsonRpcError(text) : null) ??
      (oauthErrors ? oauthErrorCode(text) : null);
    if (error) return new Response(error, { status: res.status, headers });
    return new Response(null, { status: res.status, headers });
  }
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel().catch(() => {});
    const status = res.status >= 300 && res.status <= 599 ? res.status : 502;
    return new Response(null, { status, headers });
  }
  const type = headers.get("content-type") ?? "";
  if (/^application\/json\b/i.test(type) && res.body) {
    const text = await res.text();
    try {
      JSON.parse(text);
    } catch {
      return new Response(null, { status: 502, headers: new Headers() });
    }
    return new Response(text, { status: res.status, statusText: res.statusText, headers });
  }
  const nullBody = res.status === 204 || res.status === 205;
  return new Response(nullBody ? null : res.body, {
    status: res.status,
    statusText: res.statusText,
    headers,
  });
}

function requestParts(input: string | URL | Request, init: RequestInit = {}) {
  if (!(input instanceof Request)) return { url: new URL(input), init };
  return {
    url: new URL(input.url),
    init: {
      method: input.method,
      headers: input.headers,
      body: input.body,
      signal: input.signal,
      redirect: input.redirect,
      ...init,
    } as RequestInit,
  };
}

/**
 * Wrap a fetch so every request and redirect hop is checked by `guard` (see module doc).
 * @param guard the outbound guard
 * @param options the underlying fetch (default: global fetch); `oauthErrors`: keep the OAuth
 *   `error` code of 400/401 JSON bodies (token and registration endpoints)
 * @returns a `fetch` to hand to the MCP SDK transports (`fetch` option)
 * @throws {OutboundRefusedError} (from the returned fetch) for a refused URL or hop
 */
export function createGuardedFetch(
  guard: OutboundGuard,
  options: { fetch?: typeof fetch; oauthErrors?: boolean } = {},
): typeof fetch {
  const base = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async (input: string | URL | Request, rawInit?: RequestInit) => {
    const parts = requestParts(input, rawInit);
    let url = parts.url;
    const mode = parts.init.redirect ?? "follow";
    let init: RequestInit = { ...parts.init, redirect: "manual" };
    for (let hop = 0;; hop++) {
      const target = await guard.check(url, { stage: "connect" });
      const res = await fetchTarget(base, target, init);
      const location = res.headers.get("location");
      if (!REDIRECTS.has(res.status) || !location || mode === "manual") {
        return await sanitized(res, options.oauthErrors);
      }
      await res.body?.cancel().catch(() => {});
      if (mode === "error") throw new TypeError("redirect refused (redirect: error)");
      if (hop >= MAX_REDIRECTS) {
        throw new OutboundRefusedError(`more than ${MAX_REDIRECTS} redirects from ${url.origin}`);
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new OutboundRefusedError("the remote server redirected to an invalid URL");
      }
      const method = (init.method ?? "GET").toUpperCase();
      const toGet = res.status === 303
        ? method !== "HEAD"
        : (res.status <= 302 && method === "POST");
      const headers = new Headers(init.headers);
      if (toGet) {
        headers.delete("content-type");
        headers.delete("content-length");
      }
      if (next.origin !== url.origin) {
        for (const key of [...headers.keys()]) {
          if (!CROSS_ORIGIN_SAFE.has(key.toLowerCase())) headers.delete(key);
        }
      }
      init = toGet ? { ...init, method: "GET", body: undefined, headers } : { ...init, headers };
      url = next;
    }
  };
}
