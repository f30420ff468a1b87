/**
 * @module An opened downstream: one connected SDK client tied to its container's teardown, with
 * how and whether the connection ended (on its own, or closed by the router).
 */
import type { Client } from "@modelcontextprotocol/client";
import type { ExitInfo, OpenedDownstream } from "./types.ts";

/** An opened downstream whose end can also be reported from outside (a watched container). */
export interface WrappedDownstream extends OpenedDownstream {
  /** Report how the connection ended (the first report wins). */
  markExit(info: ExitInfo): void;
}

/**
 * Tie a client, its container and its teardown together.
 * @param client the connected SDK client
 * @param containerId its container (null for remote servers)
 * @param destroy remove the container after the client closed
 * @param onUnexpectedClose read the exit code when the connection closed on its own
 */
export function wrapOpened(
  client: Client,
  containerId: string | null,
  destroy: () => Promise<{ exitCode: number | null }>,
  onUnexpectedClose?: () => Promise<{ exitCode: number | null }>,
): WrappedDownstream {
  let resolveEnded!: (info: ExitInfo) => void;
  const ended = new Promise<ExitInfo>((r) => (resolveEnded = r));
  let isEnded = false;
  let closing: Promise<ExitInfo> | null = null;
  let closeRequested = false;
  const markExit = (info: ExitInfo) => {
    if (isEnded) return;
    isEnded = true;
    resolveEnded(info);
  };
  client.onclose = () => {
    if (closeRequested || isEnded) return;
    // The server went away on its own (stdout closed / container exited).
    isEnded = true;
    (async () => {
      const { exitCode } = onUnexpectedClose ? await onUnexpectedClose() : { exitCode: null };
      resolveEnded({ exitCode, unexpected: true });
    })();
  };
  return {
    client,
    containerId,
    ended,
    get isEnded() {
      return isEnded;
    },
    markExit,
    close() {
      if (closing) return closing;
      closeRequested = true;
      const wasEnded = isEnded;
      closing = (async () => {
        await client.close().catch(() => {});
        const { exitCode } = await destroy().catch(() => ({ exitCode: null }));
        const info = { exitCode, unexpected: false };
        if (!wasEnded) markExit(info);
        return wasEnded ? await ended : info;
      })();
      return closing;
    },
  };
}
