/**
 * @module The one MCP error mapper: how failures inside the router (a missing env value, a
 * downstream that crashed or timed out, a full container cap, a sandbox that failed) reach the
 * upstream client. A failed tool call becomes an `isError` tool result the model can read; a
 * failed forwarded request (resources, prompts, completion) becomes a JSON-RPC `ProtocolError`.
 * Protocol errors a downstream server answered with pass through with their code and data (an
 * SDK's `MCP error N:` prefix taken off, so a client that adds its own shows it once).
 */
import {
  type CallToolResult,
  ProtocolError,
  ProtocolErrorCode,
} from "@modelcontextprotocol/server";
import { errorMessage } from "../errors.ts";
import { isProtocolError, sdkFailure } from "./sdk_errors.ts";

/**
 * A tool result that reports a failure to the model (not a protocol error).
 * @param text what went wrong and how to fix it
 * @param structured optional structured content
 */
export function toolError(text: string, structured?: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: "text", text }],
    isError: true,
    ...(structured ? { structuredContent: structured } : {}),
  };
}

/**
 * A failed tool call as the model sees it: an `isError` result naming what went wrong (a
 * request timeout also names the server). Protocol errors the downstream answered with are not
 * tool failures and are rethrown.
 * @param error what the call threw
 * @param serverName the server (or built-in) called, for timeout messages
 * @throws {ProtocolError} the error itself when it is a protocol error
 */
export function toolFailure(error: unknown, serverName: string): CallToolResult {
  const failure = sdkFailure(error);
  if (failure?.kind === "timeout") return toolError(`${serverName}: ${errorMessage(error)}`);
  if (failure?.kind === "protocol") throw passOn(error as Error & { code: number });
  return toolError(errorMessage(error));
}

/** The SDKs' own `MCP error -32601: ` prefix (a client adds it again: said once is enough). */
const SDK_PREFIX_RE = /^(?:MCP error -?\d+:\s*)+/;

/**
 * A protocol error's message without the SDKs' `MCP error N: ` prefix (however often it was
 * added), for clients of our own that show the code separately or not at all.
 * @param message an error message
 */
export function withoutSdkPrefix(message: string): string {
  return message.replace(SDK_PREFIX_RE, "");
}

/** A downstream's protocol error as the upstream gets it: same code and data, no SDK prefix. */
function passOn(error: Error & { code: number; data?: unknown }): Error & { code: number } {
  if (!SDK_PREFIX_RE.test(error.message)) return error;
  return new ProtocolError(error.code, withoutSdkPrefix(error.message), error.data);
}

/**
 * A failed forwarded request as a JSON-RPC error: protocol errors pass unchanged, anything else
 * becomes an internal error carrying its (secret-free) message.
 * @param error what the request threw
 */
export function toMcpError(error: unknown): Error & { code: number } {
  if (isProtocolError(error)) return passOn(error);
  return new ProtocolError(ProtocolErrorCode.InternalError, errorMessage(error));
}
