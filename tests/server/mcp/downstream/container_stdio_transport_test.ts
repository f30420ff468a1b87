import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ContainerStdioTransport } from "../../../../server/mcp/downstream/container_stdio_transport.ts";
import { clearLogs, getLogs } from "../../../../runtime/log_buffer.ts";
import { echoFixtureCommand, spawnStreams } from "./process_streams.ts";

function textOf(result: unknown): string {
  const r = result as { content: { type: string; text: string }[] };
  return r.content.map((c) => c.text).join("");
}

Deno.test("ContainerStdioTransport - initialize, list and call against a local stdio server", async () => {
  clearLogs("fixture-1");
  const { streams, child } = spawnStreams(echoFixtureCommand("stdio"), {
    env: { ECHO_PREFIX: "> " },
  });
  const transport = new ContainerStdioTransport(streams, { serverId: "fixture-1" });
  const client = new Client({ name: "test", version: "0" });
  try {
    await client.connect(transport);
    const tools = await client.listTools();
    assert.ok(tools.tools.some((t: { name: string }) => t.name === "echo"));
    const result = await client.callTool({ name: "echo", arguments: { message: "hi" } });
    assert.equal(textOf(result), "> hi");
    const logs = getLogs("fixture-1");
    assert.ok(logs.some((l) => l.line.includes("echo fixture starting")), JSON.stringify(logs));
  } finally {
    await client.close();
    await child.status;
  }
});

Deno.test("ContainerStdioTransport - process exit closes the transport and rejects the in-flight call", async () => {
  const { streams, child } = spawnStreams(echoFixtureCommand("stdio"));
  const transport = new ContainerStdioTransport(streams, { serverId: "fixture-2" });
  const client = new Client({ name: "test", version: "0" });
  let closed = 0;
  let transportClosed = 0;
  transport.onclose = () => transportClosed++;
  await client.connect(transport);
  client.onclose = () => closed++;
  await assert.rejects(
    client.callTool({ name: "crash", arguments: {} }),
    /Connection closed/,
  );
  assert.equal(closed, 1);
  assert.equal(transportClosed, 1, "the transport closed once");
  assert.equal((await child.status).code, 3);
  await assert.rejects(transport.send({ jsonrpc: "2.0", method: "ping", id: 9 }), /Not connected/);
});

Deno.test({
  name: "ContainerStdioTransport - npx server-everything echo (needs npm registry)",
  ignore: Deno.env.get("MCP_ROUTER_SKIP_NPX") === "1",
  async fn() {
    const { streams, child } = spawnStreams(
      ["npx", "-y", "@modelcontextprotocol/server-everything", "stdio"],
      { env: { NPM_CONFIG_UPDATE_NOTIFIER: "false" } },
    );
    const transport = new ContainerStdioTransport(streams, { serverId: "everything" });
    const client = new Client({ name: "test", version: "0" });
    try {
      await client.connect(transport);
      const tools = await client.listTools();
      assert.ok(tools.tools.some((t: { name: string }) => t.name === "echo"));
      const result = await client.callTool({ name: "echo", arguments: { message: "hello" } });
      assert.match(textOf(result), /hello/);
    } finally {
      await client.close();
      await child.status;
    }
  },
});
