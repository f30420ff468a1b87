/**
 * @module `find_tools` retrieval benchmark: the captured tool lists of real servers
 * (`tests/bench/fixtures/tools/*.json`) indexed as the router indexes them, and the intent →
 * expected-tool pairs of `tests/bench/fixtures/tool_search_queries.json`; top-1 and top-3 recall
 * (a pair counts when any expected tool is among the first k).
 */
import { type SearchableTool, ToolIndex } from "../../server/search/tool_search.ts";
import type { FindToolsResult } from "./rows.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url);

interface Capture {
  server: string;
  /** The package's registry description (what the analyzer puts in the server's description). */
  description?: string;
  tools: { name: string; title?: string; description?: string; inputSchema?: unknown }[];
}

interface Pair {
  query: string;
  expected: { server: string; tool: string }[];
}

/** The captured tools of every fixture server. */
export function loadCapturedTools(): { servers: number; tools: SearchableTool[] } {
  const tools: SearchableTool[] = [];
  let servers = 0;
  for (const e of Deno.readDirSync(new URL("tools/", FIXTURES))) {
    if (!e.name.endsWith(".json")) continue;
    const cap = JSON.parse(Deno.readTextFileSync(new URL(`tools/${e.name}`, FIXTURES))) as Capture;
    servers++;
    for (const t of cap.tools) {
      tools.push({
        server: cap.server,
        serverAbout: cap.description ?? "",
        name: t.name,
        title: t.title,
        description: t.description,
        inputSchema: (t.inputSchema ?? {}) as Record<string, unknown>,
      });
    }
  }
  return { servers, tools };
}

/** Run the benchmark; null when the query file is absent. */
export function runToolSearchBench(): FindToolsResult & { misses: number; search_us: number } {
  const { servers, tools } = loadCapturedTools();
  const pairs = JSON.parse(
    Deno.readTextFileSync(new URL("tool_search_queries.json", FIXTURES)),
  ) as Pair[];
  const index = new ToolIndex(tools);
  let top1 = 0;
  let top3 = 0;
  const started = performance.now();
  for (const p of pairs) {
    const ranked = index.search(p.query, 3);
    const hit = (k: number) =>
      ranked.slice(0, k).some((m) =>
        p.expected.some((e) => e.server === m.tool.server && e.tool === m.tool.name)
      );
    if (hit(1)) top1++;
    if (hit(3)) top3++;
  }
  const searchUs = ((performance.now() - started) * 1000) / Math.max(1, pairs.length);
  return {
    pairs: pairs.length,
    servers,
    top3_recall: top3 / pairs.length,
    top1_recall: top1 / pairs.length,
    misses: pairs.length - top3,
    search_us: Math.round(searchUs),
  };
}

if (import.meta.main) {
  const r = runToolSearchBench();
  console.log(JSON.stringify({ ...r, tools: loadCapturedTools().tools.length }));
}
