/**
 * @module Loads the tool-search benchmark data: the captured `tools/list` results of real MCP
 * servers (`fixtures/tools/<server>.json`, written by `capture_tools.ts`) and the intent →
 * expected-tool pairs (`fixtures/tool_search_queries.json`), each parsed with zod.
 */
import { z } from "zod";

/** One tool as a server listed it; only what tool search relies on is checked, the rest kept. */
export const CapturedToolSchema = z.looseObject({
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.looseObject({
    type: z.literal("object"),
    properties: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** A captured tool. */
export type CapturedTool = z.infer<typeof CapturedToolSchema>;

/** One server's capture file. */
export const ToolCaptureSchema = z.object({
  server: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  source: z.string().regex(/^(npx:.+@\d[^@]*|uvx:.+==\d.*)$/),
  captured: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  tools: z.array(CapturedToolSchema).min(1),
});

/** One server's capture. */
export type ToolCapture = z.infer<typeof ToolCaptureSchema>;

/** A tool named by its server's short name and its own name. */
export const ToolRefSchema = z.object({ server: z.string().min(1), tool: z.string().min(1) });

/** A server/tool reference. */
export type ToolRef = z.infer<typeof ToolRefSchema>;

/** One intent and every tool that correctly answers it. */
export const ToolSearchQuerySchema = z.object({
  query: z.string().min(3),
  expected: z.array(ToolRefSchema).min(1),
});

/** One benchmark query. */
export type ToolSearchQuery = z.infer<typeof ToolSearchQuerySchema>;

/** The whole query file. */
export const ToolSearchQueriesSchema = z.array(ToolSearchQuerySchema).min(1);

const FIXTURES = new URL("./fixtures/", import.meta.url);

/**
 * Reads and parses every `fixtures/tools/*.json`, sorted by server name.
 * @param dir folder of capture files (default: `tests/bench/fixtures/tools/`)
 * @throws z.ZodError when a file does not match {@link ToolCaptureSchema}
 */
export async function loadToolCaptures(
  dir: URL = new URL("tools/", FIXTURES),
): Promise<ToolCapture[]> {
  const captures: ToolCapture[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    captures.push(ToolCaptureSchema.parse(JSON.parse(text)));
  }
  return captures.sort((a, b) => a.server.localeCompare(b.server));
}

/**
 * Reads and parses `fixtures/tool_search_queries.json`.
 * @param file the query file (default: `tests/bench/fixtures/tool_search_queries.json`)
 * @throws z.ZodError when the file does not match {@link ToolSearchQueriesSchema}
 */
export async function loadToolSearchQueries(
  file: URL = new URL("tool_search_queries.json", FIXTURES),
): Promise<ToolSearchQuery[]> {
  return ToolSearchQueriesSchema.parse(JSON.parse(await Deno.readTextFile(file)));
}
