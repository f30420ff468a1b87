/**
 * @module Authentication middleware: bearer API keys for `/mcp`, `/sse`, `/messages`, `/api`
 * and `/metrics`, and a login cookie for the admin pages (and, with the CSRF token, the API) —
 * required whenever the router listens beyond loopback or any key exists. A key's scope decides
 * where it may go (`mcp`: only the MCP endpoints). Failed attempts are rate-limited per client
 * address; a valid key is never refused for another client's failures.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app/app_env.ts";
import type { Settings } from "../settings.ts";
import type { Store } from "../store/store.ts";
import { authRequired } from "../auth/policy.ts";
import { activeApiKeys, verifyApiKey } from "../auth/api_keys.ts";
import { SESSION_COOKIE, uiSession } from "../auth/ui_sessions.ts";
import { TrustedProxies } from "../auth/client_address.ts";
import { isMachinePath, isMcpPath, isPublicPath, refusal } from "./paths.ts";
import { type AuthFailureReason, recordAuthFailure } from "../observability/auth_metrics.ts";
import { isOAuthBearer, oauthBearer } from "../auth/oauth_bearer.ts";
import { externalBearer, externalIssuerOf, isExternalBearer } from "../auth/external_bearer.ts";
import { bearerChallenge } from "../oauth/issuer.ts";

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
    if (this.#hits.size > 10_000) {
      for (const [k, v] of this.#hits) if (v.until <= now) this.#hits.delete(k);
      if (this.#hits.size > 10_000) this.#hits.clear();
    }
  }
}

function unauthorized(
  req: Request,
  path: string,
  message: string,
  reason: AuthFailureReason,
): Response {
  recordAuthFailure(reason);
  // The challenge points OAuth clients at the Protected Resource Metadata (RFC 9728).
  const scope = isMcpPath(path) ? "mcp" : "admin";
  const error = reason === "missing" ? undefined : "invalid_token";
  return refusal(path, 401, "unauthorized", message, {
    "www-authenticate": bearerChallenge(req, { scope, error }),
  });
}

function rateLimited(path: string): Response {
  recordAuthFailure("rate_limited");
  return refusal(
    path,
    429,
    "rate_limited",
    "too many failed authentication attempts from this address; wait a minute",
    { "retry-after": "60" },
  );
}

/**
 * Sets `client` (the caller's address, `X-Forwarded-For` believed only from trusted proxies).
 * @param proxies the trusted proxies
 */
export function clientAddressMiddleware(proxies: TrustedProxies): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const info = (c.env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr;
    c.set("client", proxies.clientOf(info?.hostname, c.req.header("x-forwarded-for")));
    await next();
  };
}

/**
 * The auth middleware.
 * @param deps settings and store
 * @param limiter failed attempts per client address
 */
export function authMiddleware(
  deps: { settings: Settings; store: Store },
  limiter = new FailureLimiter(),
): MiddlewareHandler<AppEnv> {
  const external = externalIssuerOf(deps.settings);
  return async (c, next) => {
    const path = c.req.path;
    if (isPublicPath(path)) return await next();
    const header = c.req.header("authorization") ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (isOAuthBearer(bearer)) {
      return await oauthBearer(c, next, { store: deps.store.oauth, limiter }, bearer);
    }
    if (external && isExternalBearer(external, bearer)) {
      const audience = deps.settings.oauthAudience;
      return await externalBearer(c, next, { issuer: external, audience, limiter }, bearer!);
    }
    // A presented key is found by its digest: no request reads every key record.
    const key = bearer ? await verifyApiKey(deps.store, bearer) : null;
    if (!key && !authRequired(deps.settings.host, await deps.store.hasActiveApiKeys() ? 1 : 0)) {
      c.set("via", "open");
      c.set("scope", "admin");
      return await next();
    }
    const client = c.get("client") ?? "local";
    if (bearer) {
      if (!key) {
        if (limiter.blocked(client)) return rateLimited(path);
        limiter.fail(client);
        return unauthorized(c.req.raw, path, "invalid or revoked API key", "invalid_key");
      }
      c.set("actor", `key:${key.name}`);
      c.set("keyId", key.id);
      c.set("scope", key.scope);
      c.set("via", "bearer");
      if (key.scope === "mcp" && !isMcpPath(path)) {
        recordAuthFailure("forbidden_scope");
        return refusal(
          path,
          403,
          "forbidden",
          `API key '${key.name}' has scope 'mcp': it may use only /mcp, /sse and /messages (create an admin key with 'keys create NAME --scope admin')`,
        );
      }
      return await next();
    }
    if (!isMcpPath(path)) {
      const session = await uiSession(deps.store, getCookie(c, SESSION_COOKIE));
      const keys = session?.keyId ? await activeApiKeys(deps.store) : [];
      if (session && (session.keyId === null || keys.some((k) => k.id === session.keyId))) {
        c.set("actor", session.actor);
        c.set("keyId", session.keyId);
        c.set("scope", "admin");
        c.set("via", "cookie");
        return await next();
      }
    }
    if (isMachinePath(path)) {
      if (header) {
        if (limiter.blocked(client)) return rateLimited(path);
        limiter.fail(client);
      }
      return unauthorized(
        c.req.raw,
        path,
        "send Authorization: Bearer <API key>",
        header ? "malformed" : "missing",
      );
    }
    const target = encodeURIComponent(c.req.url.slice(new URL(c.req.url).origin.length));
    return c.redirect(`/login?next=${target}`, 303);
  };
}
