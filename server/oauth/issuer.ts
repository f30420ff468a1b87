/**
 * @module Who the router is to OAuth clients, derived from the request: its origin (the `Host`
 * the Host guard accepted; `https` when the TLS proxy says so in `X-Forwarded-Proto`) is the
 * issuer of the embedded authorization server, `${origin}/mcp` is the canonical URI of the
 * protected resource (the audience of every access token), and the `WWW-Authenticate` challenge
 * of a 401 points at the Protected Resource Metadata (RFC 9728).
 */

/** Path of the Protected Resource Metadata of `/mcp` (RFC 9728 §3.1, path-suffixed). */
export const PRM_PATH = "/.well-known/oauth-protected-resource/mcp";

/**
 * The router's origin as the client reached it, e.g. `https://router.example.com`.
 * @param request the incoming request
 */
export function routerOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("host") ?? url.host;
  const https = url.protocol === "https:" ||
    request.headers.get("x-forwarded-proto")?.trim().toLowerCase() === "https";
  return `${https ? "https:" : url.protocol}//${host.toLowerCase()}`;
}

/** The issuer identifier of the embedded authorization server (the origin, no path). */
export function issuerOf(request: Request): string {
  return routerOrigin(request);
}

/** The canonical URI of the MCP endpoint (RFC 8707 resource; the tokens' audience). */
export function canonicalResource(request: Request): string {
  return `${routerOrigin(request)}/mcp`;
}

/**
 * The `WWW-Authenticate` value of a 401 from a protected path: where the resource metadata is,
 * which scope the path needs, and an error code when a token was presented.
 * @param request the refused request
 * @param options `scope` (default `mcp`), `error` (`invalid_token`, `insufficient_scope`)
 */
export function bearerChallenge(
  request: Request,
  options: { scope?: string; error?: string } = {},
): string {
  const parts = [
    `resource_metadata="${routerOrigin(request)}${PRM_PATH}"`,
    `scope="${options.scope ?? "mcp"}"`,
  ];
  if (options.error) parts.push(`error="${options.error}"`);
  return `Bearer realm="mcp-router", ${parts.join(", ")}`;
}
