/**
 * `tools/list` with 100 registered servers lists them all from the cache and starts no
 * container (checked with the pool and, when available, the Podman API).
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { openServices } from "../../server/composition/wiring.ts";
import { loadSettings } from "../../server/settings.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { TOOL_NAME_PATTERN } from "../../server/mcp/names.ts";
import { quietLogs, withTmpDir } from "../helpers.ts";

const SOCKET = Deno.env.get("MCP_ROUTER_PODMAN_SOCKET") ?? "";

async function containersOfServers(prefix: string): Promise<number> {
  try {
    if (!Deno.statSync(SOCKET).isSocket) return 0;
  } catch {
    return 0;
  }
  const client = Deno.createHttpClient({ proxy: { transport: "unix", path: SOCKET } });
  try {
    const res = await fetch(
      `http://d/v4.0.0/libpod/containers/json?all=true&filters=${
        encodeURIComponent(JSON.stringify({ label: ["mcp-router=1"] }))
      }`,
      { client },
    );
    const list = await res.json() as { Labels?: Record<string, string> }[];
    return list.filter((c) => (c.Labels?.["mcp-router.server"] ?? "").startsWith(prefix)).length;
  } finally {
    client.close();
  }
}

Deno.test({
  name: "Many servers - tools/list over 100 servers starts nothing, names stay valid",
  sanitizeResources: false,
  async fn() {
    quietLogs();
    await using tmp = await withTmpDir();
    const settings = loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: SOCKET || `${tmp.path}/none.sock`,
    });
    const services = await openServices(settings);
    try {
      for (let i = 0; i < 100; i++) {
        const s = await services.store.createServer(PlanSchema.parse({
          name: `many-${i}`,
          runtime: "npx",
          command: "npx",
          args: ["-y", `pkg-${i}`],
          description: `Server number ${i}`,
        }));
        await services.store.setCapabilities(s.id, {
          tools: Array.from({ length: 5 }, (_, j) => ({
            name: j === 4 ? `weird.name/with spaces-${"x".repeat(80)}` : `tool_${j}`,
            description: `Tool ${j} of server ${i}`,
            inputSchema: { type: "object", properties: { q: { type: "string" } } },
          })),
          resources: [],
          resource_templates: [],
          prompts: [],
          server_capabilities: { tools: {} },
          fetched_at: new Date().toISOString(),
        });
      }
      for (const expose of ["servers", "tools"] as const) {
        const session = services.hub.open({ expose });
        const [a, b] = InMemoryTransport.createLinkedPair();
        await session.server.connect(b);
        const client = new Client({ name: "many", version: "1" });
        await client.connect(a);
        const { tools } = await client.listTools();
        const expected = expose === "servers" ? 100 : 500;
        // python_sandbox with a Podman backend; find_tools in servers exposure.
        const builtins = (services.backend ? 1 : 0) + (expose === "servers" ? 1 : 0);
        assert.equal(tools.length, expected + builtins, expose);
        for (const t of tools) assert.match(t.name, TOOL_NAME_PATTERN);
        assert.equal(new Set(tools.map((t) => t.name)).size, tools.length, "names are unique");
        await client.close();
        await services.hub.close(session.sessionId);
      }
      assert.equal(services.pool.containerCount(), 0);
      assert.equal(await containersOfServers("many-"), 0);
    } finally {
      await services.close();
    }
  },
});
