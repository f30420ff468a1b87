/**
 * @module DNS-rebinding protection for the MCP endpoints: `Host` and `Origin` must be loopback
 * or on the allow-lists (`MCP_ROUTER_ALLOWED_HOSTS`, `MCP_ROUTER_ALLOWED_ORIGINS`).
 */
import type { Settings } from "../settings.ts";
import { isLoopbackHost } from "../auth_policy.ts";

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  return hostHeader.split(":")[0];
}

/**
 * Why a request must be refused, or null when it may pass.
 * @param headers request headers
 * @param settings bind address and allow-lists
 */
export function rebindingViolation(headers: Headers, settings: Settings): string | null {
  const openBind = !isLoopbackHost(settings.host);
  const host = headers.get("host");
  if (host) {
    const name = hostnameOf(host).toLowerCase();
    const allowed = isLoopbackHost(name) || settings.allowedHosts.includes(host) ||
      settings.allowedHosts.includes(name) || (openBind && settings.allowedHosts.length === 0);
    if (!allowed) return `Host '${host}' is not allowed`;
  }
  const origin = headers.get("origin");
  if (origin && origin !== "null") {
    let name = "";
    try {
      name = new URL(origin).hostname;
    } catch {
      return `Origin '${origin}' is invalid`;
    }
    const allowed = isLoopbackHost(name) || settings.allowedOrigins.includes(origin) ||
      (openBind && settings.allowedOrigins.length === 0);
    if (!allowed) return `Origin '${origin}' is not allowed`;
  }
  return null;
}

/** A JSON-RPC error response (no id) with an HTTP status. */
export function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(
    JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }),
    { status, headers: { "content-type": "application/json" } },
  );
}
