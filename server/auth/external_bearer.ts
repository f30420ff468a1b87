/**
 * @module Bearer JWTs of a trusted external authorization server (`MCP_ROUTER_OAUTH_ISSUER`),
 * beside API keys and the embedded server's tokens: verified by the issuer's JWKS for the
 * router's `/mcp` URI (or `MCP_ROUTER_OAUTH_AUDIENCE`), with the `mcp` scope for the MCP
 * endpoints and `admin` for the rest. The request acts as `oauth:<client>`.
 */
import type { Context, Next } from "hono";
import type { AppEnv } from "../app/app_env.ts";
import type { Settings } from "../settings.ts";
import { isMcpPath } from "../middleware/paths.ts";
import { canonicalResource } from "../oauth/issuer.ts";
import { missingScope, refuseToken } from "./oauth_bearer.ts";
import { ExternalIssuer, looksLikeJwt } from "../oauth/external_jwt.ts";
import { createGuardedFetch } from "../http/guarded_fetch.ts";
import { createRetryingFetch } from "../http/retry_fetch.ts";
import { createOutboundGuard } from "../http/outbound_guard.ts";

/** The external issuer of these settings, or null when none is configured. */
export function externalIssuerOf(
  settings: Settings,
  fetchFn?: typeof fetch,
): ExternalIssuer | null {
  if (!settings.oauthIssuer) return null;
  const guard = createOutboundGuard(settings, { activeKeyCount: () => Promise.resolve(1) });
  return new ExternalIssuer(
    settings.oauthIssuer,
    // Timeouts, retries and per-host limits over the SSRF-checked fetch.
    fetchFn ?? createRetryingFetch({
      fetch: createGuardedFetch(guard),
      timeoutMs: 10_000,
      retries: 2,
    }),
    settings.oauthJwksUrl,
  );
}

/** Whether a bearer is for the external issuer (a JWT while one is configured). */
export function isExternalBearer(
  issuer: ExternalIssuer | null,
  bearer: string | undefined,
): boolean {
  return !!issuer && !!bearer && looksLikeJwt(bearer);
}

/**
 * Authenticate a request by an external JWT, or refuse it (401 / 403 with the challenge).
 * @param c the request
 * @param next the rest of the chain
 * @param deps the issuer, the accepted audience and the failure limiter
 * @param bearer the presented token
 */
export async function externalBearer(
  c: Context<AppEnv>,
  next: Next,
  deps: {
    issuer: ExternalIssuer;
    audience?: string;
    limiter: { blocked(client: string): boolean; fail(client: string): void };
  },
  bearer: string,
): Promise<Response | void> {
  const needed = isMcpPath(c.req.path) ? "mcp" : "admin";
  const claims = await deps.issuer.verify(bearer, deps.audience ?? canonicalResource(c.req.raw));
  if (!claims) return refuseToken(c, deps.limiter, needed);
  if (!claims.scopes.includes(needed)) return missingScope(c, needed);
  c.set("actor", `oauth:${claims.client}`);
  c.set("keyId", `oauth-ext:${claims.subject || claims.client}`);
  c.set("scope", claims.scopes.includes("admin") ? "admin" : "mcp");
  c.set("via", "bearer");
  await next();
}
