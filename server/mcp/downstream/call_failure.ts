/**
 * @module Why a downstream call failed, told the user's way: a timeout names the server and the
 * deadline, a transport failure caused by the container going away says how it ended, and both
 * point at the server's logs. A remote server's transport failure is told by its status only
 * (the SDK's message may quote the response body). Other errors (the server's own JSON-RPC
 * errors) pass unchanged, at once.
 */
import { UnauthorizedError } from "@modelcontextprotocol/client";
import type { ServerRecord } from "../../schemas/server.ts";
import type { ExitInfo, OpenedDownstream } from "./types.ts";
import { DownstreamError, logsHint } from "./errors.ts";
import { remoteFailureReason } from "./remote_failure.ts";
import { sleep } from "../../../runtime/foundation/timing.ts";
import { sdkFailure } from "../sdk_errors.ts";

/**
 * How long to wait, after the connection reported closed, for the container's end to be
 * reported (the exit code may lag the closed stdout).
 */
const END_GRACE_MS = 1_500;

/** How the connection ended: at once when it has, else within the grace, else null. */
async function endOf(opened: OpenedDownstream, graceMs: number): Promise<ExitInfo | null> {
  if (opened.isEnded) return await opened.ended;
  if (graceMs <= 0) return null;
  const stop = new AbortController();
  try {
    const grace = sleep(graceMs, stop.signal).then(() => null, () => null);
    return await Promise.race([opened.ended, grace]);
  } finally {
    stop.abort();
  }
}

/**
 * Map a failed call on an opened downstream to the error the caller should see. Only a
 * connection reported closed waits (briefly) to learn whether the container went away; any
 * other error surfaces at once.
 * @param server the downstream's record
 * @param opened its connection (for whether and how the container ended)
 * @param error what the SDK (or the caller's code run on the connection) threw
 * @param callTimeoutMs the per-call deadline (for the timeout message)
 */
export async function explainCallFailure(
  server: ServerRecord,
  opened: OpenedDownstream,
  error: unknown,
  callTimeoutMs: number,
): Promise<unknown> {
  if (error instanceof DownstreamError) return error;
  const pending = error instanceof UnauthorizedError ? opened.auth?.authorizationUrl : null;
  if (pending) {
    // A token the server no longer takes (or a step-up to more scopes): a new authorization.
    return new DownstreamError(`${server.name} needs authorization: open ${pending.href}`, {
      kind: "needs_authorization",
      serverId: server.id,
    });
  }
  const failure = sdkFailure(error);
  if (failure?.kind === "timeout" && !opened.isEnded) {
    return new DownstreamError(
      `${server.name} did not answer within ${callTimeoutMs} ms; ${logsHint(server.id)}`,
      { kind: "timeout", serverId: server.id, cause: error },
    );
  }
  if (failure && failure.kind !== "closed") return error;
  if (server.runtime === "remote") {
    return new DownstreamError(`${server.name}: ${remoteFailureReason(error)}`, {
      kind: "remote_failed",
      serverId: server.id,
    });
  }
  // Was it the server going away? A closed connection may be told before the container's end;
  // any other error (a failed write, the caller's own) only counts when the end is known now.
  const info = await endOf(opened, failure?.kind === "closed" ? END_GRACE_MS : 0);
  if (!info || !info.unexpected) return error;
  const how = info.exitCode === null ? "stopped" : `exited with code ${info.exitCode}`;
  return new DownstreamError(
    `downstream server ${server.name} ${how} while handling the request; ${logsHint(server.id)}`,
    { kind: "crashed", serverId: server.id, cause: error },
  );
}
