/**
 * The warm call fast path on upstream stdio: inbound messages keep their order while the fast
 * path decides; a warm `tools/call` is answered from the downstream transport directly (its raw
 * id is far above the SDK's) with the same result as the SDK path, its audit entry written
 * before the reply; a cancellation reaches the downstream; a cold call takes the SDK path.
 */
import assert from "node:assert/strict";
import { Client, InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/client";
import type { DownstreamAccess, LinkedConnection } from "../../../server/mcp/contracts.ts";
import { SessionHub } from "../../../server/mcp/hub.ts";
import { serveStdio } from "../../../server/mcp/stdio.ts";
import { orderedFastInbound } from "../../../server/mcp/stdio_fast.ts";
import { CapabilitiesSchema, PlanSchema } from "../../../server/schemas/server.ts";
import { testSettings } from "../../../server/settings.ts";
import { KvStore } from "../../../server/store/kv_store.ts";
import { quietLogs } from "../../helpers.ts";

type Msg = Record<string, unknown>;
const call = (id: number, name = "echo", meta?: Msg): JSONRPCMessage =>
  ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name, arguments: { message: `m${id}` }, ...(meta ? { _meta: meta } : {}) },
  }) as JSONRPCMessage;

Deno.test("stdio fast - later messages wait behind an offer being decided", async () => {
  const delivered: unknown[] = [];
  const decide = Promise.withResolvers<boolean>();
  const route = orderedFastInbound((m) =>
    (m as Msg).id === 1 ? decide.promise : Promise.resolve(true)
  );
  const deliver = (m: JSONRPCMessage) => delivered.push((m as Msg).id ?? (m as Msg).method);
  route(call(1), deliver); // a candidate, not taken in the end
  route({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1 } }, deliver);
  route({ jsonrpc: "2.0", id: 3, method: "tools/list" } as JSONRPCMessage, deliver);
  assert.deepEqual(delivered, []);
  decide.resolve(false);
  await new Promise((r) => setTimeout(r, 0));
  // 1 went to the SDK, the cancel was taken by the (fake) fast path, 3 followed in order.
  assert.deepEqual(delivered, [1, 3]);
  route({ jsonrpc: "2.0", id: 4, method: "ping" } as JSONRPCMessage, deliver);
  assert.deepEqual(delivered, [1, 3, 4], "nothing pending: delivered at once");
});

const TOOLS = ["echo", "slow"].map((name) => ({ name, inputSchema: { type: "object" } }));

/** A raw 2025-11-25 downstream: echo answers at once, slow never (until cancelled). */
function rawServer(transport: InMemoryTransport, seen: Msg[]) {
  transport.onmessage = (message) => {
    const m = message as Msg;
    seen.push(m);
    const reply = (body: Msg) =>
      transport.send({ jsonrpc: "2.0", id: m.id, ...body } as JSONRPCMessage);
    if (m.method === "initialize") {
      return reply({
        result: {
          protocolVersion: "2025-11-25",
          capabilities: { tools: {} },
          serverInfo: { name: "lab", version: "1" },
        },
      });
    }
    if (m.method === "tools/list") return reply({ result: { tools: TOOLS } });
    const params = (m.params ?? {}) as { name?: string; arguments?: Msg };
    if (m.method === "tools/call" && params.name === "echo") {
      return reply({
        result: { content: [{ type: "text", text: `Echo: ${params.arguments?.message}` }] },
      });
    }
  };
}

Deno.test("stdio fast - a warm call answers from the downstream directly, as the SDK path does", async () => {
  quietLogs();
  const store = await KvStore.open({ dataDir: ":memory:" });
  const server = await store.createServer(PlanSchema.parse({
    name: "lab",
    runtime: "remote",
    transport: "http",
    url: "https://lab.example/mcp",
  }));
  await store.setCapabilities(
    server.id,
    CapabilitiesSchema.parse({ tools: TOOLS, fetched_at: new Date().toISOString() }),
  );
  const seen: Msg[] = [];
  const clients: Client[] = [];
  let conn: Promise<LinkedConnection> | null = null;
  let live: LinkedConnection | null = null;
  const open = async (): Promise<LinkedConnection> => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    rawServer(a, seen);
    await a.start();
    const client = new Client({ name: "router", version: "1" });
    await client.connect(b);
    clients.push(client);
    return { client, requestOptions: { timeout: 5_000 }, run: (f) => f(client) };
  };
  const downstream: DownstreamAccess = {
    async withConnection(_sessionId, _server, _env, fn) {
      live = await (conn ??= open());
      return await fn(live);
    },
    peek: () => live,
    endSession: () => Promise.resolve(),
  };
  const hub = new SessionHub({
    settings: testSettings({ expose: "tools" }),
    store,
    downstream,
    builtins: [],
  });
  // The client side of the router's stdin/stdout.
  const toRouter = new TransformStream<Uint8Array, Uint8Array>();
  const fromRouter = new TransformStream<Uint8Array, Uint8Array>();
  const served = serveStdio(hub, {
    streams: { input: toRouter.readable, output: fromRouter.writable },
  });
  const writer = toRouter.writable.getWriter();
  const replies = new Map<unknown, Msg>();
  const waiters = new Map<unknown, (m: Msg) => void>();
  void (async () => {
    let buffered = "";
    const decoder = new TextDecoder();
    for await (const chunk of fromRouter.readable) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const m = JSON.parse(buffered.slice(0, nl)) as Msg;
        buffered = buffered.slice(nl + 1);
        replies.set(m.id, m);
        waiters.get(m.id)?.(m);
      }
    }
  })();
  const request = async (m: unknown): Promise<Msg> => {
    const id = (m as Msg).id;
    const got = new Promise<Msg>((r) => waiters.set(id, r));
    await writer.write(new TextEncoder().encode(JSON.stringify(m) + "\n"));
    return await got;
  };
  const notify = (m: unknown) => writer.write(new TextEncoder().encode(JSON.stringify(m) + "\n"));
  try {
    const init = await request({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      },
    });
    assert.equal((init.result as Msg).protocolVersion, "2025-11-25");
    await notify({ jsonrpc: "2.0", method: "notifications/initialized" });
    const rawIds = () =>
      seen.filter((m) => m.method === "tools/call" && (m.id as number) >= 2 ** 30).length;
    // Cold: the server starts on the SDK path.
    const cold = await request(call(1, "lab__echo"));
    assert.deepEqual(cold.result, { content: [{ type: "text", text: "Echo: m1" }] });
    assert.equal(rawIds(), 0);
    // Warm: the fast path; the SDK path (an unknown _meta key) says the same.
    const warm = await request(call(2, "lab__echo"));
    assert.equal(rawIds(), 1, "the warm call went out raw");
    const viaSdk = await request(call(3, "lab__echo", { "test/sdk-path": true }));
    assert.equal(rawIds(), 1);
    assert.deepEqual(warm.result, { content: [{ type: "text", text: "Echo: m2" }] });
    assert.deepEqual(viaSdk.result, { content: [{ type: "text", text: "Echo: m3" }] });
    const audits = (await store.listAudit()).filter((e) => e.action === "tool.call");
    assert.equal(audits.length, 3, "each call audited before its reply");
    // Cancellation of a fast-path call reaches the downstream; no reply follows.
    void notify(call(4, "lab__slow"));
    for (let i = 0; i < 50 && rawIds() < 2; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(rawIds(), 2);
    await notify({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 4, reason: "user" },
    });
    for (let i = 0; i < 50 && !seen.some((m) => m.method === "notifications/cancelled"); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const cancelled = seen.find((m) => m.method === "notifications/cancelled");
    assert.ok(cancelled, "the downstream was told");
    assert.ok(((cancelled.params as Msg).requestId as number) >= 2 ** 30);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(replies.has(4), false, "a cancelled call gets no reply");
  } finally {
    await writer.close();
    await served;
    await hub.closeAll();
    for (const c of clients) await c.close();
    store.close();
  }
});
