/**
 * @module What an MCP SDK failure is, whichever SDK generation threw it: a request timeout, a
 * closed connection, or a JSON-RPC error the peer answered with. The v2 SDK reports local
 * failures as `SdkError` (string codes) and peer errors as `ProtocolError`; v1's `McpError`
 * (numeric codes, -32001 timeout and -32000 closed) is still recognised by shape, since v1
 * clients and servers remain in the graph (tests, older built-ins).
 */
import { ProtocolError, SdkError, SdkErrorCode } from "@modelcontextprotocol/client";

/** The kind of an SDK failure, or null for anything else. */
export type SdkFailure =
  | { kind: "timeout" }
  | { kind: "closed" }
  | { kind: "protocol"; code: number };

/** v1 `ErrorCode.RequestTimeout` / `ErrorCode.ConnectionClosed`. */
const V1_TIMEOUT = -32001;
const V1_CLOSED = -32000;

/**
 * Classify `error`.
 * @param error what an SDK call threw
 * @returns its kind, or null when it is not an SDK timeout, closed connection or protocol error
 */
export function sdkFailure(error: unknown): SdkFailure | null {
  if (error instanceof SdkError) {
    if (error.code === SdkErrorCode.RequestTimeout) return { kind: "timeout" };
    if (error.code === SdkErrorCode.ConnectionClosed) return { kind: "closed" };
    return null;
  }
  if (error instanceof ProtocolError) return { kind: "protocol", code: error.code };
  if (error instanceof Error && error.name === "McpError") {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "number") return null;
    if (code === V1_TIMEOUT) return { kind: "timeout" };
    if (code === V1_CLOSED) return { kind: "closed" };
    return { kind: "protocol", code };
  }
  return null;
}

/** Whether `error` is a JSON-RPC error of either SDK generation (to pass on unchanged). */
export function isProtocolError(error: unknown): error is Error & { code: number } {
  return sdkFailure(error)?.kind === "protocol";
}
