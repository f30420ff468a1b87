/**
 * @module CSRF protection for cookie-authenticated requests: every state-changing admin form and
 * htmx request — and any API request that rides on the UI cookie instead of a bearer key — must
 * carry the page's CSRF token as `_csrf` field or `X-CSRF-Token` header. The token is bound to the
 * session: an HMAC (under a key kept in the store) of the session cookie, or before sign-in of a
 * random `mcpr_csrf` cookie, so a token from another session or a planted cookie does not pass.
 * HTML responses get the token injected into every form and into htmx's headers, so pages need
 * not know about it.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app/app_env.ts";
import type { KvStore } from "../store/kv_store.ts";
import { z } from "zod";
import { SESSION_COOKIE } from "../auth/ui_sessions.ts";
import { constantTimeEqual, hmacHex, randomHex } from "../auth/tokens.ts";
import { isMcpPath, isSafeMethod, refusal } from "./paths.ts";

/** Cookie holding the pre-session CSRF nonce. */
export const CSRF_COOKIE = "mcpr_csrf";

/** Put the token into every form and into htmx's request headers of an HTML page. */
export function injectToken(html: string, token: string): string {
  const field = `<input type="hidden" name="_csrf" value="${token}">`;
  let out = html.replace(/<\/form>/gi, `${field}</form>`);
  out = out.replace(
    /<body([^>]*)>/i,
    (_m, attrs: string) =>
      attrs.includes("hx-headers")
        ? `<body${attrs}>`
        : `<body${attrs} hx-headers='{"X-CSRF-Token":"${token}"}'>`,
  );
  return out;
}

/** The per-store key CSRF tokens are derived under (created on first use). */
async function csrfKey(store: KvStore): Promise<string> {
  const existing = await store.getMeta("csrf_key", z.string().regex(/^[0-9a-f]{64}$/));
  if (existing) return existing;
  const fresh = randomHex(32);
  const res = await store.kv.atomic().check({ key: ["meta", "csrf_key"], versionstamp: null })
    .set(["meta", "csrf_key"], fresh).commit();
  return res.ok ? fresh : (await csrfKey(store));
}

/**
 * The CSRF middleware. Checks admin pages always, `/api` only for cookie-authenticated requests;
 * bearer-key and MCP requests are exempt (no ambient credential to abuse).
 * @param store where the derivation key lives
 */
export function csrfMiddleware(store: KvStore): MiddlewareHandler<AppEnv> {
  let key: Promise<string> | null = null;
  const tokenFor = async (binding: string) => {
    key ??= csrfKey(store);
    key.catch(() => key = null);
    return hmacHex(await key, binding);
  };
  return async (c, next) => {
    const path = c.req.path;
    if (isMcpPath(path) || c.get("via") === "bearer") return await next();
    const api = path.startsWith("/api/") || path === "/metrics";
    if (api && c.get("via") !== "cookie") return await next();
    const session = getCookie(c, SESSION_COOKIE);
    let nonce = getCookie(c, CSRF_COOKIE);
    if (nonce !== undefined && !/^[0-9a-f]{48}$/.test(nonce)) nonce = undefined;
    const binding = session ? `s:${session}` : nonce ? `c:${nonce}` : null;
    if (!isSafeMethod(c.req.method)) {
      let presented = c.req.header("x-csrf-token");
      if (!presented) {
        const type = c.req.header("content-type") ?? "";
        if (type.includes("form")) {
          // Read a clone (bounded by the body guard): the route reads the body itself afterwards.
          const form = await c.req.raw.clone().formData().catch(() => null);
          const value = form?.get("_csrf");
          presented = typeof value === "string" ? value : undefined;
        }
      }
      const expected = binding ? await tokenFor(binding) : null;
      if (!expected || !presented || !constantTimeEqual(presented, expected)) {
        return refusal(
          path,
          403,
          "forbidden",
          "missing or invalid CSRF token; reload the page and retry",
        );
      }
    }
    await next();
    if (api) return;
    const type = c.res.headers.get("content-type") ?? "";
    if (!type.includes("text/html")) return;
    // A page: bind its forms to the session cookie the browser will hold after this response.
    const setCookies = c.res.headers.getSetCookie?.() ?? [];
    const newSession = setCookies.map((v) => new RegExp(`^${SESSION_COOKIE}=([0-9a-f]*)`).exec(v))
      .find((m) => m)?.[1];
    const headers = new Headers(c.res.headers);
    headers.delete("content-length");
    let pageBinding = newSession ? `s:${newSession}` : newSession === "" ? null : binding;
    if (pageBinding === null || pageBinding.startsWith("c:") && !nonce) {
      if (!nonce) {
        nonce = randomHex(24);
        const secure = new URL(c.req.url).protocol === "https:" ||
          c.req.header("x-forwarded-proto") === "https";
        headers.append(
          "set-cookie",
          `${CSRF_COOKIE}=${nonce}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`,
        );
      }
      pageBinding = `c:${nonce}`;
    }
    const html = await c.res.text();
    c.res = new Response(injectToken(html, await tokenFor(pageBinding)), {
      status: c.res.status,
      headers,
    });
  };
}
