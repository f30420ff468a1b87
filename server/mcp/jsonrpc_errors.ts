/**
 * @module JSON-RPC error bodies and responses: the one place that spells them, for the MCP HTTP
 * endpoints, the SSE message endpoint, the stdio transport and the guards in front of them.
 * (`Host`/`Origin` checks for every route live in `server/http/host_check.ts`.)
 */

/** A JSON-RPC 2.0 error message as it goes on the wire. */
export interface JsonRpcErrorBody {
  jsonrpc: "2.0";
  /** The failed request's id, or null when it is unknown (unparsable input). */
  id: string | number | null;
  error: { code: number; message: string };
}

/**
 * A JSON-RPC error message.
 * @param id the request's id, or null when unknown
 * @param code the JSON-RPC error code (`-32700` parse error, `-32600` invalid request, …)
 * @param message what is wrong
 */
export function jsonRpcErrorBody(
  id: string | number | null,
  code: number,
  message: string,
): JsonRpcErrorBody {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

/**
 * A JSON-RPC error response (no id) with an HTTP status.
 * @param status HTTP status
 * @param code JSON-RPC error code
 * @param message what is wrong and how to fix it
 * @param headers extra response headers
 */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(jsonRpcErrorBody(null, code, message)), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
