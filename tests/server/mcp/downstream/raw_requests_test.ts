/**
 * Raw requests on a connected SDK client's transport: results and errors come back as the SDK's
 * own kinds, the SDK client's traffic is untouched, a deadline cancels downstream, and a closed
 * connection fails what is in flight.
 */
import assert from "node:assert/strict";
import {
  Client,
  InMemoryTransport,
  type JSONRPCMessage,
  ProtocolError,
  SdkError,
  SdkErrorCode,
} from "@modelcontextprotocol/client";
import { RawChannel } from "../../../../server/mcp/downstream/raw_requests.ts";

type Msg = Record<string, unknown>;

async function connected() {
  const [a, b] = InMemoryTransport.createLinkedPair();
  const seen: Msg[] = [];
  a.onmessage = (message) => {
    const m = message as Msg;
    seen.push(m);
    const reply = (body: Msg) => a.send({ jsonrpc: "2.0", id: m.id, ...body } as JSONRPCMessage);
    if (m.method === "initialize") {
      return reply({
        result: {
          protocolVersion: "2025-11-25",
          capabilities: { tools: {} },
          serverInfo: { name: "raw", version: "1" },
        },
      });
    }
    if (m.method === "tools/list") return reply({ result: { tools: [] } });
    const name = (m.params as Msg | undefined)?.name;
    if (name === "ok") return reply({ result: { content: [], echo: m.id } });
    if (name === "err") return reply({ error: { code: -32602, message: "bad", data: 1 } });
    if (name === "steps") {
      // Three progress steps 15 ms apart, each within a 25 ms deadline that progress restarts.
      const token = ((m.params as Msg)._meta as Msg).progressToken;
      for (let i = 1; i <= 3; i++) {
        setTimeout(() =>
          a.send({
            jsonrpc: "2.0",
            method: "notifications/progress",
            params: { progressToken: token, progress: i },
          } as JSONRPCMessage), 15 * i);
      }
      setTimeout(() => reply({ result: { content: [] } }), 60);
    }
  };
  await a.start();
  const client = new Client({ name: "t", version: "1" });
  await client.connect(b);
  return { client, seen, server: a };
}

Deno.test("RawChannel - results, errors and the SDK client's own requests", async () => {
  const { client } = await connected();
  const channel = RawChannel.of(client)!;
  assert.equal(RawChannel.of(client), channel, "one channel per client");
  const result = await channel.request("tools/call", { name: "ok" }, { timeoutMs: 1_000 });
  assert.ok((result.echo as number) >= 2 ** 30, "raw ids stay clear of the SDK's");
  await assert.rejects(
    channel.request("tools/call", { name: "err" }, { timeoutMs: 1_000 }),
    (e: unknown) => e instanceof ProtocolError && e.code === -32602 && e.data === 1,
  );
  assert.deepEqual((await client.listTools()).tools, [], "the SDK client still works");
  assert.equal(channel.inFlight, 0);
  await client.close();
});

Deno.test("RawChannel - a deadline or an abort cancels downstream", async () => {
  const { client, seen } = await connected();
  const channel = RawChannel.of(client)!;
  await assert.rejects(
    channel.request("tools/call", { name: "silent" }, { timeoutMs: 20 }),
    (e: unknown) => e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout,
  );
  const abort = new AbortController();
  const pending = channel.request("tools/call", { name: "silent" }, {
    timeoutMs: 5_000,
    signal: abort.signal,
  });
  abort.abort("stop");
  await assert.rejects(pending, (e: unknown) => e === "stop");
  await new Promise((r) => setTimeout(r, 5));
  const cancels = seen.filter((m) => m.method === "notifications/cancelled");
  assert.equal(cancels.length, 2);
  assert.equal(channel.inFlight, 0);
  await client.close();
});

Deno.test("RawChannel - progress comes to its request and restarts the deadline", async () => {
  const { client } = await connected();
  const channel = RawChannel.of(client)!;
  const steps: Msg[] = [];
  const result = await channel.request("tools/call", { name: "steps" }, {
    timeoutMs: 25,
    onprogress: (p) => steps.push(p),
  });
  assert.deepEqual(result, { content: [] });
  assert.deepEqual(steps, [{ progress: 1 }, { progress: 2 }, { progress: 3 }]);
  await client.close();
});

Deno.test("RawChannel - a closed connection fails the requests in flight", async () => {
  const { client, server } = await connected();
  const channel = RawChannel.of(client)!;
  const pending = channel.request("tools/call", { name: "silent" }, { timeoutMs: 5_000 });
  await server.close();
  await assert.rejects(
    pending,
    (e: unknown) => e instanceof SdkError && e.code === SdkErrorCode.ConnectionClosed,
  );
  assert.equal(RawChannel.of(client), null, "no channel on a closed connection");
});
