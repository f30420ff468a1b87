/**
 * @module Forwarding one tool call downstream: the upstream request's signal cancels it, and a
 * progress token makes the downstream's progress notifications reach the upstream client.
 */
// @ts-types="@modelcontextprotocol/sdk/shared/protocol"
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Extra, LinkedConnection } from "./contracts.ts";

/** One downstream tool call. */
export interface ToolCall {
  tool: string;
  args: Record<string, unknown>;
  /** The upstream request's `_meta` (its progress token is passed on). */
  meta?: Record<string, unknown>;
}

/**
 * Forward one tool call on a downstream connection, with the upstream request's cancellation,
 * and its progress token passed on so progress notifications flow back (each one also resets
 * the call's timeout).
 * @param conn the downstream connection
 * @param call tool, arguments and the upstream `_meta`
 * @param extra the upstream request's context
 */
export async function forwardCall(
  conn: LinkedConnection,
  call: ToolCall,
  extra: Extra,
): Promise<CallToolResult> {
  const progressToken = call.meta?.progressToken as string | number | undefined;
  const options: RequestOptions = {
    ...conn.requestOptions,
    signal: extra.signal,
    ...(progressToken !== undefined
      ? {
        resetTimeoutOnProgress: true,
        onprogress: (p: { progress: number; total?: number; message?: string }) => {
          extra.sendNotification({
            method: "notifications/progress",
            params: { ...p, progressToken },
          }).catch(() => {});
        },
      }
      : {}),
  };
  const result = await conn.run((client) =>
    client.callTool({ name: call.tool, arguments: call.args }, undefined, options)
  );
  return result as CallToolResult;
}
