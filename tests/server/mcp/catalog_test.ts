/**
 * @module Catalog descriptions: a server-as-tool says what the server is — its description, or
 * else what the server said of itself in `initialize` — and lists its cached tools.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/server/index"
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { changedLists, snapshotCapabilities } from "../../../server/mcp/capabilities.ts";
import { describeServer } from "../../../server/mcp/catalog.ts";
import { serverRecord } from "../../helpers.ts";

async function snapshotOf(instructions?: string) {
  const server = new Server(
    { name: "weather-server", version: "2.1.0", title: "Weather" },
    { capabilities: { tools: {} }, ...(instructions ? { instructions } : {}) },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [{
      name: "forecast",
      description: "Forecast for a city\nmore detail",
      inputSchema: { type: "object" },
    }],
  }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "c", version: "0" });
  await Promise.all([server.connect(a), client.connect(b)]);
  try {
    return await snapshotCapabilities(client);
  } finally {
    await client.close();
  }
}

Deno.test("catalog - snapshots keep the server's own name, title and instructions", async () => {
  const caps = await snapshotOf("Gives weather forecasts. Use city names in English.");
  assert.equal(caps.server_info?.name, "weather-server");
  assert.equal(caps.server_info?.title, "Weather");
  assert.equal(caps.instructions, "Gives weather forecasts. Use city names in English.");
  assert.deepEqual(changedLists({ ...caps, instructions: "other" }, caps), ["tools"]);
  assert.deepEqual(changedLists({ ...caps, fetched_at: "earlier" }, caps), []);
});

Deno.test("catalog - a server-as-tool is described by its description, else its instructions or title", async () => {
  const caps = await snapshotOf("Gives weather forecasts. Use city names in English.");
  const own = describeServer(
    serverRecord({ display_name: "Weather", description: "Forecasts", capabilities: caps }),
  );
  assert.match(own, /^Weather: Forecasts\n/);
  // Lean: the tool names, no per-tool summaries (schemas come on load or from find_tools).
  assert.match(own, /\nTools: forecast\.$/);
  assert.doesNotMatch(own, /Forecast for a city/);
  const fromTitle = describeServer(serverRecord({ capabilities: caps }));
  assert.match(fromTitle, /^demo: Weather\n/);
  const untitled = { ...caps, server_info: { name: "weather-server" } };
  const fromInstructions = describeServer(serverRecord({ capabilities: untitled }));
  assert.match(fromInstructions, /^demo: Gives weather forecasts\.\n/);
  const headed = {
    ...untitled,
    instructions: "# Weather – Instructions\n\nGives forecasts. More.",
  };
  assert.match(
    describeServer(serverRecord({ capabilities: headed })),
    /^demo: Gives forecasts\.\n/,
  );
  const unknown = describeServer(serverRecord());
  assert.match(unknown, /^demo\n/);
  assert.match(unknown, /Tools not yet known/);
});
