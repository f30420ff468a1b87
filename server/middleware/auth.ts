/**
 * @module Authentication middleware: bearer API keys for `/mcp`, `/sse`, `/messages` and `/api`,
 * and a login cookie for the admin pages — required whenever the router listens beyond loopback
 * or any key exists. Failed attempts are rate-limited per client address.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app_env.ts";
import type { Settings } from "../settings.ts";
import type { KvStore } from "../store/kv_store.ts";
import { authRequired } from "../auth_policy.ts";
import { activeApiKeys, verifyApiKey } from "../auth/api_keys.ts";
import { SESSION_COOKIE, uiSessionActor } from "../auth/ui_sessions.ts";
import { AppError } from "../errors.ts";

/** Paths that never need a credential. */
const PUBLIC = [/^\/healthz$/, /^\/login$/, /^\/static\//, /^\/favicon\.ico$/];
/** Paths that only accept bearer keys (machine clients). */
const MACHINE = [/^\/mcp$/, /^\/sse$/, /^\/messages$/, /^\/api\//, /^\/metrics$/];

/** Fixed-window counter of failed attempts per client. */
export class FailureLimiter {
  readonly #hits = new Map<string, { count: number; until: number }>();
  /** @param max failures allowed per window @param windowMs window length */
  constructor(private readonly max = 20, private readonly windowMs = 60_000) {}
  /** Whether `client` is currently blocked. */
  blocked(client: string, now = Date.now()): boolean {
    const e = this.#hits.get(client);
    return !!e && e.until > now && e.count >= this.max;
  }
  /** Count one failure. */
  fail(client: string, now = Date.now()): void {
    const e = this.#hits.get(client);
    if (!e || e.until <= now) this.#hits.set(client, { count: 1, until: now + this.windowMs });
    else e.count++;
    if (this.#hits.size > 10_000) this.#hits.clear();
  }
}

function clientAddress(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const info = (c.env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr;
  return info?.hostname ?? c.req.header("x-forwarded-for")?.split(",")[0].trim() ?? "local";
}

function unauthorized(message: string): Response {
  return new Response(JSON.stringify({ error: { code: "unauthorized", message } }), {
    status: 401,
    headers: {
      "content-type": "application/json",
      "www-authenticate": 'Bearer realm="mcp-router", error="invalid_token"',
    },
  });
}

/**
 * The auth middleware.
 * @param deps settings and store
 */
export function authMiddleware(
  deps: { settings: Settings; store: KvStore },
  limiter = new FailureLimiter(),
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    if (PUBLIC.some((p) => p.test(path))) return await next();
    const keys = await activeApiKeys(deps.store);
    if (!authRequired(deps.settings.host, keys.length)) return await next();
    const client = clientAddress(c);
    if (limiter.blocked(client)) {
      throw new AppError(
        "rate_limited",
        429,
        "too many failed authentication attempts; wait a minute",
      );
    }
    const header = c.req.header("authorization") ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (bearer) {
      const key = await verifyApiKey(deps.store, bearer);
      if (!key) {
        limiter.fail(client);
        return unauthorized("invalid or revoked API key");
      }
      c.set("actor", `key:${key.name}`);
      c.set("keyId", key.id);
      return await next();
    }
    const machine = MACHINE.some((p) => p.test(path));
    const actor = await uiSessionActor(deps.store, getCookie(c, SESSION_COOKIE));
    if (actor && !/^\/(mcp|sse|messages)$/.test(path)) {
      c.set("actor", actor);
      return await next();
    }
    if (machine) {
      if (header) limiter.fail(client);
      return unauthorized("send Authorization: Bearer <API key>");
    }
    const target = encodeURIComponent(c.req.url.slice(new URL(c.req.url).origin.length));
    return c.redirect(`/login?next=${target}`, 303);
  };
}
