/**
 * A downstream's list changes through the router: the capabilities cache follows the live
 * server, and every upstream session — not only the one that loaded it — is told and lists the
 * new tools and prompts. The downstream is an SDK server in memory.
 */
import assert from "node:assert/strict";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport as V1InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  PromptListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { DownstreamAccess } from "../../../server/mcp/contracts.ts";
import { SessionHub } from "../../../server/mcp/hub.ts";
import { KvStore } from "../../../server/store/kv_store.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";
import { testSettings } from "../../../server/settings.ts";
import { quietLogs } from "../../helpers.ts";

/** A downstream whose `grow` tool adds a tool and a prompt (each announced by the SDK). */
function growingServer(): McpServer {
  const server = new McpServer({ name: "lab", version: "1" });
  server.registerPrompt("hello", { description: "Say hello." }, () => ({
    messages: [{ role: "user", content: { type: "text", text: "hello" } }],
  }));
  server.registerTool("grow", { description: "Add a tool and a prompt." }, () => {
    server.registerTool("extra", { description: "Grown." }, () => ({
      content: [{ type: "text", text: "extra" }],
    }));
    server.registerPrompt("extra_prompt", { description: "Grown." }, () => ({
      messages: [{ role: "user", content: { type: "text", text: "extra" } }],
    }));
    return { content: [{ type: "text", text: "grown" }] };
  });
  return server;
}

/** One in-memory downstream connection for every session (what the pool would give). */
function inMemoryDownstream(server: McpServer): DownstreamAccess & { close(): Promise<void> } {
  let connected: Promise<Client> | null = null;
  const connect = async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "router", version: "1" });
    await Promise.all([server.connect(a), client.connect(b)]);
    return client;
  };
  return {
    async withConnection(_sessionId, _server, _env, fn) {
      connected ??= connect();
      const client = await connected;
      return await fn({ client, requestOptions: { timeout: 5_000 }, run: (f) => f(client) });
    },
    endSession: () => Promise.resolve(),
    async close() {
      await (await connected)?.close();
    },
  };
}

async function upstreamClient(hub: SessionHub): Promise<V1Client> {
  const session = hub.open({});
  const [clientSide, serverSide] = V1InMemoryTransport.createLinkedPair();
  await session.server.connect(serverSide);
  const client = new V1Client({ name: "upstream", version: "1" });
  await client.connect(clientSide);
  return client;
}

async function until(what: string, ok: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("Router - a downstream's list change refreshes the cache and reaches every session", async () => {
  quietLogs();
  const settings = testSettings({ expose: "tools" });
  const store = await KvStore.open({ dataDir: ":memory:" });
  const downstream = inMemoryDownstream(growingServer());
  const hub = new SessionHub({ settings, store, downstream, builtins: [] });
  const record = await store.createServer(PlanSchema.parse({
    name: "lab",
    runtime: "remote",
    transport: "http",
    url: "https://lab.example/mcp",
  }));
  const a = await upstreamClient(hub);
  const b = await upstreamClient(hub);
  try {
    const told = { tools: 0, prompts: 0 };
    b.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      told.tools++;
    });
    b.setNotificationHandler(PromptListChangedNotificationSchema, () => {
      told.prompts++;
    });
    // Never loaded: the server is one tool; loading it (in session A) fills the cache.
    assert.deepEqual((await b.listTools()).tools.map((t) => t.name), ["lab"]);
    const loaded = await a.callTool({ name: "lab", arguments: {} });
    assert.ok(!loaded.isError, JSON.stringify(loaded));
    await until("B to hear of the loaded tools", () => told.tools > 0);
    assert.deepEqual((await b.listTools()).tools.map((t) => t.name), ["lab__grow"]);

    told.tools = 0;
    told.prompts = 0;
    const grown = await a.callTool({ name: "lab__grow", arguments: {} });
    assert.ok(!grown.isError, JSON.stringify(grown));
    // B never touched the server, yet hears of both changes and lists what is new.
    await until("B to hear of the new tool and prompt", () => told.tools > 0 && told.prompts > 0);
    assert.deepEqual((await b.listTools()).tools.map((t) => t.name).sort(), [
      "lab__extra",
      "lab__grow",
    ]);
    assert.ok((await b.listPrompts()).prompts.some((p) => p.name === "lab__extra_prompt"));
    const cached = await store.getCapabilities(record.id);
    assert.deepEqual(cached?.tools.map((t) => t.name).sort(), ["extra", "grow"]);
    const extra = await b.callTool({ name: "lab__extra", arguments: {} });
    assert.deepEqual(extra.content, [{ type: "text", text: "extra" }]);
  } finally {
    await a.close();
    await b.close();
    await hub.closeAll();
    await downstream.close();
    store.close();
  }
});
