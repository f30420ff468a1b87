/**
 * @module `find_tools` retrieval benchmark: the captured tool lists of real servers
 * (`tests/bench/fixtures/tools/*.json`) indexed as the router indexes them, scored on two intent →
 * expected-tool files. "Tuning" is `tool_search_queries.json`, `tool_search_heldout.json` and
 * `tool_search_heldout2.json` (the ranker was tuned on all three: the later two's misses were looked
 * at once each); "held-out" is `tool_search_heldout3.json`, 149 intents written by someone who never
 * saw the ranker, run once.
 * Top-1 and top-3 recall (a pair counts when any expected tool is among the first k).
 * `deno run -A tests/bench/tool_search_bench.ts [--misses]` prints both, and each miss with it
 * (`--tuning` leaves the held-out file out).
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

/** The query files the ranker was tuned on. */
export const TUNING_FILES = [
  "tool_search_queries.json",
  "tool_search_heldout.json",
  "tool_search_heldout2.json",
];

/** The query file the ranker was never tuned on. */
export const HELDOUT_FILE = "tool_search_heldout3.json";

/** Recall of query files (scored as one set) over an index, with the misses and the time per query. */
export function scoreQueries(
  index: ToolIndex,
  files: string[],
): RecallResult & { misses: Miss[]; search_us: number } {
  const pairs = files.flatMap((file) =>
    JSON.parse(Deno.readTextFileSync(new URL(file, FIXTURES))) as Pair[]
  );
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

/** Run the benchmark on the tuning files and the held-out file. */
export function runToolSearchBench(): FindToolsResult & {
  misses: number;
  search_us: number;
  heldout: RecallResult & { misses: number };
} {
  const { servers, tools } = loadCapturedTools();
  const index = new ToolIndex(tools);
  // Warm the JIT so the per-query time is the steady one.
  for (let i = 0; i < 20; i++) index.search("warm up the ranker with a query", 3);
  const tuning = scoreQueries(index, TUNING_FILES);
  const heldout = scoreQueries(index, [HELDOUT_FILE]);
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
  const tuningOnly = Deno.args.includes("--tuning");
  if (tuningOnly) {
    const t = scoreQueries(new ToolIndex(tools), TUNING_FILES);
    console.log(JSON.stringify({ ...t, misses: t.misses.length, tools: tools.length }));
  } else {
    console.log(JSON.stringify({ ...runToolSearchBench(), tools: tools.length }));
  }
  if (Deno.args.includes("--misses")) {
    const index = new ToolIndex(tools);
    const sets = tuningOnly ? [TUNING_FILES] : [TUNING_FILES, [HELDOUT_FILE]];
    for (const files of sets) {
      console.log(`\n# misses in ${files.join(" + ")}`);
      for (const m of scoreQueries(index, files).misses) {
        console.log(
          `- ${m.query}\n    want ${m.expected.join(", ")}\n    got  ${m.got.join(", ")}`,
        );
      }
    }
  }
}
