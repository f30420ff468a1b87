/**
 * @module Why a downstream call failed, told the user's way: a timeout names the server and the
 * deadline, a transport failure caused by the container going away says how it ended, and both
 * point at the server's logs. A remote server's transport failure is told by its status only
 * (the SDK's message may quote the response body). Other errors (the server's own JSON-RPC
 * errors) pass unchanged.
 */
// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { ServerRecord } from "../../schemas/server.ts";
import type { OpenedDownstream } from "./connect.ts";
import { DownstreamError, logsHint } from "./errors.ts";
import { remoteFailureReason } from "./remote_failure.ts";

/** How long to wait for the container's end to be reported after a transport failure. */
const END_GRACE_MS = 1_500;

/** The JSON-RPC error code of an SDK `McpError`, else null. */
function mcpErrorCode(error: unknown): number | null {
  if (!(error instanceof McpError)) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Map a failed call on an opened downstream to the error the caller should see.
 * @param server the downstream's record
 * @param opened its connection (for whether and how the container ended)
 * @param error what the SDK threw
 * @param callTimeoutMs the per-call deadline (for the timeout message)
 */
export async function explainCallFailure(
  server: ServerRecord,
  opened: OpenedDownstream,
  error: unknown,
  callTimeoutMs: number,
): Promise<unknown> {
  if (error instanceof DownstreamError) return error;
  const code = mcpErrorCode(error);
  if (code === ErrorCode.RequestTimeout && !opened.isEnded) {
    return new DownstreamError(
      `${server.name} did not answer within ${callTimeoutMs} ms; ${logsHint(server.id)}`,
      { kind: "timeout", serverId: server.id, cause: error },
    );
  }
  if (code !== null && code !== ErrorCode.ConnectionClosed) return error;
  if (server.runtime === "remote") {
    return new DownstreamError(`${server.name}: ${remoteFailureReason(error)}`, {
      kind: "remote_failed",
      serverId: server.id,
    });
  }
  // Transport-level failure: was it the server going away?
  const info = opened.isEnded
    ? await opened.ended
    : await Promise.race([opened.ended, sleep(END_GRACE_MS).then(() => null)]);
  if (!info || !info.unexpected) return error;
  const how = info.exitCode === null ? "stopped" : `exited with code ${info.exitCode}`;
  return new DownstreamError(
    `downstream server ${server.name} ${how} while handling the request; ${logsHint(server.id)}`,
    { kind: "crashed", serverId: server.id, cause: error },
  );
}
