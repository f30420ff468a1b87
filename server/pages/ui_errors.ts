/**
 * @module How the admin UI words a failed request: a protocol error as `MCP error N: message`
 * with the SDKs' prefix said once (the router passes errors on without it; the UI's own client
 * adds it again), anything else as its secret-free message.
 */
import { errorMessage } from "../errors.ts";
import { withoutSdkPrefix } from "../mcp/mcp_errors.ts";
import { isProtocolError } from "../mcp/sdk_errors.ts";

/**
 * The one-line message the UI shows for `error`.
 * @param error what a request threw
 */
export function uiErrorMessage(error: unknown): string {
  if (isProtocolError(error)) {
    return `MCP error ${error.code}: ${withoutSdkPrefix(error.message)}`;
  }
  return errorMessage(error);
}
