/** find_tools: ranking over cached tools, schemas and the call to make, bad input, no containers. */
import assert from "node:assert/strict";
import { buildCatalog } from "../../../server/mcp/catalog.ts";
import { createFindToolsTool } from "../../../server/services/find_tools_tool.ts";
import { tokens, ToolIndex } from "../../../server/search/tool_search.ts";
import { serverRecord } from "../../helpers.ts";

function caps(tools: { name: string; description: string; props?: string[] }[]) {
  return {
    tools: tools.map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: {
        type: "object",
        properties: Object.fromEntries((t.props ?? []).map((p) => [p, { type: "string" }])),
      },
    })),
    resources: [],
    resource_templates: [],
    prompts: [],
    server_capabilities: { tools: {} },
    fetched_at: "2026-12-01T00:00:00Z",
  };
}

const servers = [
  serverRecord({
    id: "1",
    name: "git",
    capabilities: caps([
      { name: "git_log", description: "Shows the commit logs", props: ["repo_path", "max_count"] },
      { name: "git_diff", description: "Shows differences between branches", props: ["target"] },
    ]),
  }),
  serverRecord({
    id: "2",
    name: "time",
    capabilities: caps([
      { name: "get_current_time", description: "Get current time in a specific timezone" },
      { name: "convert_time", description: "Convert time between timezones" },
    ]),
  }),
  serverRecord({ id: "3", name: "never-loaded", capabilities: null }),
];

Deno.test("find_tools - ranks cached tools and says how to call them", async () => {
  const catalog = buildCatalog(servers, { mode: "servers" });
  const tool = createFindToolsTool(() => Promise.resolve(catalog));
  const res = await tool.call(
    "s1",
    { query: "what time is it in Tokyo right now", limit: 2 },
    {} as never,
  );
  assert.equal(res.isError, undefined);
  const out = res.structuredContent as {
    matches: { server: string; tool: string; inputSchema: unknown; call: unknown }[];
    not_searched: string[];
  };
  assert.equal(out.matches[0].tool, "get_current_time");
  assert.deepEqual(out.matches[0].call, {
    name: "time",
    arguments: { tool: "get_current_time", arguments: {} },
  });
  assert.ok(out.matches[0].inputSchema);
  assert.equal(out.matches.length, 2);
  assert.deepEqual(out.not_searched, ["never-loaded"]);
  const commits = await tool.call("s1", { query: "show recent commits" }, {} as never);
  assert.equal((commits.structuredContent as typeof out).matches[0].tool, "git_log");
});

Deno.test("find_tools - bad arguments are a tool error, not a crash", async () => {
  const tool = createFindToolsTool(() =>
    Promise.resolve(buildCatalog(servers, { mode: "servers" }))
  );
  for (const args of [{}, { query: "" }, { query: "x", limit: 0 }, { query: "x", extra: 1 }]) {
    const res = await tool.call("s1", args, {} as never);
    assert.equal(res.isError, true, JSON.stringify(args));
  }
});

Deno.test("tool search - tokens split names and stem plurals", () => {
  assert.deepEqual(tokens("getCurrentTime list_pull_requests"), [
    "get",
    "current",
    "time",
    "list",
    "pull",
    "request",
  ]);
  assert.equal(new ToolIndex([]).search("anything").length, 0);
});
