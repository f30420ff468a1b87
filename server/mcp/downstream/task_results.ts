/**
 * @module Carrying a downstream's `CreateTaskResult` (`resultType: "task"`, the 2026-07-28 tasks
 * extension) through the SDK client, which knows no tasks runtime and rejects any result type but
 * `complete` and `input_required`. {@link carryTaskResults} rewrites such a response, as it
 * arrives on the connection, into a complete result that holds the original under a `_meta` key
 * only this process knows; {@link carriedTaskResult} takes it out again after `callTool`. Other
 * messages pass untouched, so 2025-era connections see no difference.
 */
import type { Client } from "@modelcontextprotocol/client";

/** The `_meta` key of a carried task result: random per process, so no server can forge one. */
const CARRIER_KEY = `mcp-router/carried-task-${crypto.randomUUID()}`;

type OnMessage = (message: unknown, extra?: unknown) => void;

/** Rewrite a JSON-RPC response whose result is a CreateTaskResult; else return it unchanged. */
export function carryTaskResponse(message: unknown): unknown {
  if (typeof message !== "object" || message === null) return message;
  const m = message as Record<string, unknown>;
  const result = m.result as Record<string, unknown> | undefined;
  if (
    m.id === undefined || typeof result !== "object" || result === null ||
    result.resultType !== "task"
  ) {
    return message;
  }
  return {
    ...m,
    result: { resultType: "complete", content: [], _meta: { [CARRIER_KEY]: result } },
  };
}

/**
 * The original CreateTaskResult inside a result that {@link carryTaskResponse} rewrote, or
 * `result` itself.
 */
export function carriedTaskResult<T>(result: T): T {
  const meta = (result as { _meta?: Record<string, unknown> } | null)?._meta;
  const carried = meta?.[CARRIER_KEY];
  return typeof carried === "object" && carried !== null ? carried as T : result;
}

/**
 * Let `client`'s connection (already connected) hand task results to {@link carriedTaskResult}.
 * @param client a connected SDK client
 */
export function carryTaskResults(client: Client): void {
  const transport = client.transport as { onmessage?: OnMessage } | undefined;
  const deliver = transport?.onmessage;
  if (!transport || !deliver) return;
  transport.onmessage = (message, extra) => deliver(carryTaskResponse(message), extra);
}
