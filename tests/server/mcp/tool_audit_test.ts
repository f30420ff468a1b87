/**
 * Tool call audit: a failed call's entry keeps the first line of its error (whitespace folded,
 * registered secrets redacted, at most 200 characters), never argument values; protocol errors
 * are audited too before they reach the client.
 */
import assert from "node:assert/strict";
import { ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";
import { KvStore } from "../../../server/store/kv_store.ts";
import {
  AUDIT_ERROR_CHARS,
  auditErrorLine,
  auditToolCall,
  type ToolAuditContext,
} from "../../../server/mcp/tool_audit.ts";
import { registerSecret } from "../../../runtime/foundation/log.ts";
import { quietLogs } from "../../helpers.ts";

async function context(): Promise<ToolAuditContext & { store: KvStore }> {
  quietLogs();
  const store = await KvStore.open({ dataDir: ":memory:" });
  return { store, actor: "key:laptop", sessionId: "s1", known: () => Promise.resolve(true) };
}

const target = { serverName: "brave", tool: "search" };

Deno.test("Tool audit - an isError result's text is kept as one short line", async () => {
  const ctx = await context();
  try {
    const text = `Search failed:\n  upstream said   ${"no ".repeat(200)}`;
    const result = await auditToolCall(
      ctx,
      target,
      () => Promise.resolve({ content: [{ type: "text", text }], isError: true }),
    );
    assert.equal(result.isError, true);
    const [entry] = await ctx.store.listAudit();
    assert.equal(entry.outcome, "error");
    const error = String(entry.details.error);
    assert.ok(error.startsWith("Search failed: upstream said no no"));
    assert.ok(!error.includes("\n"));
    assert.equal(error.length, AUDIT_ERROR_CHARS);
    assert.ok(error.endsWith("…"));
    assert.deepEqual(Object.keys(entry.details).sort(), ["error", "session", "tool"]);
  } finally {
    ctx.store.close();
  }
});

Deno.test("Tool audit - a thrown failure is audited with its message, secrets redacted", async () => {
  const ctx = await context();
  try {
    registerSecret("sk-live-topsecret-123");
    const result = await auditToolCall(
      ctx,
      target,
      () => Promise.reject(new Error("container exited (code 1): bad key sk-live-topsecret-123")),
    );
    assert.equal(result.isError, true);
    const [entry] = await ctx.store.listAudit();
    assert.equal(entry.details.error, "container exited (code 1): bad key [REDACTED]");
    assert.ok(!JSON.stringify(entry).includes("topsecret"));
  } finally {
    ctx.store.close();
  }
});

Deno.test("Tool audit - protocol errors are rethrown and still audited; ok calls carry no error", async () => {
  const ctx = await context();
  try {
    await assert.rejects(
      auditToolCall(
        ctx,
        target,
        () =>
          Promise.reject(new ProtocolError(ProtocolErrorCode.MethodNotFound, "Method not found")),
      ),
    );
    await auditToolCall(
      ctx,
      target,
      () => Promise.resolve({ content: [{ type: "text", text: "fine" }] }),
    );
    const entries = await ctx.store.listAudit();
    const ok = entries.find((e) => e.outcome === "ok")!;
    const failed = entries.find((e) => e.outcome === "error")!;
    assert.equal(ok.outcome, "ok");
    assert.equal(ok.details.error, undefined);
    assert.equal(failed.outcome, "error");
    assert.match(String(failed.details.error), /Method not found/);
    assert.equal(auditErrorLine("  \n "), undefined);
  } finally {
    ctx.store.close();
  }
});
