/**
 * Router end to end without containers: the conformance fixture runs over HTTP as a `remote`
 * downstream, the real downstream pool connects to it, and an SDK client talks to the router.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CreateMessageRequestSchema,
  LoggingMessageNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { serveConformanceHttp } from "../../fixtures/conformance/http.ts";
import { DownstreamPool } from "../../../server/mcp/downstream/pool.ts";
import { SessionHub } from "../../../server/mcp/hub.ts";
import { PoolRuntime } from "../../../server/services/runtime_service.ts";
import { KvStore } from "../../../server/store/kv_store.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";
import { testSettings } from "../../../server/settings.ts";
import { quietLogs } from "../../helpers.ts";
import { TOOL_NAME_PATTERN } from "../../../server/mcp/names.ts";

async function setup(namespace: "none" | "prefix", expose: "servers" | "tools" = "servers") {
  quietLogs();
  const fixture = await serveConformanceHttp({ port: 0 });
  const settings = testSettings({ expose });
  const store = await KvStore.open({ dataDir: ":memory:" });
  const pool = new DownstreamPool({ settings, backend: null });
  const runtime = new PoolRuntime({ settings, store, backend: null, pool });
  const server = await store.createServer(PlanSchema.parse({
    name: "conf",
    runtime: "remote",
    transport: "http",
    url: fixture.url,
    namespace,
  }));
  const hub = new SessionHub({ settings, store, downstream: pool, builtins: [] });
  const session = hub.open({});
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await session.server.connect(serverSide);
  const client = new Client({ name: "test", version: "1" }, {
    capabilities: { sampling: {}, elicitation: {} },
  });
  await client.connect(clientSide);
  return {
    client,
    store,
    runtime,
    server,
    hub,
    async [Symbol.asyncDispose]() {
      await client.close().catch(() => {});
      await hub.closeAll();
      await pool.shutdown();
      store.close();
      await fixture.shutdown();
    },
  };
}

Deno.test("Router - servers mode: list starts nothing, load lists tools, call forwards", async () => {
  await using t = await setup("prefix");
  const { tools } = await t.client.listTools();
  assert.deepEqual(tools.map((x) => x.name), ["conf"]);
  assert.ok(tools.every((x) => TOOL_NAME_PATTERN.test(x.name)));
  const loaded = await t.client.callTool({ name: "conf", arguments: {} });
  assert.ok(!loaded.isError, JSON.stringify(loaded));
  const names = (loaded.structuredContent as { tools: { name: string }[] }).tools.map((x) =>
    x.name
  );
  assert.ok(names.includes("test_simple_text"));
  const result = await t.client.callTool({
    name: "conf",
    arguments: { tool: "test_simple_text", arguments: {} },
  });
  assert.equal(result.isError, undefined);
  assert.match(JSON.stringify(result.content), /text/);
  const image = await t.client.callTool({
    name: "conf",
    arguments: { tool: "test_image_content" },
  });
  assert.equal((image.content as { type: string }[])[0].type, "image");
  const unknown = await t.client.callTool({ name: "conf", arguments: { tool: "nope" } });
  assert.equal(unknown.isError, true);
  assert.match(JSON.stringify(unknown.content), /test_simple_text/);
  const bad = await t.client.callTool({ name: "missing-server", arguments: {} });
  assert.equal(bad.isError, true);
  // the load refreshed the cache: the description now names the tools
  const again = await t.client.listTools();
  assert.match(again.tools[0].description ?? "", /test_simple_text/);
});

Deno.test("Router - namespace none passes tools, resources, prompts through", async () => {
  await using t = await setup("none");
  const report = await t.runtime.test(t.server, {});
  assert.ok(report.ok, report.error ?? "");
  const { tools } = await t.client.listTools();
  assert.ok(tools.some((x) => x.name === "test_simple_text"));
  const errorResult = await t.client.callTool({ name: "test_error_handling", arguments: {} });
  assert.equal(errorResult.isError, true);
  const progress: number[] = [];
  await t.client.callTool({ name: "test_tool_with_progress", arguments: {} }, undefined, {
    onprogress: (p) => progress.push(p.progress),
  });
  assert.ok(progress.length >= 1, "progress relayed");
  const logs: string[] = [];
  t.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    logs.push(String(n.params.data));
  });
  await t.client.callTool({ name: "test_tool_with_logging", arguments: {} });
  assert.ok(logs.length >= 1, "log messages relayed");
  t.client.setRequestHandler(CreateMessageRequestSchema, () => ({
    model: "test-model",
    role: "assistant",
    content: { type: "text", text: "sampled answer" },
  }));
  const sampled = await t.client.callTool({ name: "test_sampling", arguments: { prompt: "hi" } });
  assert.match(JSON.stringify(sampled.content), /sampled answer/);
  const { resources } = await t.client.listResources();
  const text = resources.find((r) => r.uri === "test://static-text");
  assert.ok(text);
  const read = await t.client.readResource({ uri: "test://static-text" });
  assert.ok(read.contents.length > 0);
  const { prompts } = await t.client.listPrompts();
  assert.ok(prompts.some((p) => p.name === "test_simple_prompt"));
  const prompt = await t.client.getPrompt({ name: "test_simple_prompt" });
  assert.ok(prompt.messages.length > 0);
});

Deno.test("Router - tools mode flattens as server__tool with real schemas; resources namespaced", async () => {
  await using t = await setup("prefix", "tools");
  await t.runtime.test(t.server, {});
  const { tools } = await t.client.listTools();
  const simple = tools.find((x) => x.name === "conf__test_simple_text");
  assert.ok(simple);
  const r = await t.client.callTool({ name: "conf__test_simple_text", arguments: {} });
  assert.ok(!r.isError);
  const { resources } = await t.client.listResources();
  const wrapped = resources.find((x) => x.uri === "mcp-router://conf/test://static-text");
  assert.ok(wrapped, JSON.stringify(resources.map((x) => x.uri)));
  const read = await t.client.readResource({ uri: wrapped.uri });
  assert.ok(read.contents.length > 0);
  const { prompts } = await t.client.listPrompts();
  assert.ok(prompts.some((p) => p.name === "conf__test_simple_prompt"));
  const { resourceTemplates } = await t.client.listResourceTemplates();
  assert.ok(resourceTemplates.some((x) => x.uriTemplate.startsWith("mcp-router://conf/")));
});
