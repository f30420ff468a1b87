/**
 * `/mcp` serves both protocol generations side by side: a 2026-07-28 client (SDK v2, pinned) is
 * served statelessly with cache hints on list results, a 2025 client (SDK v1) gets its session,
 * and the stateless isolation unit keeps two API keys apart while one client's requests share
 * their downstream session. The downstream is an SDK server in memory.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import {
  Client,
  InMemoryTransport,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport as V1HttpTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AppEnv } from "../../../server/app/app_env.ts";
import type { DownstreamAccess } from "../../../server/mcp/contracts.ts";
import { mountMcpHttp } from "../../../server/mcp/http.ts";
import { SessionHub } from "../../../server/mcp/hub.ts";
import { STATELESS_SESSION_PREFIX } from "../../../server/mcp/stateless_unit.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";
import { testSettings } from "../../../server/settings.ts";
import { KvStore } from "../../../server/store/kv_store.ts";
import { quietLogs } from "../../helpers.ts";

/** A downstream per pool session (as the pool would give), remembering which sessions asked. */
function recordingDownstream(): DownstreamAccess & {
  sessions: string[];
  listings: Map<string, number>;
  close(): Promise<void>;
} {
  const clients = new Map<string, Promise<Client>>();
  const sessions: string[] = [];
  const listings = new Map<string, number>();
  const connect = async () => {
    const server = new McpServer({ name: "lab", version: "1" });
    server.registerTool("echo", { description: "Echo." }, () => ({
      content: [{ type: "text", text: "echoed" }],
    }));
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "router", version: "1" });
    await Promise.all([server.connect(a), client.connect(b)]);
    return client;
  };
  const counted = async (sessionId: string) => {
    const client = await connect();
    const list = client.listTools.bind(client);
    client.listTools = (...args) => {
      listings.set(sessionId, (listings.get(sessionId) ?? 0) + 1);
      return list(...args);
    };
    return client;
  };
  return {
    sessions,
    listings,
    async withConnection(sessionId, _server, _env, fn) {
      sessions.push(sessionId);
      if (!clients.has(sessionId)) clients.set(sessionId, counted(sessionId));
      const client = await clients.get(sessionId)!;
      return await fn({ client, requestOptions: { timeout: 5_000 }, run: (f) => f(client) });
    },
    endSession: () => Promise.resolve(),
    async close() {
      for (const c of clients.values()) await (await c).close();
    },
  };
}

async function setup() {
  quietLogs();
  const settings = testSettings({ expose: "servers" });
  const store = await KvStore.open({ dataDir: ":memory:" });
  await store.createServer(PlanSchema.parse({
    name: "lab",
    runtime: "remote",
    transport: "http",
    url: "https://lab.example/mcp",
  }));
  const downstream = recordingDownstream();
  const hub = new SessionHub({ settings, store, downstream, builtins: [] });
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    const key = c.req.header("x-test-key") ?? null;
    c.set("keyId", key);
    c.set("actor", key ? `key:${key}` : "local");
    await next();
  });
  const endpoint = mountMcpHttp(app, hub);
  const http = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const url = new URL(`http://127.0.0.1:${http.addr.port}/mcp`);
  const closers: (() => Promise<void>)[] = [];
  return {
    url,
    downstream,
    /** A 2026-07-28 client sending requests as API key `key`. */
    async modern(key: string, name = "modern-client"): Promise<Client> {
      const client = new Client({ name, version: "1" }, {
        versionNegotiation: { mode: { pin: "2026-07-28" } },
      });
      await client.connect(
        new StreamableHTTPClientTransport(url, { requestInit: { headers: { "x-test-key": key } } }),
      );
      closers.push(() => client.close());
      return client;
    },
    async [Symbol.asyncDispose]() {
      for (const close of closers) await close().catch(() => {});
      await endpoint.closeAll();
      await hub.closeAll();
      await http.shutdown();
      await downstream.close();
      store.close();
    },
  };
}

Deno.test("/mcp - a 2026 client and a 2025 client are served side by side", async () => {
  await using t = await setup();
  const modern = await t.modern("k1");
  assert.equal(modern.getProtocolEra(), "modern");
  const legacy = new V1Client({ name: "legacy-client", version: "1" });
  const legacyTransport = new V1HttpTransport(t.url, {
    requestInit: { headers: { "x-test-key": "k1" } },
  });
  await legacy.connect(legacyTransport);
  try {
    assert.ok(legacyTransport.sessionId, "the 2025 client got a session");
    assert.deepEqual((await modern.listTools()).tools.map((x) => x.name), ["lab"]);
    const loaded = await modern.callTool({ name: "lab", arguments: {} });
    assert.ok(!loaded.isError, JSON.stringify(loaded));
    const called = await legacy.callTool({ name: "lab", arguments: { tool: "echo" } });
    assert.deepEqual(called.content, [{ type: "text", text: "echoed" }]);
  } finally {
    await legacy.close();
  }
});

Deno.test("/mcp - 2026 list results carry the catalogue's cache hints and resultType", async () => {
  await using t = await setup();
  const meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  };
  const response = await fetch(t.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/list",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: meta } }),
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("mcp-session-id"), null);
  const body = await response.json();
  assert.equal(body.result.resultType, "complete");
  assert.equal(body.result.ttlMs, 2_000);
  assert.equal(body.result.cacheScope, "private");
});

Deno.test("/mcp - stateless isolation: one unit per key and client, never shared across keys", async () => {
  await using t = await setup();
  const a = await t.modern("k1");
  const b = await t.modern("k2");
  const echo = { name: "lab", arguments: { tool: "echo" } };
  assert.deepEqual((await a.callTool(echo)).content, [{ type: "text", text: "echoed" }]);
  await a.callTool(echo);
  const ofA = new Set(t.downstream.sessions);
  assert.equal(ofA.size, 1, "one client's requests share their downstream session");
  const [unitA] = ofA;
  assert.ok(unitA.startsWith(STATELESS_SESSION_PREFIX), unitA);
  assert.equal(t.downstream.listings.get(unitA), 1, "the unit's second call reuses its tool list");
  await b.callTool(echo);
  const ofB = new Set(t.downstream.sessions.filter((s) => s !== unitA));
  assert.equal(ofB.size, 1, "two API keys never share a downstream session");
});
