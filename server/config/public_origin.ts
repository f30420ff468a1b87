/**
 * @module The router's `/mcp` URL as remote clients should use it: the request's own origin
 * when it reached the router under a public name (through the HTTPS proxy), else the first of
 * `MCP_ROUTER_ALLOWED_HOSTS`, else `MCP_ROUTER_HOST` when it is a concrete non-loopback
 * address; null when only loopback is known (the page then shows `https://YOUR-HOST/mcp`).
 */
import { isLoopbackBind, isLoopbackName, parseHost } from "../http/host_check.ts";

/** What {@linkcode publicMcpUrl} reads from the settings. */
export interface PublicOriginSettings {
  /** `MCP_ROUTER_HOST`. */
  host: string;
  /** `MCP_ROUTER_PORT`. */
  port: number;
  /** `MCP_ROUTER_ALLOWED_HOSTS`. */
  allowedHosts: readonly string[];
}

/** The placeholder shown when the public name is not known. */
export const PLACEHOLDER_MCP_URL = "https://YOUR-HOST/mcp";

/**
 * The public `/mcp` URL, or null when only loopback names are known.
 * @param request the page request (its Host, and `X-Forwarded-Proto` from the proxy)
 * @param settings listen address, port and allowed hosts
 */
export function publicMcpUrl(request: Request, settings: PublicOriginSettings): string | null {
  const url = new URL(request.url);
  const seen = parseHost(url.host);
  if (seen && !isLoopbackName(seen.name)) {
    const https = url.protocol === "https:" ||
      request.headers.get("x-forwarded-proto")?.trim().toLowerCase() === "https";
    return `${https ? "https:" : url.protocol}//${url.host}/mcp`;
  }
  for (const allowed of settings.allowedHosts) {
    const parsed = parseHost(allowed);
    if (parsed && !isLoopbackName(parsed.name)) return `https://${allowed.trim()}/mcp`;
  }
  const bind = settings.host.trim();
  const wildcard = bind === "0.0.0.0" || bind === "::" || bind === "[::]" || bind === "";
  if (!wildcard && !isLoopbackBind(bind)) {
    const name = bind.includes(":") && !bind.startsWith("[") ? `[${bind}]` : bind;
    return `http://${name}:${settings.port}/mcp`;
  }
  return null;
}
