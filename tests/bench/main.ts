/**
 * @module `deno task bench`: the router's performance as ratios against direct baselines
 * measured in the same run — cold start, warm `tools/call` overhead (in memory and streamable
 * HTTP), `tools/list` with 100 servers (and that listing starts no container), `tools/list` token
 * size per exposure mode, and the python_sandbox figures. Prints a table and writes
 * `tests/.artifacts/bench.json`. Container benchmarks are skipped (with a note) without a Podman
 * socket (`MCP_ROUTER_PODMAN_SOCKET`).
 *
 * Flags: `--record-fixture` rewrites `tests/bench/fixtures/everything_tools.json` from the live
 * server-everything capture.
 */
import { setLogSink } from "../../runtime/foundation/log.ts";
import { type Capabilities, CapabilitiesSchema } from "../../server/schemas/server.ts";
import { benchSandbox } from "./sandbox_bench.ts";
import {
  benchContainers,
  CONTAINER_BENCH_COUNTS,
  type ContainerBenchResult,
} from "./container_bench.ts";
import { benchListing, LISTING_BENCH_COUNTS, type ListingBenchResult } from "./listing_bench.ts";
import { ms, renderTable, type ReportRow, times } from "./report.ts";
import { openBenchServices, probeSocket, removeDir } from "./setup.ts";

const FIXTURE = new URL("./fixtures/everything_tools.json", import.meta.url);
const ARTIFACT = new URL("../.artifacts/bench.json", import.meta.url);

function progress(line: string): void {
  console.error(`[bench] ${line}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function loadFixture(): Promise<Capabilities> {
  return CapabilitiesSchema.parse(JSON.parse(await Deno.readTextFile(FIXTURE)));
}

function containerRows(r: ContainerBenchResult): ReportRow[] {
  const rows: ReportRow[] = [];
  const cold = r.cold_start;
  const coldName = `cold start (N=${CONTAINER_BENCH_COUNTS.cold}, median)`;
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
  const warmName = `warm tools/call echo (N=${CONTAINER_BENCH_COUNTS.warm})`;
  const lanes = [
    ["streamable HTTP /mcp, servers mode", r.warm_tools_call.streamable_http_servers_mode],
    ["in-memory, servers mode", r.warm_tools_call.in_memory_servers_mode],
    ["in-memory, tools mode", r.warm_tools_call.in_memory_tools_mode],
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

function listingRows(r: ListingBenchResult): ReportRow[] {
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

function sandboxRows(r: Record<string, unknown>): ReportRow[] {
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

async function main(): Promise<number> {
  const startedAt = performance.now();
  const restoreSink = Deno.env.get("LOG") ? null : setLogSink(() => {});
  const recordFixture = Deno.args.includes("--record-fixture");
  const { socket, reason } = probeSocket();
  const results: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const notes: string[] = [];
  const rows: ReportRow[] = [];
  let failed = false;

  let caps: Capabilities | null = null;
  let capsSource = "";
  if (socket) {
    const dir = await Deno.makeTempDir({ prefix: "mcp-router-bench-" });
    const services = await openBenchServices(dir, { socket });
    try {
      progress("container benchmarks (cold start, warm calls)");
      const r = await benchContainers(services, { log: progress });
      const { captured, ...rest } = r;
      Object.assign(results, rest);
      rows.push(...containerRows(r));
      caps = captured;
      capsSource =
        `live capture from a server-everything container (${captured.tools.length} tools)`;
      if (recordFixture) {
        await Deno.writeTextFile(FIXTURE, JSON.stringify(captured, null, 2) + "\n");
        progress(`recorded ${FIXTURE.pathname}`);
      }
    } catch (error) {
      failed = true;
      errors.containers = messageOf(error);
      progress(`container benchmarks failed: ${errors.containers}`);
    } finally {
      await services.close();
      await removeDir(dir);
    }
  } else {
    notes.push(`container benchmarks (cold start, warm tools/call) skipped: ${reason}`);
  }
  if (!caps) {
    caps = await loadFixture();
    capsSource =
      `checked-in capture tests/bench/fixtures/everything_tools.json (${caps.tools.length} tools)`;
  }

  {
    const dir = await Deno.makeTempDir({ prefix: "mcp-router-bench-list-" });
    const services = await openBenchServices(dir, { socket });
    try {
      progress("listing benchmarks (token size, tools/list with 100 servers)");
      const r = await benchListing(services, { caps, source: capsSource, log: progress });
      results.tools_list_tokens = r.tokens;
      results.tools_list_100_servers = r.listing;
      rows.push(...listingRows(r));
      if (!r.listing.no_container_started.ok) failed = true;
      if (!r.listing.no_container_started.podman_checked) {
        notes.push("no-container assertion checked the pool only (no Podman socket)");
      }
    } catch (error) {
      failed = true;
      errors.listing = messageOf(error);
      progress(`listing benchmarks failed: ${errors.listing}`);
    } finally {
      await services.close();
      await removeDir(dir);
    }
  }

  progress("python_sandbox benchmark");
  try {
    const r = await benchSandbox();
    results.python_sandbox = r;
    if (typeof r.skipped === "string") notes.push(`python_sandbox skipped: ${r.skipped}`);
    rows.push(...sandboxRows(r));
  } catch (error) {
    failed = true;
    errors.python_sandbox = messageOf(error);
    progress(`python_sandbox benchmark failed: ${errors.python_sandbox}`);
  }
  if (restoreSink) setLogSink(restoreSink);

  notes.push(
    "ratio = router / baseline from the same run (>1 means the router is slower)",
    "cold-start baseline: bare create+attach+start of the same image and launch spec, write " +
      "initialize, read its reply; the router side adds tools/list (servers mode) and the echo call",
    "warm baseline: the same echo sent by an SDK client directly on the pooled connection of the " +
      "same session's container",
    "tools/list baseline: store.listServers() alone; tokens ~ ceil(JSON chars / 4)",
    `tool lists: ${capsSource}`,
  );
  for (const [k, v] of Object.entries(errors)) notes.push(`ERROR in ${k}: ${v.split("\n")[0]}`);
  const totalMs = Math.round(performance.now() - startedAt);
  notes.push(`total run time ${(totalMs / 1000).toFixed(1)} s`);
  const table = renderTable(rows, notes);
  console.log(table);

  const report = {
    generated_at: new Date().toISOString(),
    deno: Deno.version.deno,
    os: `${Deno.build.os}-${Deno.build.arch}`,
    podman_socket: socket,
    total_ms: totalMs,
    counts: { containers: CONTAINER_BENCH_COUNTS, listing: LISTING_BENCH_COUNTS },
    results,
    errors,
    notes,
    ok: !failed,
    table,
  };
  await Deno.mkdir(new URL("../.artifacts/", import.meta.url), { recursive: true });
  await Deno.writeTextFile(ARTIFACT, JSON.stringify(report, null, 2) + "\n");
  progress(`wrote ${ARTIFACT.pathname}`);
  return failed ? 1 : 0;
}

if (import.meta.main) {
  Deno.exit(await main());
}
