/**
 * @module Forwarding one tool call downstream: the upstream request's signal cancels it, and a
 * progress token makes the downstream's progress notifications reach the upstream client.
 */
import { LOG_LEVEL_META_KEY, type RequestOptions } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { Extra, LinkedConnection } from "./contracts.ts";
import { carriedTaskResult } from "./downstream/task_results.ts";
import { type ModernRetry, type RoundOptions, roundRequestOptions } from "./bridge/bridging.ts";

/**
 * The check of a forwarded `tools/call` result: an object (what the router's upstream side then
 * validates as a CallToolResult), no second parse of its content.
 */
const FORWARDED_RESULT = {
  "~standard": {
    version: 1 as const,
    vendor: "mcp-router",
    validate: (value: unknown) =>
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? { value: value as Record<string, unknown> }
        : { issues: [{ message: "a tools/call result must be an object" }] },
  },
};

/** One downstream tool call. */
export interface ToolCall {
  tool: string;
  args: Record<string, unknown>;
  /** The upstream request's `_meta` (its progress token is passed on). */
  meta?: Record<string, unknown>;
  /**
   * The log level the upstream client asked for. A 2026-07-28 downstream only logs when the
   * request names one (a 2025 one was told with `logging/setLevel`).
   */
  logLevel?: string;
  /** The name a bridged call's requestState is bound to (default: `tool`). */
  bindingName?: string;
  /** A bridged retry's `inputResponses` / `requestState` for the downstream (2026-07-28). */
  retry?: ModernRetry;
}

/**
 * Forward one tool call on a downstream connection, with the upstream request's cancellation,
 * and its progress token passed on so progress notifications flow back (each one also resets
 * the call's timeout).
 * @param conn the downstream connection
 * @param call tool, arguments and the upstream `_meta`
 * @param extra the upstream request's context
 * @param round bridging: hand back `input_required` results, the bridged call's own signal
 */
export async function forwardCall(
  conn: LinkedConnection,
  call: ToolCall,
  extra: Extra,
  round: RoundOptions = {},
): Promise<CallToolResult> {
  const progressToken = call.meta?.progressToken as string | number | undefined;
  const options: RequestOptions = {
    ...roundRequestOptions(conn.requestOptions, extra.mcpReq.signal, round),
    ...(progressToken !== undefined
      ? {
        resetTimeoutOnProgress: true,
        onprogress: (p: { progress: number; total?: number; message?: string }) => {
          extra.mcpReq.notify({
            method: "notifications/progress",
            params: { ...p, progressToken },
          }).catch(() => {});
        },
      }
      : {}),
  };
  const result = await conn.run((client) => {
    const modern = client.getProtocolEra() === "modern";
    const level = modern && call.logLevel !== undefined
      ? { [LOG_LEVEL_META_KEY]: call.logLevel }
      : {};
    const keys = { ...traceContextOf(call.meta), ...level, ...(modern ? round.meta : undefined) };
    const meta = Object.keys(keys).length > 0 ? { _meta: keys } : {};
    const params = { name: call.tool, arguments: call.args, ...meta, ...call.retry };
    // A 2025 downstream's result is forwarded as it came: the upstream side validates what it
    // sends, so the client's own result parse (and its output-schema check) would be a second
    // one. 2026 downstreams keep callTool (Mcp-Param header mirroring, result projection).
    if (!modern) {
      return client.request({ method: "tools/call", params }, FORWARDED_RESULT, options) as Promise<
        CallToolResult
      >;
    }
    return client.callTool(params as { name: string }, options);
  });
  const task = carriedTaskResult(result);
  if (task !== result && extra.mcpReq.envelope === undefined) {
    // Only a 2026 client that declared the tasks extension can take a task.
    throw new Error(`Unsupported result type 'task' for tools/call (not a 2026-07-28 client)`);
  }
  return task as CallToolResult;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const TRACE_KEYS = { traceparent: 55, tracestate: 512, baggage: 8192 } as const;

/**
 * The W3C trace context (OpenTelemetry) of an upstream request's `_meta` — `traceparent`,
 * `tracestate`, `baggage` — to pass on downstream, so a server's spans join the client's trace.
 * Malformed or oversized values are dropped.
 * @param meta the upstream request's `_meta`
 */
export function traceContextOf(meta: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!meta || typeof meta.traceparent !== "string" || !TRACEPARENT.test(meta.traceparent)) {
    return out;
  }
  for (const [key, max] of Object.entries(TRACE_KEYS)) {
    const value = meta[key];
    if (typeof value === "string" && value.length <= max && !/[\r\n]/.test(value)) out[key] = value;
  }
  return out;
}
