/**
 * @module Tool call audit: every tool call through the router is timed, counted in the metrics
 * (tool names only when the router knows them) and written to the audit log without argument
 * values; a failed call becomes the tool error the model sees.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { AuditStore } from "../store/store.ts";
import { recordToolCall, recordToolError } from "../observability/metrics.ts";
import { type ToolErrorKind, toolErrorKind } from "../observability/error_kinds.ts";
import { toolFailure } from "./mcp_errors.ts";

/** Who calls, and how to tell a known tool name from an arbitrary one. */
export interface ToolAuditContext {
  /** Where audit entries go. */
  store: AuditStore;
  /** Who is acting: `local`, `key:<name>`. */
  actor: string;
  /** The upstream session. */
  sessionId: string;
  /** Whether `tool` of `serverName` is one the router knows (metrics label only known names). */
  known(serverName: string, tool: string): Promise<boolean>;
}

/**
 * Run one tool call with timing, metrics and audit; failures become `isError` results.
 * @param ctx actor, session, audit store and the known-name check
 * @param target the server (or built-in) and tool called; `(load)` for a server load
 * @param fn the call
 * @throws {McpError} protocol errors of the downstream (see {@linkcode toolFailure})
 */
export async function auditToolCall(
  ctx: ToolAuditContext,
  target: { serverName: string; tool: string },
  fn: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const started = performance.now();
  let result: CallToolResult;
  let kind: ToolErrorKind | undefined;
  try {
    result = await fn();
  } catch (error) {
    kind = toolErrorKind(error);
    if (kind === "protocol") recordToolError(target.serverName, kind); // rethrown just below
    result = toolFailure(error, target.serverName);
  }
  const duration = Math.round(performance.now() - started);
  const outcome = result.isError ? "error" : "ok";
  recordToolCall({
    server: target.serverName,
    tool: target.tool,
    known: await ctx.known(target.serverName, target.tool),
    outcome,
    kind,
    seconds: duration / 1000,
  });
  await ctx.store.appendAudit({
    actor: ctx.actor,
    action: "tool.call",
    target: target.serverName,
    outcome,
    duration_ms: duration,
    details: { tool: target.tool, session: ctx.sessionId },
  }).catch(() => {});
  return result;
}
