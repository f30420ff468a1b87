/**
 * @module JSON-RPC error responses of the MCP HTTP endpoints. (`Host`/`Origin` checks for every
 * route live in `server/http/host_check.ts` and run before any endpoint.)
 */

/** A JSON-RPC error response (no id) with an HTTP status. */
export function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(
    JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }),
    { status, headers: { "content-type": "application/json" } },
  );
}
