/**
 * @module `deno task bench`: the router's performance as ratios against direct baselines
 * measured in the same run — cold start, warm `tools/call` overhead (in memory and over
 * streamable HTTP `/mcp`, minus a direct stdio client to the same container), throughput with 20
 * sessions each on its own container (router in its own process), router memory per idle
 * session (200 sessions), `tools/list` with 100 servers (and that listing starts no container),
 * `tools/list` token size per exposure mode, the `find_tools` recall slot, and the python_sandbox
 * figures. Prints a table and the issue-#15 targets, and writes `tests/.artifacts/bench.json`.
 * Container benchmarks are skipped (with a note) without a Podman socket
 * (`MCP_ROUTER_PODMAN_SOCKET`). The CPU profile of the warm path is a separate aid:
 * `deno run -A tests/bench/profile_warm_call.ts`.
 *
 * Flags: `--record-fixture` rewrites `tests/bench/fixtures/everything_tools.json` from the live
 * server-everything capture; `--cold[=ROUNDS]` runs the cold-start lanes alone (`cold_only.ts`);
 * `--only=warm,throughput` runs only the named benchmarks (of {@linkcode BENCHES}).
 */
import { runToolSearchBench } from "./tool_search_bench.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { type Capabilities, CapabilitiesSchema } from "../../server/schemas/server.ts";
import { benchSandbox } from "./sandbox_bench.ts";
import {
  benchContainers,
  CONTAINER_BENCH_COUNTS,
  type ContainerBenchResult,
} from "./container_bench.ts";
import { benchListing, LISTING_BENCH_COUNTS, type ListingBenchResult } from "./listing_bench.ts";
import {
  benchThroughput,
  THROUGHPUT_BENCH_COUNTS,
  type ThroughputResult,
} from "./throughput_bench.ts";
import { benchMemory, MEMORY_BENCH_COUNTS, type MemoryResult } from "./memory_bench.ts";
import { renderTable, type ReportRow } from "./report.ts";
import {
  containerRows,
  type FindToolsResult,
  findToolsRows,
  listingRows,
  memoryRows,
  sandboxRows,
  targetChecks,
  throughputRows,
} from "./rows.ts";
import { openBenchServices, probeSocket, removeDir } from "./setup.ts";
import { coldRounds, runColdOnly } from "./cold_only.ts";

const FIXTURE = new URL("./fixtures/everything_tools.json", import.meta.url);
const ARTIFACT = new URL("../.artifacts/bench.json", import.meta.url);
/** Where a `--only` run writes (the full run's figures stay in `bench.json`). */
const PARTIAL_ARTIFACT = new URL("../.artifacts/bench_only.json", import.meta.url);

/** Benchmark names `--only` picks from. */
export const BENCHES = [
  "cold",
  "warm",
  "throughput",
  "memory",
  "listing",
  "find_tools",
  "sandbox",
] as const;

/**
 * The benchmarks `args` select: `--only=a,b` (or `--only a,b`), else all.
 * @throws on a name not in {@linkcode BENCHES}
 */
export function selectedBenches(args: string[]): Set<string> {
  const i = args.findIndex((a) => a === "--only" || a.startsWith("--only="));
  if (i < 0) return new Set(BENCHES);
  const list = args[i] === "--only" ? (args[i + 1] ?? "") : args[i].slice("--only=".length);
  const names = list.split(",").map((n) => n.trim()).filter(Boolean);
  for (const n of names) {
    if (!(BENCHES as readonly string[]).includes(n)) {
      throw new Error(`--only: unknown benchmark ${n} (one of ${BENCHES.join(", ")})`);
    }
  }
  return new Set(names);
}

function progress(line: string): void {
  console.error(`[bench] ${line}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function loadFixture(): Promise<Capabilities> {
  return CapabilitiesSchema.parse(JSON.parse(await Deno.readTextFile(FIXTURE)));
}

function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  const restoreSink = Deno.env.get("LOG") ? null : setLogSink(() => {});
  const recordFixture = Deno.args.includes("--record-fixture");
  const only = selectedBenches(Deno.args);
  const { socket, reason } = probeSocket();
  const loadBefore = loadAverage();
  const results: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const notes: string[] = [];
  let failed = false;
  /** Run one benchmark; a failure is recorded and the run goes on. */
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      failed = true;
      errors[name] = messageOf(error);
      progress(`${name} failed: ${errors[name]}`);
      return null;
    }
  };

  let containers: ContainerBenchResult | null = null;
  let throughput: ThroughputResult | null = null;
  let caps: Capabilities | null = null;
  let capsSource = "";
  const wantContainers = only.has("cold") || only.has("warm");
  if (socket && (wantContainers || only.has("throughput"))) {
    const dir = await Deno.makeTempDir({ prefix: "mcp-router-bench-" });
    const services = await openBenchServices(dir, { socket });
    progress("container benchmarks (cold start, warm calls)");
    containers = !wantContainers ? null : await step("containers", async () => {
      try {
        const picked = { cold: only.has("cold"), warm: only.has("warm") };
        return await benchContainers(services, { log: progress, ...picked });
      } finally {
        await services.close();
        await removeDir(dir);
      }
    });
    if (containers) {
      const { captured, ...rest } = containers;
      Object.assign(results, rest);
      caps = captured;
      capsSource =
        `live capture from a server-everything container (${captured.tools.length} tools)`;
      if (recordFixture) {
        await Deno.writeTextFile(FIXTURE, JSON.stringify(captured, null, 2) + "\n");
        progress(`recorded ${FIXTURE.pathname}`);
      }
    }
    progress(`throughput benchmark (${THROUGHPUT_BENCH_COUNTS.sessions} sessions)`);
    throughput = !only.has("throughput")
      ? null
      : await step("throughput", () => benchThroughput({ socket, log: progress }));
    if (throughput) {
      results.throughput_20_sessions = throughput;
      if (throughput.errors > 0) failed = true;
    }
  } else if (!socket) {
    notes.push(`container benchmarks (cold start, warm tools/call, throughput) skipped: ${reason}`);
  }
  if (!caps) {
    caps = await loadFixture();
    capsSource =
      `checked-in capture tests/bench/fixtures/everything_tools.json (${caps.tools.length} tools)`;
  }

  progress(`memory benchmark (${MEMORY_BENCH_COUNTS.sessions} idle sessions)`);
  const memory: MemoryResult | null = !only.has("memory")
    ? null
    : await step("memory", () => benchMemory({ socket, log: progress }));
  if (memory) results.memory_idle_sessions = memory;

  progress("listing benchmarks (token size, tools/list with 100 servers)");
  const listCaps = caps;
  const listing: ListingBenchResult | null = !only.has("listing") ? null : await step(
    "listing",
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "mcp-router-bench-list-" });
      const services = await openBenchServices(dir, { socket });
      try {
        return await benchListing(services, { caps: listCaps, source: capsSource, log: progress });
      } finally {
        await services.close();
        await removeDir(dir);
      }
    },
  );
  if (listing) {
    results.tools_list_tokens = listing.tokens;
    results.tools_list_100_servers = listing.listing;
    if (!listing.listing.no_container_started.ok) failed = true;
    if (!listing.listing.no_container_started.podman_checked) {
      notes.push("no-container assertion checked the pool only (no Podman socket)");
    }
  }

  // find_tools retrieval over the captured tool lists of real servers (tests/bench/fixtures/).
  progress("find_tools retrieval benchmark");
  const findTools: FindToolsResult | null = only.has("find_tools") ? runToolSearchBench() : null;
  results.find_tools = findTools;

  progress("python_sandbox benchmark");
  const sandbox = only.has("sandbox") ? await step("python_sandbox", () => benchSandbox()) : null;
  if (sandbox) {
    results.python_sandbox = sandbox;
    if (typeof sandbox.skipped === "string") {
      notes.push(`python_sandbox skipped: ${sandbox.skipped}`);
    }
  }
  if (restoreSink) setLogSink(restoreSink);

  const rows: ReportRow[] = [
    ...(containers ? containerRows(containers) : []),
    ...(throughput ? throughputRows(throughput) : []),
    ...(memory ? memoryRows(memory) : []),
    ...(listing ? listingRows(listing) : []),
    ...(only.has("find_tools") ? findToolsRows(findTools) : []),
    ...(sandbox ? sandboxRows(sandbox) : []),
  ];
  const targets = targetChecks({
    containers: containers ?? undefined,
    throughput: throughput ?? undefined,
    memory: memory ?? undefined,
    listing: listing ?? undefined,
    findTools,
  });
  notes.push(
    "ratio = router / baseline from the same run (>1 means the router is slower)",
    "cold-start baseline: bare create+attach+start of the same image and launch spec, write " +
      "initialize, read its reply; the router side adds notifications/initialized, the echo " +
      "call and its audit entry (the capabilities snapshot follows the call)",
    "warm baseline (direct stdio): the same echo sent by an SDK client directly on the pooled " +
      "stdio connection of the same session's container; HTTP lanes carry a bearer API key",
    "throughput/memory: the router alone in its own Deno process (tests/bench/router_process.ts, " +
      "API key required); load from the bench process with the lean raw-fetch client",
    "memory: V8 heapUsed and RSS after a full GC (--expose-gc), 2025-11-25 sessions that only " +
      "initialized (no tool call, so no container)",
    "tools/list baseline: store.listServers() alone; tokens ~ ceil(JSON chars / 4)",
    `tool lists: ${capsSource}`,
    `load average before the run: ${loadBefore}; after: ${loadAverage()} (2 cores, shared)`,
  );
  for (const [k, v] of Object.entries(errors)) notes.push(`ERROR in ${k}: ${v.split("\n")[0]}`);
  const totalMs = Math.round(performance.now() - startedAt);
  notes.push(`total run time ${(totalMs / 1000).toFixed(1)} s`);
  const table = [
    renderTable(rows, notes),
    "",
    "issue #15 targets:",
    ...targets.map((t) => `  [${t.ok ? "PASS" : "MISS"}] ${t.target}: ${t.measured}`),
  ].join("\n");
  console.log(table);

  const report = {
    generated_at: new Date().toISOString(),
    deno: Deno.version.deno,
    os: `${Deno.build.os}-${Deno.build.arch}`,
    podman_socket: socket,
    total_ms: totalMs,
    counts: {
      containers: CONTAINER_BENCH_COUNTS,
      throughput: THROUGHPUT_BENCH_COUNTS,
      memory: MEMORY_BENCH_COUNTS,
      listing: LISTING_BENCH_COUNTS,
    },
    results,
    targets,
    errors,
    notes,
    ok: !failed,
    table,
  };
  await Deno.mkdir(new URL("../.artifacts/", import.meta.url), { recursive: true });
  const artifact = only.size === BENCHES.length ? ARTIFACT : PARTIAL_ARTIFACT;
  await Deno.writeTextFile(artifact, JSON.stringify(report, null, 2) + "\n");
  progress(`wrote ${artifact.pathname}`);
  return failed ? 1 : 0;
}

if (import.meta.main) {
  const rounds = coldRounds(Deno.args);
  if (rounds !== null) {
    const restore = Deno.env.get("LOG") ? null : setLogSink(() => {});
    const code = await runColdOnly(rounds, progress);
    if (restore) setLogSink(restore);
    Deno.exit(code);
  }
  Deno.exit(await main());
}
