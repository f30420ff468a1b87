/**
 * Hostile input - malformed JSON-RPC against `/mcp` (streamable HTTP) and `/messages` (legacy
 * SSE), in process: every bad request gets a 4xx JSON-RPC error (or a 200/202 carrying one),
 * never a 5xx, never a new session, and the endpoint still serves a valid client afterwards.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  assertMcpHealthy,
  assertNo5xx,
  hostileRouter,
  INIT,
  MCP_HEADERS,
  PROTOCOL,
  type Requester,
  rpcMessages,
  Tally,
} from "./helpers.ts";

const enc = new TextEncoder();
const deepArray = (n: number) => "[".repeat(n) + "]".repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
const rpc = (method: unknown, params?: unknown, id: unknown = 7) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });

/** Bodies no JSON-RPC server should accept, by name. */
function garbageBodies(): [string, BodyInit][] {
  return [
    ["empty body", ""],
    ["whitespace", "   \n\t "],
    ["truncated object", "{"],
    ["truncated string", '{"jsonrpc":"2.0","method":"ping","id":1,"x":"'],
    ["trailing garbage", `${rpc("ping")}xyz`],
    ["two objects", `${rpc("ping")}${rpc("ping")}`],
    ["single quotes", "{'jsonrpc':'2.0','id':1,'method':'ping'}"],
    ["NaN literal", '{"jsonrpc":"2.0","id":NaN,"method":"ping"}'],
    ["comment", '/* hi */{"jsonrpc":"2.0","id":1,"method":"ping"}'],
    ["bare null", "null"],
    ["bare number", "42"],
    ["bare string", '"initialize"'],
    ["bare true", "true"],
    ["id object", JSON.stringify({ ...INIT, id: {} })],
    ["id array", JSON.stringify({ ...INIT, id: [1] })],
    ["id bool", JSON.stringify({ ...INIT, id: true })],
    ["id float huge", '{"jsonrpc":"2.0","id":1e400,"method":"ping"}'],
    ["method number", rpc(5)],
    ["method null", rpc(null)],
    ["method object", rpc({ a: 1 })],
    ["params string", JSON.stringify({ ...INIT, params: "x" })],
    ["params number", rpc("initialize", 5)],
    ["params array", rpc("initialize", [1, 2])],
    ["jsonrpc 1.0", JSON.stringify({ ...INIT, jsonrpc: "1.0" })],
    ["jsonrpc missing", JSON.stringify({ id: 1, method: "initialize", params: INIT.params })],
    ["unknown method", rpc("no/such/method")],
    ["tools/list before initialize", rpc("tools/list")],
    ["tools/call before initialize", rpc("tools/call", { name: "x", arguments: {} })],
    [
      "notification before initialize",
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    ],
    ["response object", JSON.stringify({ jsonrpc: "2.0", id: 1, result: {} })],
    ["error object", JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: 1, message: "x" } })],
    ["initialize without params", rpc("initialize")],
    ["initialize bad clientInfo", rpc("initialize", { protocolVersion: PROTOCOL, clientInfo: 5 })],
    [
      "initialize unknown protocol",
      rpc("initialize", { ...INIT.params, protocolVersion: "1999-01-01" }),
    ],
    ["empty batch", "[]"],
    ["batch of garbage", "[1,2,3]"],
    ["batch mixed valid/invalid", JSON.stringify([INIT, { jsonrpc: "2.0", id: 2, method: 5 }])],
    ["batch two initializes", JSON.stringify([INIT, { ...INIT, id: 2 }])],
    [
      "batch of 1000 pings",
      JSON.stringify(
        Array.from({ length: 1000 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "ping" })),
      ),
    ],
    ["deep array 10k", deepArray(10_000)],
    ["deep object 10k", deepObject(10_000)],
    ["deep array 400k", deepArray(400_000)],
    [
      "initialize with deep params",
      JSON.stringify(INIT).replace(
        '"capabilities":{}',
        `"capabilities":{"x":${deepObject(10_000)}}`,
      ),
    ],
    [
      "initialize with 65-deep params",
      JSON.stringify(INIT).replace('"capabilities":{}', `"capabilities":{"x":${deepArray(65)}}`),
    ],
    [
      "10 MB string",
      JSON.stringify({ ...INIT, params: { ...INIT.params, pad: "a".repeat(10_000_000) } }),
    ],
    [
      "just over the body limit",
      JSON.stringify({ ...INIT, params: { ...INIT.params, pad: "a".repeat(1_048_576) } }),
    ],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0xfd, 0x7d])],
    [
      "invalid UTF-8 inside a string",
      new Uint8Array([
        ...enc.encode('{"jsonrpc":"2.0","id":1,"method":"ini'),
        0xc3,
        0x28,
        ...enc.encode('"}'),
      ]),
    ],
    ["lone surrogate escape", '{"jsonrpc":"2.0","id":1,"method":"\\ud800"}'],
    ["NUL bytes", `${rpc("ping")}\u0000\u0000`],
    ["BOM prefix", `\ufeff${JSON.stringify(INIT)}`],
    ["unicode method", rpc("初期化/💥")],
    ["very long method", rpc("m".repeat(100_000))],
    ["very long id", rpc("ping", undefined, "i".repeat(100_000))],
    ["negative id", rpc("no/such", undefined, -1)],
    ["null id", rpc("ping", undefined, null)],
    [
      "__proto__ params",
      '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"__proto__":{"polluted":true},"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"a","version":"1"}}}',
    ],
  ];
}

/** Header sets that are wrong for a POST. */
const BAD_HEADERS: [string, Record<string, string>][] = [
  ["no content-type", { accept: MCP_HEADERS.accept }],
  ["text/plain", { ...MCP_HEADERS, "content-type": "text/plain" }],
  ["form content-type", { ...MCP_HEADERS, "content-type": "application/x-www-form-urlencoded" }],
  ["json substring trick", { ...MCP_HEADERS, "content-type": "text/plain; a=application/json" }],
  ["malformed content-type", { ...MCP_HEADERS, "content-type": ";;;==//" }],
  ["no accept", { "content-type": "application/json" }],
  ["accept json only", { ...MCP_HEADERS, accept: "application/json" }],
  ["accept sse only", { ...MCP_HEADERS, accept: "text/event-stream" }],
  ["accept */*", { ...MCP_HEADERS, accept: "*/*" }],
  ["bad protocol version", { ...MCP_HEADERS, "mcp-protocol-version": "garbage" }],
  ["foreign origin", { ...MCP_HEADERS, origin: "http://evil.example" }],
  ["invalid origin", { ...MCP_HEADERS, origin: "::::" }],
  ["foreign host", { ...MCP_HEADERS, host: "evil.example" }],
];

/** Delete a session that a lenient-but-valid initialize opened; records its name. */
async function endOpened(
  request: Requester,
  res: Response,
  opened: string[],
  own: string | undefined,
): Promise<void> {
  const id = res.headers.get("mcp-session-id");
  if (res.status !== 200 || !id || id === own) return;
  opened.push(id);
  const del = await request("/mcp", {
    method: "DELETE",
    headers: { ...MCP_HEADERS, "mcp-session-id": id, "mcp-protocol-version": PROTOCOL },
  });
  await del.body?.cancel();
}

/**
 * Send every garbage body (with good and bad headers) and check each answer.
 * @returns the names of requests that were valid enough to open a session (then deleted)
 */
async function barrage(
  request: Requester,
  tally: Tally,
  extraHeaders: Record<string, string>,
  label: string,
): Promise<string[]> {
  const opened: string[] = [];
  for (const [name, body] of garbageBodies()) {
    const res = await request("/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, ...extraHeaders },
      body,
    });
    tally.add(`${label}: garbage body`);
    const text = await assertNo5xx(res, `${label} / ${name}`);
    await endOpened(request, res, opened, extraHeaders["mcp-session-id"]);
    if (res.status >= 400) {
      const [msg] = rpcMessages(text) as { error?: { code?: unknown } }[];
      assert.equal(typeof msg?.error?.code, "number", `${label} / ${name}: ${text.slice(0, 200)}`);
    }
    if (name.startsWith("10 MB") || name.startsWith("just over")) {
      assert.equal(res.status, 413, `${label} / ${name}`);
    }
    if (name.startsWith("deep") || name.includes("deep params")) {
      assert.equal(res.status, 400, `${label} / ${name}`);
    }
  }
  for (const [name, headers] of BAD_HEADERS) {
    const res = await request("/mcp", {
      method: "POST",
      headers: { ...headers, ...extraHeaders },
      body: JSON.stringify(INIT),
    });
    tally.add(`${label}: bad headers`);
    await assertNo5xx(res, `${label} / ${name}`);
    await endOpened(request, res, opened, extraHeaders["mcp-session-id"]);
  }
  // (DELETE inside a session is legitimate: it ends the session; tested without one only)
  const methods = extraHeaders["mcp-session-id"] ? ["GET", "PUT", "PATCH", "OPTIONS", "HEAD"] : [
    "GET",
    "DELETE",
    "PUT",
    "PATCH",
    "OPTIONS",
    "HEAD",
  ];
  for (const method of methods) {
    const res = await request("/mcp", { method, headers: { ...MCP_HEADERS, ...extraHeaders } });
    tally.add(`${label}: other methods`);
    // GET inside a session opens the (endless) notification stream: check the status only.
    assert.ok(res.status < 500, `${label} / ${method}: ${res.status}`);
    await res.body?.cancel();
  }
  return opened;
}

Deno.test("Hostile - /mcp answers garbage without a session with 4xx JSON-RPC errors and opens no session", async () => {
  await using r = await hostileRouter();
  const request: Requester = (p, i) => Promise.resolve(r.app.request(p, i));
  const tally = new Tally("/mcp without a session");
  const opened = await barrage(request, tally, {}, "no session");
  console.log(`lenient-but-valid initializes (sessions opened, then deleted): ${opened.length}`);
  assert.equal(r.services.hub.size, 0, "no upstream session was left behind");
  const bogusIds = ["nope", "0".repeat(10_000), "../../etc/passwd", "%00", "a b c", "\t"];
  for (const id of bogusIds) {
    const res = await request("/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, "mcp-session-id": id },
      body: rpc("tools/list"),
    });
    tally.add("no session: unknown session ids");
    const text = await assertNo5xx(res, `session id ${id.slice(0, 20)}`);
    assert.ok(res.status === 404 || res.status === 400, `${res.status} ${text}`);
  }
  await assertMcpHealthy(request, "after no-session barrage");
  assert.equal(r.services.hub.size, 0, "the health check's session was deleted");
  tally.print();
});

Deno.test("Hostile - /mcp answers garbage inside a valid session and the session survives", async () => {
  await using r = await hostileRouter();
  const request: Requester = (p, i) => Promise.resolve(r.app.request(p, i));
  const tally = new Tally("/mcp inside a session");
  const init = await request("/mcp", {
    method: "POST",
    headers: MCP_HEADERS,
    body: JSON.stringify(INIT),
  });
  await init.body?.cancel();
  const sessionId = init.headers.get("mcp-session-id");
  assert.ok(sessionId);
  const session = { "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL };
  const reopened = await barrage(request, tally, session, "session");
  assert.deepEqual(reopened, [], "no request re-initialized the session");
  // deep arguments to real methods are refused before they reach any handler or downstream
  for (
    const method of ["tools/call", "ping", "resources/read", "prompts/get", "completion/complete"]
  ) {
    const body = `{"jsonrpc":"2.0","id":9,"method":"${method}","params":{"name":"x","arguments":${
      deepArray(5_000)
    }}}`;
    const res = await request("/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, ...session },
      body,
    });
    tally.add("session: deep params to real methods");
    await assertNo5xx(res, method);
    assert.equal(res.status, 400, method);
  }
  // well-formed but wrong-typed params to real methods: JSON-RPC errors, never 5xx
  const wrongParams: [string, unknown][] = [
    ["tools/call", { name: 5 }],
    ["tools/call", { name: "x".repeat(100_000), arguments: "not an object" }],
    ["tools/call", { name: "python_sandbox", arguments: { code: 5 } }],
    ["resources/read", { uri: "../../etc/passwd" }],
    ["resources/read", { uri: "file:///etc/passwd" }],
    ["resources/subscribe", { uri: 5 }],
    ["prompts/get", { name: "../x" }],
    ["completion/complete", { ref: { type: "ref/prompt", name: "x" }, argument: 5 }],
    ["logging/setLevel", { level: "screaming" }],
    ["tools/list", { cursor: { a: 1 } }],
  ];
  for (const [method, params] of wrongParams) {
    const res = await request("/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, ...session },
      body: rpc(method, params),
    });
    tally.add("session: wrong-typed params");
    const text = await assertNo5xx(res, method);
    assert.equal(res.status, 200, `${method}: ${text.slice(0, 200)}`);
    const [msg] = rpcMessages(text) as { error?: unknown; result?: { isError?: boolean } }[];
    assert.ok(msg.error || msg.result, `${method}: ${text.slice(0, 200)}`);
  }
  // arbitrary JSON as params of every method the router serves
  const methods = [
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/read",
    "prompts/list",
    "prompts/get",
    "ping",
    "completion/complete",
    "logging/setLevel",
    "resources/templates/list",
  ];
  let generated = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...methods),
      fc.jsonValue({ maxDepth: 6 }),
      async (method, params) => {
        generated++;
        const res = await request("/mcp", {
          method: "POST",
          headers: { ...MCP_HEADERS, ...session },
          body: JSON.stringify({ jsonrpc: "2.0", id: generated, method, params }),
        });
        await assertNo5xx(res, `${method} ${JSON.stringify(params).slice(0, 100)}`);
      },
    ),
    { numRuns: 150 },
  );
  tally.add("session: fast-check arbitrary params", generated);
  assert.equal(r.services.hub.size, 1, "only the one real session exists");
  const list = await request("/mcp", {
    method: "POST",
    headers: { ...MCP_HEADERS, ...session },
    body: rpc("tools/list", {}),
  });
  assert.equal(list.status, 200, "the session still works");
  assert.ok(
    Array.isArray(
      (rpcMessages(await list.text())[0] as { result: { tools: unknown[] } }).result.tools,
    ),
  );
  await assertMcpHealthy(request, "after session barrage");
  tally.print();
});

Deno.test("Hostile - /messages (legacy SSE) answers garbage with 4xx and keeps the stream", async () => {
  await using r = await hostileRouter();
  const request: Requester = (p, i) => Promise.resolve(r.app.request(p, i));
  const tally = new Tally("/messages");
  const sse = await request("/sse");
  assert.equal(sse.status, 200);
  const reader = sse.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  const endpoint = /data: (\S+)/.exec(first)?.[1];
  assert.ok(endpoint, first);
  for (const [name, body] of garbageBodies()) {
    const res = await request(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    tally.add("garbage body");
    await assertNo5xx(res, name);
    if (name.startsWith("10 MB") || name.startsWith("just over")) {
      assert.equal(res.status, 413, name);
    }
    if (name.startsWith("deep") || name.includes("deep params")) {
      assert.equal(res.status, 400, name);
    }
  }
  for (const id of ["", "nope", "../x", "%00", "x".repeat(5000)]) {
    const res = await request(`/messages?sessionId=${encodeURIComponent(id)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: rpc("ping"),
    });
    tally.add("unknown session ids");
    await assertNo5xx(res, id);
    assert.equal(res.status, 404);
  }
  // JSON is required where JSON is read
  const plain = await request(endpoint, { method: "POST", body: JSON.stringify(INIT) });
  assert.equal(plain.status, 415);
  await plain.body?.cancel();
  // the stream still answers a valid request
  const ok = await request(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(INIT),
  });
  assert.equal(ok.status, 202);
  await ok.body?.cancel();
  let seen = "";
  const deadline = Date.now() + 5000;
  while (!seen.includes('"id":1') && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  assert.match(seen, /"protocolVersion"/, "initialize answered on the stream");
  await reader.cancel();
  tally.print();
});
