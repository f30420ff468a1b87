import assert from "node:assert/strict";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  connectHttp,
  expandUrl,
  headersFromEnv,
} from "../../../../server/mcp/downstream/remote.ts";
import { DownstreamError } from "../../../../server/mcp/downstream/errors.ts";
import { startHttpEchoFixture } from "./process_streams.ts";

Deno.test("remote - headers from env values", () => {
  assert.deepEqual(headersFromEnv({ BEARER_TOKEN: "abc" }), { Authorization: "Bearer abc" });
  assert.deepEqual(headersFromEnv({ AUTHORIZATION: "Basic x", BEARER_TOKEN: "abc" }), {
    Authorization: "Basic x",
  });
  assert.deepEqual(headersFromEnv({ HEADER_X_TENANT_ID: "t1", API_KEY: "k", OTHER: "no" }), {
    "X-Tenant-Id": "t1",
    "X-API-Key": "k",
  });
  assert.equal(
    expandUrl("https://h/${TEAM}/mcp?k={KEY}", { TEAM: "a b", KEY: "1" }),
    "https://h/a%20b/mcp?k=1",
  );
});

Deno.test("remote - streamable HTTP with a bearer header", async () => {
  const seen: (string | null)[] = [];
  const ac = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    async (req) => {
      seen.push(req.headers.get("authorization"));
      if (req.headers.get("authorization") !== "Bearer tok-1") {
        return new Response("no", {
          status: 401,
        });
      }
      const mcp = new McpServer({ name: "remote", version: "1" });
      mcp.registerTool(
        "hello",
        { description: "hi" },
        () => ({ content: [{ type: "text", text: "hello" }] }),
      );
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
      });
      await mcp.connect(transport);
      return transport.handleRequest(req);
    },
  );
  try {
    const url = new URL(`http://127.0.0.1:${server.addr.port}/mcp`);
    const client = await connectHttp(url, {
      protocol: "http",
      headers: headersFromEnv({ BEARER_TOKEN: "tok-1" }),
      serverName: "remote",
      timeoutMs: 5_000,
    });
    const r = await client.callTool({ name: "hello", arguments: {} });
    assert.deepEqual(r.content, [{ type: "text", text: "hello" }]);
    await client.close();
    assert.ok(seen.every((h) => h === "Bearer tok-1"));
    await assert.rejects(
      connectHttp(url, { protocol: "http", serverName: "remote", timeoutMs: 2_000 }),
      (e: unknown) =>
        e instanceof DownstreamError && /could not connect to remote/.test(e.message) &&
        /authorization/.test(e.message) && /401/.test(e.message),
    );
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("remote - auto falls back to SSE", async () => {
  await using fixture = await startHttpEchoFixture("sse");
  const port = fixture.port;
  const client = await connectHttp(new URL(`http://127.0.0.1:${port}/sse`), {
    protocol: "auto",
    serverName: "sse",
    timeoutMs: 10_000,
  });
  const r = await client.callTool({ name: "echo", arguments: { message: "over sse" } });
  assert.deepEqual(r.content, [{ type: "text", text: "over sse" }]);
  await client.close();
});
