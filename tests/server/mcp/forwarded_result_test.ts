/**
 * Forwarded tool results are validated once, on the way up: a downstream's well-formed result
 * passes as is, a malformed one becomes a clear error for the client and the session goes on.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { DownstreamPool } from "../../../server/mcp/downstream/pool.ts";
import { SessionHub } from "../../../server/mcp/hub.ts";
import { KvStore } from "../../../server/store/kv_store.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";
import { testSettings } from "../../../server/settings.ts";
import { quietLogs } from "../../helpers.ts";
import { ProcessBackend } from "./downstream/process_backend.ts";

Deno.test("forwarding - a malformed downstream result is a clear error; the session goes on", async () => {
  quietLogs();
  const settings = testSettings({ expose: "tools", startTimeoutMs: 20_000 });
  const store = await KvStore.open({ dataDir: ":memory:" });
  const pool = new DownstreamPool({ settings, backend: new ProcessBackend() });
  const hub = new SessionHub({ settings, store, downstream: pool, builtins: [] });
  await store.createServer(PlanSchema.parse({
    name: "echo",
    runtime: "image",
    image: "localhost/fake",
    command: "echo-fixture",
    args: ["stdio"],
  }));
  const session = hub.open({ expose: "servers" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await session.server.connect(b);
  const client = new Client({ name: "t", version: "1" });
  await client.connect(a);
  try {
    const ok = await client.callTool({
      name: "echo",
      arguments: { tool: "echo", arguments: { message: "hi" } },
    });
    assert.deepEqual(ok.content, [{ type: "text", text: "hi" }]);
    const bad = await client.callTool({ name: "echo", arguments: { tool: "malformed" } }).then(
      (r) => ({ result: r, error: null }),
      (e: Error) => ({ result: null, error: e }),
    );
    if (bad.result) {
      assert.equal(bad.result.isError, true, JSON.stringify(bad.result));
    } else assert.match(String(bad.error?.message), /content|invalid|result/i);
    const again = await client.callTool({
      name: "echo",
      arguments: { tool: "echo", arguments: { message: "still" } },
    });
    assert.deepEqual(again.content, [{ type: "text", text: "still" }]);
  } finally {
    await client.close();
    await hub.close(session.sessionId);
    await pool.shutdown();
    store.close();
  }
});
