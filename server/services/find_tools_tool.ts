/**
 * @module The `find_tools` built-in (servers exposure): ranks every cached tool of every active
 * server against a query ({@linkcode ToolIndex}) and returns the best matches with their input
 * schemas and the exact call to make. It reads only the catalogue (no container starts); the
 * index is rebuilt when the catalogue is (its change events).
 */
import { z } from "zod";
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import type { BuiltinTool } from "../mcp/contracts.ts";
import type { Catalog } from "../mcp/catalog.ts";
import { type SearchableTool, ToolIndex } from "../search/tool_search.ts";

/** Most matches one call returns. */
const MAX_LIMIT = 20;

/** The tool's definition. */
export const FIND_TOOLS_TOOL: Tool = {
  name: "find_tools",
  title: "Find tools",
  description:
    "Search the tools of every server added to the router by what you want to do. Returns the " +
    "best matches with their input schemas and the exact call to make. Starts no server.",
  inputSchema: {
    type: "object",
    properties: {
      query: { type: "string", description: "What you want to do, in plain words." },
      limit: {
        type: "integer",
        minimum: 1,
        maximum: MAX_LIMIT,
        description: "How many matches (default 5).",
      },
    },
    required: ["query"],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
};

const ArgsSchema = z.object({
  query: z.string().trim().min(1, "query is empty").max(1000),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(5),
}).strict();

/** The searchable tools of a catalogue's active servers (cached tool lists only). */
export function searchableTools(catalog: Catalog): SearchableTool[] {
  const out: SearchableTool[] = [];
  for (const server of catalog.serverByName.values()) {
    const about = server.description || server.capabilities?.server_info?.title || "";
    for (const t of server.capabilities?.tools ?? []) {
      out.push({
        server: server.name,
        serverAbout: about,
        name: t.name,
        title: t.title ?? undefined,
        description: t.description ?? undefined,
        inputSchema: (t.inputSchema ?? {}) as Record<string, unknown>,
      });
    }
  }
  return out;
}

/** How to call `tool` of `server` through this catalogue. */
function callOf(catalog: Catalog, server: string, tool: string): Record<string, unknown> {
  for (const e of catalog.tools) {
    if (e.target.kind === "tool" && e.target.server.name === server && e.target.tool === tool) {
      return { name: e.tool.name, arguments: {} };
    }
  }
  const host = catalog.tools.find((e) =>
    e.target.kind === "server" && e.target.server.name === server
  );
  return { name: host?.tool.name ?? server, arguments: { tool, arguments: {} } };
}

/**
 * The built-in over a catalogue source.
 * @param catalog the servers-exposure catalogue (cached by the hub, rebuilt on change)
 */
export function createFindToolsTool(catalog: () => Promise<Catalog>): BuiltinTool {
  const indexes = new WeakMap<Catalog, ToolIndex>();
  return {
    tool: FIND_TOOLS_TOOL,
    expose: ["servers"],
    async call(_sessionId, args): Promise<CallToolResult> {
      const parsed = ArgsSchema.safeParse(args);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return {
          isError: true,
          content: [{
            type: "text",
            text: `find_tools: ${issue.path.join(".") || "arguments"}: ${issue.message}`,
          }],
        };
      }
      const cat = await catalog();
      let index = indexes.get(cat);
      if (!index) indexes.set(cat, index = new ToolIndex(searchableTools(cat)));
      const matches = index.search(parsed.data.query, parsed.data.limit).map((m) => ({
        server: m.tool.server,
        tool: m.tool.name,
        description: m.tool.description ?? "",
        inputSchema: m.tool.inputSchema,
        call: callOf(cat, m.tool.server, m.tool.name),
        score: Math.round(m.score * 100) / 100,
      }));
      const unloaded = [...cat.serverByName.values()].filter((s) => !s.capabilities)
        .map((s) => s.name);
      const result = {
        query: parsed.data.query,
        matches,
        ...(unloaded.length
          ? {
            not_searched: unloaded,
            hint: "these servers were never loaded: call one without `tool` to list its tools",
          }
          : {}),
      };
      return {
        content: [{ type: "text", text: JSON.stringify(result) }],
        structuredContent: result,
      };
    },
    endSession: () => Promise.resolve(),
  };
}
