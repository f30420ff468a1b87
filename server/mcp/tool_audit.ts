/**
 * @module Tool call audit: every tool call through the router is timed, counted in the metrics
 * (tool names only when the router knows them) and written to the audit log without argument
 * values; a failed call becomes the tool error the model sees, and its audit entry keeps the
 * first line of that error (redacted, at most {@linkcode AUDIT_ERROR_CHARS} characters).
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { AuditStore } from "../store/store.ts";
import { recordToolCall, recordToolError } from "../observability/metrics.ts";
import { type ToolErrorKind, toolErrorKind } from "../observability/error_kinds.ts";
import { toolFailure } from "./mcp_errors.ts";
import { errorMessage } from "../errors.ts";
import { redact } from "../../runtime/foundation/log.ts";

/** The most characters of a failed call's error the audit entry keeps. */
export const AUDIT_ERROR_CHARS = 200;

/**
 * A failure's text as the audit log keeps it: whitespace folded to one line, registered secret
 * values redacted, cut at {@linkcode AUDIT_ERROR_CHARS}.
 * @returns the line, or undefined for an empty text
 */
export function auditErrorLine(text: string): string | undefined {
  const line = redact(text.replace(/\s+/g, " ").trim());
  if (!line) return undefined;
  return line.length > AUDIT_ERROR_CHARS ? `${line.slice(0, AUDIT_ERROR_CHARS - 1)}…` : line;
}

/** The first text item of a failed tool result (what the model reads). */
function resultText(result: CallToolResult): string {
  for (const item of result.content ?? []) {
    if (item.type === "text" && typeof item.text === "string" && item.text.trim()) return item.text;
  }
  return "";
}

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
    if (kind === "protocol") {
      recordToolError(target.serverName, kind);
      // Passed on to the client as a JSON-RPC error; the audit still says why.
      await audit(
        ctx,
        target,
        "error",
        Math.round(performance.now() - started),
        errorMessage(error),
      );
    }
    result = toolFailure(error, target.serverName); // rethrows protocol errors
  }
  const duration = Math.round(performance.now() - started);
  const outcome = result.isError ? "error" : "ok";
  // The entry's commit goes first; metrics are recorded while it is made durable.
  const audited = audit(ctx, target, outcome, duration, result.isError ? resultText(result) : "");
  recordToolCall({
    server: target.serverName,
    tool: target.tool,
    known: await ctx.known(target.serverName, target.tool),
    outcome,
    kind,
    seconds: duration / 1000,
  });
  await audited;
  return result;
}

/** Append the `tool.call` entry (never throws: a full log must not fail the call). */
async function audit(
  ctx: ToolAuditContext,
  target: { serverName: string; tool: string },
  outcome: "ok" | "error",
  duration: number,
  errorText: string,
): Promise<void> {
  const error = outcome === "error" ? auditErrorLine(errorText) : undefined;
  await ctx.store.appendAudit({
    actor: ctx.actor,
    action: "tool.call",
    target: target.serverName,
    outcome,
    duration_ms: duration,
    details: { tool: target.tool, session: ctx.sessionId, ...(error ? { error } : {}) },
  }).catch(() => {});
}
