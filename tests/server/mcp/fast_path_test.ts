/**
 * The warm call fast path of `/mcp` (2025-11-25 sessions): a warm `tools/call` is answered as
 * plain JSON straight from the downstream transport, and says the same as the SDK path — a
 * second session whose calls carry an unknown `_meta` key (which keeps the SDK path) — on results,
 * tool errors, JSON-RPC errors, invalid results, unknown tools and bad JSON; its audit entry is
 * written before the reply; cancellation reaches the downstream; a log message, progress or a
 * roots request mid-call turns the reply into an event stream; cold servers take the SDK path.
 * The downstream is a hand-written JSON-RPC server in memory, so it can answer garbage.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { Client, InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/client";
import type { AppEnv } from "../../../server/app/app_env.ts";
import type { DownstreamAccess, LinkedConnection } from "../../../server/mcp/contracts.ts";
import { carryTaskResults } from "../../../server/mcp/downstream/task_results.ts";
import { mountMcpHttp } from "../../../server/mcp/http.ts";
import { SessionHub } from "../../../server/mcp/hub.ts";
import { CapabilitiesSchema, PlanSchema } from "../../../server/schemas/server.ts";
import { testSettings } from "../../../server/settings.ts";
import { KvStore } from "../../../server/store/kv_store.ts";
import { quietLogs } from "../../helpers.ts";

type Msg = Record<string, unknown>;

const TOOLS = [
  "echo",
  "tool_error",
  "rpc_error",
  "garbage",
  "slow",
  "log",
  "task",
  "roots",
  "progress",
].map((
  name,
) => ({
  name,
  description: `The ${name} tool.`,
  inputSchema: { type: "object" },
}));

/** A raw 2025-11-25 server: what it answers per tool, and what it was sent. */
function rawServer(transport: InMemoryTransport) {
  const seen: Msg[] = [];
  const send = (m: Msg) => transport.send(m as JSONRPCMessage);
  const asks = new Map<unknown, (roots: { uri: string }[]) => void>();
  transport.onmessage = (message) => {
    const m = message as Msg;
    seen.push(m);
    if (asks.has(m.id) && "result" in m) {
      return asks.get(m.id)!((m.result as { roots: { uri: string }[] }).roots);
    }
    const params = (m.params ?? {}) as Msg;
    const reply = (body: Msg) => send({ jsonrpc: "2.0", id: m.id, ...body });
    if (m.method === "initialize") {
      return reply({
        result: {
          protocolVersion: "2025-11-25",
          capabilities: { tools: {}, logging: {} },
          serverInfo: { name: "lab", version: "1" },
        },
      });
    }
    if (m.method === "tools/list") return reply({ result: { tools: TOOLS } });
    if (m.method === "logging/setLevel") return reply({ result: {} });
    if (m.method !== "tools/call") return;
    const args = (params.arguments ?? {}) as Msg;
    switch (params.name) {
      case "echo":
        // An unknown key in a content block (the SDK's result check drops it) and at the top.
        return reply({
          result: { content: [{ type: "text", text: `Echo: ${args.message}`, x: 1 }], extra: 2 },
        });
      case "tool_error":
        return reply({ result: { content: [{ type: "text", text: "nope" }], isError: true } });
      case "rpc_error":
        return reply({ error: { code: -32602, message: "bad arguments", data: { why: 1 } } });
      case "garbage":
        return reply({ result: { content: "not a list" } });
      case "task":
        return reply({ result: { resultType: "task", task: { taskId: "t1" } } });
      case "log":
        send({
          jsonrpc: "2.0",
          method: "notifications/message",
          params: { level: "info", data: "working" },
        });
        setTimeout(() => reply({ result: { content: [{ type: "text", text: "logged" }] } }), 20);
        return;
      case "slow":
        return; // answers never; cancellation is what the test is about
      case "progress": {
        const token = (params._meta as Msg | undefined)?.progressToken;
        send({
          jsonrpc: "2.0",
          method: "notifications/progress",
          params: { progressToken: token, progress: 1, total: 2 },
        });
        setTimeout(() => reply({ result: { content: [{ type: "text", text: "done" }] } }), 10);
        return;
      }
      case "roots": {
        // Ask the client (through the router) for its roots, then answer with them.
        const ask = `ask-${m.id}`;
        asks.set(ask, (roots) =>
          reply({
            result: { content: [{ type: "text", text: `roots: ${roots.map((r) => r.uri)}` }] },
          }));
        send({ jsonrpc: "2.0", id: ask, method: "roots/list" });
        return;
      }
    }
  };
  return { seen };
}

async function setup(expose: "servers" | "tools" = "servers", toolCallsPerMinute = 600) {
  quietLogs();
  const settings = testSettings({ expose, toolCallsPerMinute });
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
  const conns = new Map<string, Promise<LinkedConnection>>();
  const servers: ReturnType<typeof rawServer>[] = [];
  const clients: Client[] = [];
  const open = async (): Promise<LinkedConnection> => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    servers.push(rawServer(a));
    await a.start();
    const client = new Client({ name: "router", version: "1" }, {
      capabilities: { roots: {}, sampling: {}, elicitation: {} },
    });
    await client.connect(b);
    carryTaskResults(client); // as every real downstream connection does
    clients.push(client);
    return { client, requestOptions: { timeout: 5_000 }, run: (f) => f(client) };
  };
  const downstream: DownstreamAccess = {
    async withConnection(sessionId, _server, _env, fn) {
      if (!conns.has(sessionId)) conns.set(sessionId, open());
      return await fn(await conns.get(sessionId)!);
    },
    peek: () => null,
    endSession: () => Promise.resolve(),
  };
  const live = new Map<string, LinkedConnection>();
  downstream.peek = (sessionId) => live.get(sessionId) ?? null;
  const withConnection = downstream.withConnection.bind(downstream);
  downstream.withConnection = (sessionId, srv, env, fn) =>
    withConnection(sessionId, srv, env, (conn) => {
      live.set(sessionId, conn);
      return fn(conn);
    });
  const hub = new SessionHub({ settings, store, downstream, builtins: [] });
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("keyId", null);
    c.set("actor", "local");
    await next();
  });
  const endpoint = mountMcpHttp(app, hub);
  return {
    app,
    store,
    servers,
    async [Symbol.asyncDispose]() {
      await endpoint.closeAll();
      await hub.closeAll();
      for (const c of clients) await c.close();
      store.close();
    },
  };
}

type Harness = Awaited<ReturnType<typeof setup>>;

interface Reply {
  status: number;
  type: string;
  /** Every JSON-RPC message of the body (one for JSON, each `data:` of an event stream). */
  messages: Msg[];
}

/** Sessions whose `tools/call`s carry a `_meta` key the fast path does not know: the SDK path. */
const SDK_SESSIONS = new Set<string>();

function viaSdk(body: unknown): unknown {
  const b = body as { method?: string; params?: Msg };
  if (b?.method !== "tools/call" || !b.params) return body;
  const meta = b.params._meta as Msg | undefined;
  return { ...b, params: { ...b.params, _meta: { ...meta, "test/sdk-path": true } } };
}

function postRaw(t: Harness, body: unknown, sessionId?: string): Response | Promise<Response> {
  if (sessionId && SDK_SESSIONS.has(sessionId)) body = viaSdk(body);
  return t.app.request("/mcp", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(sessionId ? { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function post(t: Harness, body: unknown, sessionId?: string): Promise<Reply> {
  const response = await postRaw(t, body, sessionId);
  const type = response.headers.get("content-type") ?? "";
  const text = await response.text();
  const messages = type.includes("text/event-stream")
    ? text.split("\n").filter((l) => l.startsWith("data:") && l.slice(5).trim())
      .map((l) => JSON.parse(l.slice(5)))
    : text
    ? [JSON.parse(text)]
    : [];
  return { status: response.status, type, messages };
}

/** A session taking the SDK path (its calls carry an unknown `_meta` key). */
async function sdkSession(t: Harness): Promise<string> {
  const sid = await session(t);
  SDK_SESSIONS.add(sid);
  return sid;
}

/** Open a session whose client declares `capabilities`. */
async function session(t: Harness, capabilities: Msg = {}): Promise<string> {
  const response = await t.app.request("/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities,
        clientInfo: { name: "c", version: "1" },
      },
    }),
  });
  await response.text();
  const sid = response.headers.get("mcp-session-id");
  assert.ok(sid);
  await post(t, { jsonrpc: "2.0", method: "notifications/initialized" }, sid);
  return sid;
}

let nextId = 1;
const call = (name: string, args: Msg = {}, meta?: Msg) => ({
  jsonrpc: "2.0",
  id: nextId++,
  method: "tools/call",
  params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
});
const lab = (tool: string, args: Msg = {}) => call("lab", { tool, arguments: args });

/** The response's result or error, without its id. */
function outcome(reply: Reply): Msg {
  const response = reply.messages.find((m) => "result" in m || "error" in m);
  assert.ok(response, `no response in ${JSON.stringify(reply)}`);
  const { id: _, ...rest } = response;
  return rest;
}

Deno.test("fast path - a warm call says what the SDK path says, as plain JSON", async () => {
  await using t = await setup();
  const fast = await session(t);
  const slow = await sdkSession(t);
  for (const sid of [fast, slow]) {
    const first = await post(t, lab("echo", { message: "warm-up" }), sid);
    assert.match(first.type, /text\/event-stream/, "a cold server takes the SDK path");
  }
  const cases: [string, Msg][] = [
    ["echo", { message: "hi" }],
    ["tool_error", {}],
    ["rpc_error", {}],
    ["garbage", {}],
    ["task", {}],
    ["no_such_tool", {}],
  ];
  for (const [tool, args] of cases) {
    const viaFast = await post(t, lab(tool, args), fast);
    const viaSdk = await post(t, lab(tool, args), slow);
    assert.match(viaSdk.type, /text\/event-stream/);
    assert.equal(viaFast.status, 200);
    assert.deepEqual(outcome(viaFast), outcome(viaSdk), tool);
    if (tool !== "no_such_tool") assert.match(viaFast.type, /application\/json/, tool);
  }
  const echoed = outcome(await post(t, lab("echo", { message: "x" }), fast));
  assert.deepEqual(echoed.result, { content: [{ type: "text", text: "Echo: x" }], extra: 2 });
  const rpc = outcome(await post(t, lab("rpc_error"), fast));
  assert.deepEqual(rpc.error, { code: -32602, message: "bad arguments", data: { why: 1 } });
  const garbage = outcome(await post(t, lab("garbage"), fast)).error as Msg;
  assert.equal(garbage.code, -32602);
  assert.match(String(garbage.message), /^Invalid tools\/call result/);
});

Deno.test("fast path - tools exposure, unknown names and bad JSON match the SDK path", async () => {
  await using t = await setup("tools");
  const fast = await session(t);
  const slow = await sdkSession(t);
  for (const sid of [fast, slow]) await post(t, call("lab__echo", { message: "w" }), sid);
  const viaFast = await post(t, call("lab__echo", { message: "m" }), fast);
  assert.match(viaFast.type, /application\/json/);
  assert.deepEqual(
    outcome(viaFast),
    outcome(await post(t, call("lab__echo", { message: "m" }), slow)),
  );
  const unknownFast = await post(t, call("lab__nope"), fast);
  assert.deepEqual(outcome(unknownFast), outcome(await post(t, call("lab__nope"), slow)));
  const badFast = await post(t, "{not json", fast);
  const badSlow = await post(t, "{not json", slow);
  assert.equal(badFast.status, 400);
  assert.deepEqual(badFast, badSlow);
  const oddParams = { ...call("lab__echo"), params: { name: "lab__echo", arguments: [] } };
  const odd = await post(t, oddParams, fast);
  assert.match(odd.type, /text\/event-stream/, "odd params take the SDK path");
});

Deno.test("fast path - the audit entry is written before the reply", async () => {
  await using t = await setup();
  const sid = await session(t);
  await post(t, lab("echo", { message: "w" }), sid);
  const reply = await post(t, lab("tool_error"), sid);
  assert.match(reply.type, /application\/json/);
  const [entry] = await t.store.listAudit({ limit: 1 });
  assert.equal(entry.action, "tool.call");
  assert.equal(entry.target, "lab");
  assert.equal(entry.outcome, "error");
  assert.deepEqual(entry.details, { tool: "tool_error", session: sid, error: "nope" });
});

Deno.test("fast path - cancellation reaches the downstream and ends the reply", async () => {
  await using t = await setup();
  const sid = await session(t);
  await post(t, lab("echo", { message: "w" }), sid);
  const request = lab("slow");
  const pending = post(t, request, sid);
  const downstream = t.servers[0];
  const sent = () => downstream.seen.find((m) => (m.params as Msg)?.name === "slow");
  for (let i = 0; i < 100 && !sent(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(sent(), "the call reached the downstream");
  const cancel = await t.app.request("/mcp", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-session-id": sid,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: request.id, reason: "user" },
    }),
  });
  assert.equal(cancel.status, 202);
  const reply = await pending;
  assert.deepEqual(reply.messages, [], "no response to a cancelled request");
  const cancelled = downstream.seen.find((m) => m.method === "notifications/cancelled");
  assert.equal((cancelled?.params as Msg).requestId, sent()!.id);
  const [entry] = await t.store.listAudit({ limit: 1 });
  assert.equal(entry.outcome, "error");
});

Deno.test("fast path - a log message mid-call comes first on an event stream", async () => {
  await using t = await setup();
  const sid = await session(t);
  await post(t, lab("echo", { message: "w" }), sid);
  const reply = await post(t, lab("log"), sid);
  assert.match(reply.type, /text\/event-stream/);
  assert.equal(reply.messages.length, 2);
  assert.equal(reply.messages[0].method, "notifications/message");
  assert.deepEqual((reply.messages[0].params as Msg).data, "working");
  assert.deepEqual(outcome(reply).result, { content: [{ type: "text", text: "logged" }] });
});

Deno.test("fast path - progress comes on the reply as on the SDK path; trace context passes", async () => {
  await using t = await setup();
  const fast = await session(t);
  const slow = await sdkSession(t);
  for (const sid of [fast, slow]) await post(t, lab("echo", { message: "w" }), sid);
  const withToken = (token: string) => ({
    ...lab("progress"),
    params: { ...lab("progress").params, _meta: { progressToken: token } },
  });
  const viaFast = await post(t, withToken("tok"), fast);
  const viaSdk = await post(t, withToken("tok"), slow);
  assert.match(viaFast.type, /text\/event-stream/);
  const strip = (r: Reply) => r.messages.map(({ id: _, ...m }) => m);
  assert.deepEqual(strip(viaFast), strip(viaSdk));
  assert.deepEqual(viaFast.messages[0].params, { progress: 1, total: 2, progressToken: "tok" });
  const sentToken = t.servers[0].seen.findLast((m) => (m.params as Msg)?.name === "progress");
  assert.ok(((sentToken?.params as Msg)._meta as Msg).progressToken as number >= 2 ** 30);
  const traced = await post(
    t,
    call("lab", { tool: "echo", arguments: { message: "t" } }, {
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    }),
    fast,
  );
  assert.match(traced.type, /application\/json/, "trace context keeps the fast path");
  const forwarded = t.servers[0].seen.findLast((m) => m.method === "tools/call");
  assert.deepEqual((forwarded?.params as Msg)._meta, {
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  });
  const odd = await post(t, call("lab", { tool: "echo", arguments: {} }, { other: 1 }), fast);
  assert.match(odd.type, /text\/event-stream/, "an unknown _meta key takes the SDK path");
});

Deno.test("fast path - a server's roots request mid-call is asked of the client on the reply", async () => {
  await using t = await setup();
  const sid = await session(t, { roots: {} });
  await post(t, lab("echo", { message: "w" }), sid);
  const response = await postRaw(t, lab("roots"), sid);
  assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const events = () =>
    text.split("\n").filter((l) => l.startsWith("data:")).map((l) => JSON.parse(l.slice(5)));
  while (!events().some((m) => m.method === "roots/list")) {
    const { value, done } = await reader.read();
    assert.ok(!done, `the reply ended before the roots request: ${text}`);
    text += value;
  }
  const asked = events().find((m) => m.method === "roots/list")!;
  const answer = await postRaw(t, {
    jsonrpc: "2.0",
    id: asked.id,
    result: { roots: [{ uri: "file:///work", name: "work" }] },
  }, sid);
  assert.equal(answer.status, 202);
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const final = events().find((m) => "result" in m);
  assert.deepEqual(final?.result, { content: [{ type: "text", text: "roots: file:///work" }] });
});

Deno.test("fast path - the per-key rate limit holds", async () => {
  await using t = await setup("servers", 3);
  const fast = await session(t);
  const slow = await sdkSession(t);
  await post(t, lab("echo", { message: "w" }), fast); // 1 of 3 (this actor's budget)
  await post(t, lab("echo", { message: "w" }), slow); // 2
  const ok = await post(t, lab("echo", { message: "3" }), fast); // 3
  assert.match(ok.type, /application\/json/);
  const refusedFast = await post(t, lab("echo", { message: "4" }), fast);
  const refusedSlow = await post(t, lab("echo", { message: "5" }), slow);
  assert.match(refusedFast.type, /application\/json/);
  assert.deepEqual(outcome(refusedFast), outcome(refusedSlow));
  assert.match(JSON.stringify(outcome(refusedFast)), /Rate limit/);
});
