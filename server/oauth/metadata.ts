/**
 * @module The discovery documents: Protected Resource Metadata of `/mcp` (RFC 9728, at the root
 * and path-suffixed well-known URIs) and the embedded authorization server's metadata
 * (RFC 8414). Both are built from the request's origin (see `issuer.ts`) and readable from any
 * origin, so browser-based clients can discover the router.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app/app_env.ts";
import { canonicalResource, issuerOf } from "./issuer.ts";
import { isOAuthMachinePath, OAUTH_PATHS } from "./paths.ts";

/** Scopes the router grants. */
export const SCOPES_SUPPORTED = ["mcp", "admin"] as const;

const HEADERS = {
  "cache-control": "max-age=300",
  "access-control-allow-origin": "*",
};

/**
 * The Protected Resource Metadata of `/mcp`.
 * @param externalIssuer the trusted external authorization server, when one is set
 */
export function protectedResourceMetadata(
  request: Request,
  externalIssuer?: string,
): Record<string, unknown> {
  return {
    resource: canonicalResource(request),
    authorization_servers: [externalIssuer ?? issuerOf(request)],
    scopes_supported: [...SCOPES_SUPPORTED],
    bearer_methods_supported: ["header"],
    resource_name: "MCP Router",
  };
}

/** The authorization server metadata. */
export function authorizationServerMetadata(request: Request): Record<string, unknown> {
  const issuer = issuerOf(request);
  return {
    issuer,
    authorization_endpoint: `${issuer}${OAUTH_PATHS.authorize}`,
    token_endpoint: `${issuer}${OAUTH_PATHS.token}`,
    registration_endpoint: `${issuer}${OAUTH_PATHS.register}`,
    revocation_endpoint: `${issuer}${OAUTH_PATHS.revoke}`,
    scopes_supported: [...SCOPES_SUPPORTED],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic"],
    revocation_endpoint_auth_methods_supported: [
      "none",
      "client_secret_post",
      "client_secret_basic",
    ],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

/** CORS preflight answer of the machine endpoints (browser-based clients send extra headers). */
const PREFLIGHT = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, mcp-protocol-version",
  "access-control-max-age": "600",
};

/** Mount the well-known documents, and the CORS preflight of every machine endpoint. */
export function mountMetadata(app: Hono<AppEnv>, externalIssuer?: string): void {
  app.options("/*", async (c, next) => {
    if (!isOAuthMachinePath(c.req.path)) return await next();
    return c.body(null, 204, PREFLIGHT);
  });
  for (const path of [OAUTH_PATHS.prm, OAUTH_PATHS.prmMcp]) {
    app.get(
      path,
      (c) => c.json(protectedResourceMetadata(c.req.raw, externalIssuer), 200, HEADERS),
    );
  }
  app.get(
    OAUTH_PATHS.asMetadata,
    (c) => c.json(authorizationServerMetadata(c.req.raw), 200, HEADERS),
  );
}
