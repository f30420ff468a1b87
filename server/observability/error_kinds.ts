/**
 * @module Why a tool call failed, as one word from a fixed list: the `kind` label of
 * `mcp_router_tool_errors_total`. Thrown errors are classified by their type (the downstream's
 * own {@linkcode DownstreamError} kinds, SDK timeouts and JSON-RPC errors, sandbox and app
 * errors); a call that returned an `isError` result is a `tool_error` (or `unknown_tool` when the
 * name is not one the router knows). Whatever is thrown, the kind is one of
 * {@linkcode TOOL_ERROR_KINDS}, so the label set stays bounded.
 */
import { DownstreamError } from "../mcp/downstream/errors.ts";
import { sdkFailure } from "../mcp/sdk_errors.ts";
import { SandboxError } from "../../sandbox/errors.ts";
import { AppError } from "../errors.ts";

/** Every value the `kind` label takes. */
export const TOOL_ERROR_KINDS = [
  /** The tool ran and reported an error (`isError: true`). */
  "tool_error",
  /** No such tool (a made-up name, or one the server does not have). */
  "unknown_tool",
  /** Arguments refused by the router or the sandbox (`arguments` not an object, bad input). */
  "invalid_params",
  /** The per-key tool call rate limit. */
  "rate_limited",
  /** The downstream did not answer within the call timeout. */
  "timeout",
  /** The downstream's container exited while handling the call. */
  "crashed",
  /** The container (or its install) failed to start. */
  "start_failed",
  /** No container slot freed in time (the caps). */
  "capacity",
  /** The connection or session closed under the call. */
  "closed",
  /** The server's configuration is unusable (missing env values, no url, refused host). */
  "config",
  /** A remote server's request failed at the HTTP level. */
  "remote_failed",
  /** A remote server wants an OAuth authorization the caller does not have yet. */
  "needs_authorization",
  /** The downstream answered with a JSON-RPC error (passed on to the client as such). */
  "protocol",
  /** Anything else. */
  "internal",
] as const;

/** One value of the `kind` label. */
export type ToolErrorKind = typeof TOOL_ERROR_KINDS[number];

/**
 * The kind of a thrown tool call failure.
 * @param error what the call threw
 * @returns one of {@linkcode TOOL_ERROR_KINDS}
 */
export function toolErrorKind(error: unknown): ToolErrorKind {
  if (error instanceof DownstreamError) return error.kind;
  const sdk = sdkFailure(error);
  if (sdk) return sdk.kind;
  if (error instanceof SandboxError) {
    if (error.kind === "invalid_input") return "invalid_params";
    return error.kind === "unavailable" ? "start_failed" : "closed";
  }
  if (error instanceof AppError) {
    if (error.status === 429) return "rate_limited";
    if (error.code === "runtime_unavailable") return "start_failed";
    return error.status < 500 ? "config" : "internal";
  }
  // session_link's refusal to launch a server whose required env values are missing
  if (error instanceof Error && error.name === "ToolFailure") return "config";
  return "internal";
}
