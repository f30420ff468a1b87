/**
 * @module Path classes the guards share, and the one way a guard refuses a request: a JSON-RPC
 * error on the MCP endpoints, the API's JSON error elsewhere under `/api` and `/metrics`, plain
 * text on pages.
 */
import { jsonRpcError } from "../mcp/jsonrpc_errors.ts";
import { isOAuthPublicPath } from "../oauth/paths.ts";

/** `/mcp`, `/sse`, `/messages`: the MCP endpoints (bearer keys only, never the UI cookie). */
export function isMcpPath(path: string): boolean {
  return path === "/mcp" || path === "/sse" || path === "/messages";
}

/** Paths answered without any credential (the OAuth server's checks the login itself). */
export function isPublicPath(path: string): boolean {
  return path === "/healthz" || path === "/login" || path === "/favicon.ico" ||
    path.startsWith("/static/") || isOAuthPublicPath(path);
}

/** Paths machine clients use (they get 401, not a redirect to the login page). */
export function isMachinePath(path: string): boolean {
  return isMcpPath(path) || path.startsWith("/api/") || path === "/metrics";
}

/** Methods that change nothing. */
export function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}

/** JSON-RPC error codes and API error codes used by the guards. */
const RPC_CODE: Record<number, number> = { 401: -32001, 403: -32000, 413: -32000, 415: -32000 };

/**
 * A guard's refusal in the form the path's clients understand.
 * @param path the request path
 * @param status HTTP status
 * @param code the API error code (`forbidden`, `payload_too_large`, …)
 * @param message what is wrong and how to fix it
 * @param headers extra response headers
 */
export function refusal(
  path: string,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  if (isMcpPath(path)) {
    return jsonRpcError(status, RPC_CODE[status] ?? -32000, message, headers);
  }
  if (isMachinePath(path)) {
    return new Response(JSON.stringify({ error: { code, message } }), {
      status,
      headers: { "content-type": "application/json; charset=utf-8", ...headers },
    });
  }
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}
