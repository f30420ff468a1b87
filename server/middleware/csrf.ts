/**
 * @module CSRF protection for cookie-authenticated requests: every state-changing admin form and
 * htmx request — and any API request that rides on the UI cookie instead of a bearer key — must
 * carry the page's CSRF token as `_csrf` field or `X-CSRF-Token` header. The token is bound to the
 * session: an HMAC (under a key kept in the store) of the session cookie, or before sign-in of a
 * random `mcpr_csrf` cookie, so a token from another session or a planted cookie does not pass.
 * Pages get the token from the context (`c.var.csrf`) and render it: the layout into htmx's
 * headers, every `Form` as its `_csrf` field.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app/app_env.ts";
import type { MetaStore } from "../store/store.ts";
import { z } from "zod";
import { SESSION_COOKIE } from "../auth/ui_sessions.ts";
import { constantTimeEqual, hmacHex, randomHex } from "../auth/tokens.ts";
import { isMcpPath, isSafeMethod, refusal } from "./paths.ts";
import { isOAuthMachinePath } from "../oauth/paths.ts";

/** Cookie holding the pre-session CSRF nonce. */
export const CSRF_COOKIE = "mcpr_csrf";

/**
 * The per-store key CSRF tokens are derived under, created when missing. The composition root
 * calls it at start-up, so that no request (not even a refused one) writes the store.
 * @param store where the key lives
 */
export async function csrfKey(store: MetaStore): Promise<string> {
  const existing = await store.getMeta("csrf_key", z.string().regex(/^[0-9a-f]{64}$/));
  if (existing) return existing;
  const fresh = randomHex(32);
  return (await store.createMeta("csrf_key", fresh)) ? fresh : (await csrfKey(store));
}

/**
 * The CSRF middleware. Checks admin pages always, `/api` only for cookie-authenticated requests;
 * bearer-key and MCP requests are exempt (no ambient credential to abuse).
 * @param store where the derivation key lives
 */
export function csrfMiddleware(store: MetaStore): MiddlewareHandler<AppEnv> {
  let key: Promise<string> | null = null;
  const tokenFor = async (binding: string) => {
    key ??= csrfKey(store);
    key.catch(() => key = null);
    return hmacHex(await key, binding);
  };
  return async (c, next) => {
    const path = c.req.path;
    if (isMcpPath(path) || c.get("via") === "bearer") return await next();
    if (isOAuthMachinePath(path)) return await next(); // token, register: no ambient credential
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
    if (api) return await next();
    // A page: its forms are bound to the session, or before sign-in to a fresh nonce cookie that
    // goes out with the page.
    const fresh = binding ? null : randomHex(24);
    const csrf = {
      token: await tokenFor(binding ?? `c:${fresh}`),
      async bindSession(sessionToken: string) {
        csrf.token = await tokenFor(`s:${sessionToken}`);
      },
    };
    c.set("csrf", csrf);
    await next();
    const type = c.res.headers.get("content-type") ?? "";
    if (!fresh || !type.includes("text/html")) return;
    const secure = new URL(c.req.url).protocol === "https:" ||
      c.req.header("x-forwarded-proto") === "https";
    const headers = new Headers(c.res.headers);
    headers.append(
      "set-cookie",
      `${CSRF_COOKIE}=${fresh}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`,
    );
    c.res = new Response(c.res.body, { status: c.res.status, headers });
  };
}
