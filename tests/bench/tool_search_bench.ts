/**
 * @module `find_tools` retrieval benchmark: the captured tool lists of real servers
 * (`tests/bench/fixtures/tools/*.json`) indexed as the router indexes them, scored on two intent →
 * expected-tool files: `tool_search_queries.json` (the file the ranker was tuned on) and
 * `tool_search_heldout.json` (written before the ranker was changed and never tuned against).
 * Top-1 and top-3 recall (a pair counts when any expected tool is among the first k).
 * `deno run -A tests/bench/tool_search_bench.ts [--misses]` prints both, and each miss with it.
 */
import { type SearchableTool, ToolIndex } from "../../server/search/tool_search.ts";
import type { FindToolsResult, RecallResult } from "./rows.ts";

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

/** A query whose expected tools are all outside the first three. */
export interface Miss {
  query: string;
  expected: string[];
  got: string[];
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

/** Recall of one query file over an index, with the misses and the mean time per query. */
export function scoreQueries(
  index: ToolIndex,
  file: string,
): RecallResult & { misses: Miss[]; search_us: number } {
  const pairs = JSON.parse(Deno.readTextFileSync(new URL(file, FIXTURES))) as Pair[];
  let top1 = 0;
  let top3 = 0;
  const misses: Miss[] = [];
  const started = performance.now();
  for (const p of pairs) {
    const ranked = index.search(p.query, 3);
    const hit = (k: number) =>
      ranked.slice(0, k).some((m) =>
        p.expected.some((e) => e.server === m.tool.server && e.tool === m.tool.name)
      );
    if (hit(1)) top1++;
    if (hit(3)) top3++;
    else {
      misses.push({
        query: p.query,
        expected: p.expected.map((e) => `${e.server}/${e.tool}`),
        got: ranked.map((m) => `${m.tool.server}/${m.tool.name}`),
      });
    }
  }
  const searchUs = ((performance.now() - started) * 1000) / Math.max(1, pairs.length);
  return {
    pairs: pairs.length,
    top3_recall: top3 / pairs.length,
    top1_recall: top1 / pairs.length,
    misses,
    search_us: Math.round(searchUs),
  };
}

/** Run the benchmark on both query files (tuning and held-out). */
export function runToolSearchBench(): FindToolsResult & {
  misses: number;
  search_us: number;
  heldout: RecallResult & { misses: number };
} {
  const { servers, tools } = loadCapturedTools();
  const index = new ToolIndex(tools);
  // Warm the JIT so the per-query time is the steady one.
  for (let i = 0; i < 20; i++) index.search("warm up the ranker with a query", 3);
  const tuning = scoreQueries(index, "tool_search_queries.json");
  const heldout = scoreQueries(index, "tool_search_heldout.json");
  return {
    pairs: tuning.pairs,
    servers,
    top3_recall: tuning.top3_recall,
    top1_recall: tuning.top1_recall,
    misses: tuning.misses.length,
    search_us: Math.round(
      (tuning.search_us * tuning.pairs + heldout.search_us * heldout.pairs) /
        (tuning.pairs + heldout.pairs),
    ),
    heldout: {
      pairs: heldout.pairs,
      top3_recall: heldout.top3_recall,
      top1_recall: heldout.top1_recall,
      misses: heldout.misses.length,
    },
  };
}

if (import.meta.main) {
  const { tools } = loadCapturedTools();
  const r = runToolSearchBench();
  console.log(JSON.stringify({ ...r, tools: tools.length }));
  if (Deno.args.includes("--misses")) {
    const index = new ToolIndex(tools);
    for (const file of ["tool_search_queries.json", "tool_search_heldout.json"]) {
      console.log(`\n# misses in ${file}`);
      for (const m of scoreQueries(index, file).misses) {
        console.log(
          `- ${m.query}\n    want ${m.expected.join(", ")}\n    got  ${m.got.join(", ")}`,
        );
      }
    }
  }
}
