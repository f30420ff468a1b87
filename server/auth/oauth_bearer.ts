/**
 * @module OAuth access tokens on the protected paths, beside API keys: a bearer starting with
 * `mcpo_` is verified against the embedded authorization server's records — unexpired, grant not
 * revoked (so a revocation refuses the next request at once), audience = this router's canonical
 * URI — and must carry `mcp` for the MCP endpoints, `admin` for everything else. The request then
 * acts as `oauth:<client name>`, its grant standing in for the key id (session binding, limits).
 */
import type { Context, Next } from "hono";
import type { AppEnv } from "../app/app_env.ts";
import type { OAuthStore } from "../store/store.ts";
import { isMcpPath, refusal } from "../middleware/paths.ts";
import { recordAuthFailure } from "../observability/auth_metrics.ts";
import { bearerChallenge, canonicalResource } from "../oauth/issuer.ts";
import { ACCESS_PREFIX, verifyAccessToken } from "../oauth/token_service.ts";
import { grantSessionKey } from "./grant_revocations.ts";

/** Whether a bearer token is an OAuth access token (API keys start with `mcpr_`). */
export function isOAuthBearer(bearer: string | undefined): bearer is string {
  return !!bearer && bearer.startsWith(ACCESS_PREFIX);
}

/** What the check needs: the OAuth records and the failure limiter of the auth middleware. */
export interface OAuthBearerDeps {
  store: OAuthStore;
  limiter: { blocked(client: string): boolean; fail(client: string): void };
}

/**
 * Authenticate a request by its OAuth access token, or refuse it (401 `invalid_token`, 403
 * `insufficient_scope`, 429 after too many failures).
 * @param c the request
 * @param next the rest of the chain
 * @param bearer the presented token
 */
export async function oauthBearer(
  c: Context<AppEnv>,
  next: Next,
  deps: OAuthBearerDeps,
  bearer: string,
): Promise<Response | void> {
  const needed = isMcpPath(c.req.path) ? "mcp" : "admin";
  const verified = await verifyAccessToken(deps.store, bearer, canonicalResource(c.req.raw));
  if (!verified) return refuseToken(c, deps.limiter, needed);
  const scopes = verified.token.scopes;
  if (!(scopes as string[]).includes(needed)) return missingScope(c, needed);
  c.set("actor", `oauth:${verified.grant.client_name}`);
  c.set("keyId", grantSessionKey(verified.grant.id));
  c.set("scope", scopes.includes("admin") ? "admin" : "mcp");
  c.set("via", "bearer");
  await next();
}

/**
 * The refusal of an invalid, expired or revoked access token: 401 with the challenge, 429 once
 * the address has failed too often.
 */
export function refuseToken(
  c: Context<AppEnv>,
  limiter: OAuthBearerDeps["limiter"],
  needed: "mcp" | "admin",
): Response {
  const path = c.req.path;
  const client = c.get("client") ?? "local";
  if (limiter.blocked(client)) {
    recordAuthFailure("rate_limited");
    return refusal(path, 429, "rate_limited", "too many failed authentication attempts", {
      "retry-after": "60",
    });
  }
  limiter.fail(client);
  recordAuthFailure("invalid_key");
  return refusal(path, 401, "unauthorized", "invalid, expired or revoked access token", {
    "www-authenticate": bearerChallenge(c.req.raw, { scope: needed, error: "invalid_token" }),
  });
}

/** The refusal of a valid token without the scope the path needs (403 `insufficient_scope`). */
export function missingScope(c: Context<AppEnv>, needed: "mcp" | "admin"): Response {
  recordAuthFailure("forbidden_scope");
  return refusal(c.req.path, 403, "forbidden", `this access token lacks the '${needed}' scope`, {
    "www-authenticate": bearerChallenge(c.req.raw, { scope: needed, error: "insufficient_scope" }),
  });
}
