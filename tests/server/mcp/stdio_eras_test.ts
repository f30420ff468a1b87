/**
 * Upstream stdio speaks both generations: the first message decides (a 2026-07-28 client's
 * `server/discover` probe, or a 2025 client's `initialize`), and the router answers in kind.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const REPO = new URL("../../../", import.meta.url).pathname;

async function connect(pin: boolean, dataDir: string): Promise<Client> {
  const client = new Client(
    { name: "stdio-era", version: "1" },
    pin ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
  await client.connect(
    new StdioClientTransport({
      command: Deno.execPath(),
      args: ["run", "-A", "--config", `${REPO}deno.json`, `${REPO}main.ts`, "stdio"],
      env: {
        ...Deno.env.toObject(),
        MCP_ROUTER_DATA: dataDir,
        MCP_ROUTER_PODMAN_SOCKET: `${dataDir}/no-podman.sock`,
      },
      stderr: "ignore",
    }),
  );
  return client;
}

Deno.test("stdio - a 2026-07-28 client and a 2025 client are each answered in their era", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-stdio-eras-" });
  try {
    for (const pin of [true, false]) {
      const client = await connect(pin, dataDir);
      try {
        assert.equal(client.getProtocolEra(), pin ? "modern" : "legacy");
        assert.equal(client.getNegotiatedProtocolVersion(), pin ? "2026-07-28" : "2025-11-25");
        const { tools } = await client.listTools();
        assert.ok(tools.some((t) => t.name === "python_sandbox"), JSON.stringify(tools));
      } finally {
        await client.close();
      }
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
