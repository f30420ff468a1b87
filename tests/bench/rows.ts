/**
 * @module Benchmark report rows: each benchmark's JSON result as table rows (value, same-run
 * baseline, ratio), and the issue-#15 targets checked against them.
 */
import { CONTAINER_BENCH_COUNTS, type ContainerBenchResult } from "./container_bench.ts";
import { LISTING_BENCH_COUNTS, type ListingBenchResult } from "./listing_bench.ts";
import { THROUGHPUT_BENCH_COUNTS, type ThroughputResult } from "./throughput_bench.ts";
import { MEMORY_BENCH_COUNTS, type MemoryResult } from "./memory_bench.ts";
import { ms, type ReportRow, times } from "./report.ts";

/** Rows of the cold-start and warm-call benchmarks. */
export function containerRows(r: ContainerBenchResult): ReportRow[] {
  const rows: ReportRow[] = [];
  const cold = r.cold_start;
  const coldName = `cold start (N=${CONTAINER_BENCH_COUNTS.cold}, median)`;
  if (cold) {
    rows.push({
      bench: coldName,
      metric: "first echo, new session, servers mode",
      value: ms(cold.router_servers_mode_ms.p50),
      baseline: ms(cold.bare_container_initialize_ms.p50),
      ratio: times(cold.ratio_servers_mode_median),
    });
    rows.push({
      bench: coldName,
      metric: "first echo, new session, tools mode",
      value: ms(cold.router_tools_mode_ms.p50),
      baseline: ms(cold.bare_container_initialize_ms.p50),
      ratio: times(cold.ratio_tools_mode_median),
    });
  }
  const w = r.warm_tools_call;
  if (!w) return rows;
  const warmName = `warm tools/call echo (N=${CONTAINER_BENCH_COUNTS.warm}, ` +
    `after ${CONTAINER_BENCH_COUNTS.warmup} warm-up)`;
  for (
    const [label, p] of [
      ["HTTP /mcp (SDK client, key)", w.streamable_http_servers_mode],
      ["HTTP /mcp (lean client, key)", w.streamable_http_lean_client],
    ] as const
  ) {
    rows.push({
      bench: warmName,
      metric: `${label}: p50 minus direct stdio p50 (target <= 0.3 ms)`,
      value: ms(p.overhead_p50_ms),
      baseline: ms(p.direct_ms.p50),
      ratio: times(p.ratio_p50),
    });
  }
  const lanes = [
    ["HTTP /mcp (SDK client, key), servers mode", w.streamable_http_servers_mode],
    ["HTTP /mcp (lean client, key), servers mode", w.streamable_http_lean_client],
    ["HTTP /mcp (lean client, SDK path forced)", w.streamable_http_lean_sdk_path],
    ["in-memory, servers mode", w.in_memory_servers_mode],
    ["in-memory, tools mode", w.in_memory_tools_mode],
  ] as const;
  for (const [label, p] of lanes) {
    for (const q of ["p50", "p95"] as const) {
      rows.push({
        bench: warmName,
        metric: `${label} ${q}`,
        value: ms(p.router_ms[q]),
        baseline: ms(p.direct_ms[q]),
        ratio: times(q === "p50" ? p.ratio_p50 : p.ratio_p95),
      });
    }
  }
  return rows;
}

/** Rows of the 20-session throughput benchmark. */
export function throughputRows(r: ThroughputResult): ReportRow[] {
  const bench = `throughput, ${r.sessions} sessions x own container, closed loop ` +
    `${Math.round(THROUGHPUT_BENCH_COUNTS.measureMs / 1000)} s`;
  const row = (metric: string, value: string): ReportRow => ({
    bench,
    metric,
    value,
    baseline: "-",
    ratio: "-",
  });
  const h = r.host_cores_by_command;
  const known = ["deno (router)", "deno (bench, load generator)", "node", "conmon"];
  const other = Object.entries(h).filter(([k]) => !known.includes(k)).reduce(
    (a, [, v]) => a + v,
    0,
  );
  const c = (k: string) => (h[k] ?? 0).toFixed(2);
  return [
    row("calls/s (target >= 1,500)", r.calls_per_s.toFixed(0)),
    row(
      "latency p50 / p99 (target p99 <= 20 ms)",
      `${ms(r.latency_ms.p50)} / ${ms(r.latency_ms.p99)}`,
    ),
    row("errors (target 0)", `${r.errors} of ${r.calls + r.errors}`),
    row(
      "router CPU per call / cores used",
      `${r.router_cpu_us_per_call} us / ${r.router_cpu_cores}`,
    ),
    row("load generator CPU per call (bench process)", `${r.loadgen_cpu_us_per_call} us`),
    row(
      "host cores: router / load gen / containers' node+conmon / other processes",
      `${c(known[0])} / ${c(known[1])} / ${c("node")}+${c("conmon")} / ${other.toFixed(2)}`,
    ),
    row(
      `container starts p50 (${THROUGHPUT_BENCH_COUNTS.startConcurrency} at once) / failed first calls`,
      `${ms(r.container_start_ms.p50)} / ${r.start_failures.length}`,
    ),
  ];
}

/** Rows of the idle-session memory benchmark. */
export function memoryRows(r: MemoryResult): ReportRow[] {
  const bench = `router memory, ${MEMORY_BENCH_COUNTS.sessions} idle sessions` +
    (r.gc ? " (after full GC)" : " (no GC exposed)");
  const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
  return [{
    bench,
    metric: "V8 heap used per idle session (target <= 100 KB)",
    value: `${r.heap_kb_per_session} KB`,
    baseline: mb(r.before.heap_used),
    ratio: "-",
  }, {
    bench,
    metric: "RSS per idle session",
    value: `${r.rss_kb_per_session} KB`,
    baseline: mb(r.before.rss),
    ratio: "-",
  }, {
    bench,
    metric: "heap still held per session after they all closed",
    value: `${r.heap_kb_per_session_after_close} KB`,
    baseline: "-",
    ratio: "-",
  }];
}

/** Recall of the ranker on one query file. */
export interface RecallResult {
  pairs: number;
  top3_recall: number;
  top1_recall?: number;
}

/**
 * Result of the `find_tools` retrieval benchmark (`tool_search_bench.ts`): recall on the tuning
 * query files, and on the held-out file the ranker was never tuned against (the one the target
 * is checked on).
 */
export interface FindToolsResult extends RecallResult {
  servers: number;
  heldout?: RecallResult;
}

/** Rows of the `find_tools` retrieval benchmark: tuning and held-out recall (pending when absent). */
export function findToolsRows(r: FindToolsResult | null): ReportRow[] {
  const bench = "find_tools retrieval";
  if (!r) {
    return [{
      bench,
      metric: "top-3 recall (target >= 90%)",
      value: "pending",
      baseline: "-",
      ratio: "-",
    }];
  }
  const row = (what: string, x: RecallResult): ReportRow => ({
    bench: `${bench}, ${x.pairs} ${what} intents over ${r.servers} servers`,
    metric: "top-3 recall (target >= 90%)",
    value: `${(100 * x.top3_recall).toFixed(1)}%`,
    baseline: x.top1_recall === undefined ? "-" : `top-1 ${(100 * x.top1_recall).toFixed(1)}%`,
    ratio: "-",
  });
  return [row("tuning", r), ...(r.heldout ? [row("held-out", r.heldout)] : [])];
}

/** One issue-#15 target checked against a measured figure. */
export interface TargetCheck {
  target: string;
  measured: string;
  ok: boolean;
}

/** The issue-#15 targets that this run measured, each checked. */
export function targetChecks(results: {
  containers?: ContainerBenchResult;
  throughput?: ThroughputResult;
  memory?: MemoryResult;
  listing?: ListingBenchResult;
  findTools?: FindToolsResult | null;
}): TargetCheck[] {
  const out: TargetCheck[] = [];
  const c = results.containers;
  if (c?.warm_tools_call) {
    const o = c.warm_tools_call.streamable_http_servers_mode.overhead_p50_ms;
    out.push({ target: "warm /mcp p50 - direct p50 <= 0.3 ms", measured: ms(o), ok: o <= 0.3 });
  }
  if (c?.cold_start) {
    const cold = c.cold_start.ratio_servers_mode_median;
    out.push({ target: "cold start <= 1.1x bare Podman", measured: times(cold), ok: cold <= 1.1 });
  }
  const t = results.throughput;
  if (t) {
    out.push({
      target: ">= 1,500 calls/s at 20 sessions",
      measured: `${t.calls_per_s}`,
      ok: t.calls_per_s >= 1500,
    });
    out.push({
      target: "p99 <= 20 ms",
      measured: ms(t.latency_ms.p99),
      ok: t.latency_ms.p99 <= 20,
    });
    out.push({ target: "no errors under load", measured: String(t.errors), ok: t.errors === 0 });
  }
  const m = results.memory;
  if (m) {
    out.push({
      target: "<= 100 KB per idle session (heap)",
      measured: `${m.heap_kb_per_session} KB`,
      ok: m.heap_kb_per_session <= 100,
    });
  }
  const l = results.listing;
  if (l) {
    const x = l.tokens.ratio_tools_vs_servers;
    out.push({ target: "servers mode >= 10x smaller", measured: times(x), ok: x >= 10 });
  }
  const f = results.findTools;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  out.push({
    target: "find_tools top-3 recall >= 90% on the held-out queries",
    measured: f
      ? `${f.heldout ? `held-out ${pct(f.heldout.top3_recall)}` : "held-out pending"}; tuning ${
        pct(f.top3_recall)
      }`
      : "pending",
    ok: !!f?.heldout && f.heldout.top3_recall >= 0.9,
  });
  return out;
}

/** Rows of the listing benchmarks. */
export function listingRows(r: ListingBenchResult): ReportRow[] {
  const l = r.listing;
  const name = `tools/list, ${l.servers_registered} servers (N=${LISTING_BENCH_COUNTS.runs})`;
  const rows: ReportRow[] = [];
  for (
    const [mode, stats, p50, p95] of [
      ["servers", l.tools_list_servers_mode_ms, l.ratio_servers_mode_p50, l.ratio_servers_mode_p95],
      ["tools", l.tools_list_tools_mode_ms, l.ratio_tools_mode_p50, l.ratio_tools_mode_p95],
    ] as const
  ) {
    rows.push({
      bench: name,
      metric: `${mode} mode p50`,
      value: ms(stats.p50),
      baseline: ms(l.list_servers_ms.p50),
      ratio: times(p50),
    });
    rows.push({
      bench: name,
      metric: `${mode} mode p95`,
      value: ms(stats.p95),
      baseline: ms(l.list_servers_ms.p95),
      ratio: times(p95),
    });
  }
  const nc = l.no_container_started;
  rows.push({
    bench: name,
    metric: "ASSERT no container started",
    value: nc.ok ? "PASS" : "FAIL",
    baseline: `pool=${nc.pool_container_count}` +
      (nc.podman_checked ? `, podman new=${nc.new_containers_of_bench_servers}` : ""),
    ratio: "-",
  });
  const t = r.tokens;
  rows.push({
    bench: `tools/list size, ${t.servers_registered} servers`,
    metric:
      `approx tokens: tools mode (${t.tools_mode.tools} tools) vs servers mode (${t.servers_mode.tools})`,
    value: String(t.tools_mode.approx_tokens),
    baseline: String(t.servers_mode.approx_tokens),
    ratio: times(t.ratio_tools_vs_servers),
  });
  return rows;
}

function num(x: unknown, key: string): number {
  const v = (x as Record<string, unknown> | undefined)?.[key];
  return typeof v === "number" ? v : NaN;
}

/** Rows of the python_sandbox benchmark. */
export function sandboxRows(r: Record<string, unknown>): ReportRow[] {
  if (typeof r.skipped === "string") return [];
  const name = "python_sandbox";
  const exec = num(r.libpod_exec_print_ms, "median");
  const rows: ReportRow[] = [{
    bench: name,
    metric: "warm print(1) median vs bare libpod exec",
    value: ms(num(r.warm_print_ms, "median")),
    baseline: ms(exec),
    ratio: times(num(r.warm_print_ms, "median") / exec),
  }, {
    bench: name,
    metric: "cold first call median (container + interpreter)",
    value: ms(num(r.cold_first_call_ms, "median")),
    baseline: "-",
    ratio: "-",
  }];
  if (typeof r.cli_exec_print_ms === "object") {
    const cli = num(r.cli_exec_print_ms, "median");
    rows.push({
      bench: name,
      metric: "warm print(1) median vs `podman --remote exec` CLI",
      value: ms(num(r.warm_print_ms, "median")),
      baseline: ms(cli),
      ratio: times(num(r.warm_print_ms, "median") / cli),
    });
  }
  rows.push({
    bench: name,
    metric: "first pandas+matplotlib call",
    value: ms(num(r, "first_pandas_plot_call_ms")),
    baseline: "-",
    ratio: "-",
  });
  return rows;
}
