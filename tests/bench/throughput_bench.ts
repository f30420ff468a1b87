/**
 * @module Throughput benchmark (needs the Podman socket): the router runs alone in its own Deno
 * process (`router_child.ts`, API key required as in a remote deployment); the load generator
 * runs in the bench process with the lean wire client (`mcp_wire.ts`, raw `fetch`, no SDK). 20
 * upstream 2025-11-25 sessions each get their own server-everything container (the pool keys
 * connections by session and server); after a warm-up, every session runs a closed loop of
 * `tools/call echo` for a fixed time. Reported: calls/s, latency p50/p95/p99, errors, and the
 * CPU the router and the load generator each used per call (from `/proc/PID/stat`).
 */
import { spawnRouter } from "./router_child.ts";
import { openWireSession, type WireSession } from "./mcp_wire.ts";
import { type LatencyStats, round, summarize } from "./stats.ts";

/** Sizes of the throughput benchmark. */
export const THROUGHPUT_BENCH_COUNTS = {
  sessions: 20,
  /** Containers started at once while setting up. */
  startConcurrency: 4,
  warmupMs: 2_000,
  measureMs: 10_000,
} as const;

/** Result of the throughput benchmark. */
export interface ThroughputResult {
  sessions: number;
  containers_started: number;
  container_start_ms: LatencyStats;
  /** First calls that failed while containers started concurrently (retried once; not load). */
  start_failures: string[];
  duration_ms: number;
  calls: number;
  calls_per_s: number;
  latency_ms: LatencyStats;
  errors: number;
  error_samples: string[];
  /** Router process CPU (user + system) per call during the measured window. */
  router_cpu_us_per_call: number;
  /** Router process CPU use during the window, in cores (1 = one core busy). */
  router_cpu_cores: number;
  /** Load generator (this process) CPU per call. */
  loadgen_cpu_us_per_call: number;
  load_generator: string;
  /** Host CPU during the window, in cores per process name (other `deno`s: other work). */
  host_cores_by_command: Record<string, number>;
  leftover_containers: number;
}

const CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux

/** User + system CPU of process `pid` in ms (`/proc/PID/stat`), or NaN. */
export function cpuMs(pid: number | "self"): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return NaN;
  }
}

/** CPU ms (user + system) of every process, by pid, with its command name. */
export function cpuByProcess(): Map<number, { comm: string; ms: number }> {
  const out = new Map<number, { comm: string; ms: number }>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(e.name), {
        comm,
        ms: (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * Cores used per command name between two {@linkcode cpuByProcess} readings, top `n`.
 * @param labels names that replace the command name of some pids (the router, the bench)
 */
export function coresByCommand(
  before: Map<number, { comm: string; ms: number }>,
  after: Map<number, { comm: string; ms: number }>,
  options: { durationMs: number; labels?: Record<number, string>; n?: number },
): Record<string, number> {
  const by = new Map<string, number>();
  for (const [pid, a] of after) {
    const d = a.ms - (before.get(pid)?.ms ?? a.ms);
    const name = options.labels?.[pid] ?? a.comm;
    if (d > 0) by.set(name, (by.get(name) ?? 0) + d);
  }
  const n = options.n ?? 8;
  const durationMs = options.durationMs;
  return Object.fromEntries(
    [...by].sort((x, y) => y[1] - x[1]).slice(0, n).map(([k, v]) => [k, round(v / durationMs, 2)]),
  );
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(fn));
  }
}

/** Run closed loops on every session until `ms` have passed. */
async function closedLoop(
  sessions: WireSession[],
  ms: number,
  sink: { latencies: number[]; errors: number; samples: string[] },
): Promise<number> {
  const t0 = performance.now();
  const deadline = t0 + ms;
  await Promise.all(sessions.map(async (s, w) => {
    let i = 0;
    while (performance.now() < deadline) {
      const start = performance.now();
      try {
        await s.echo(`w${w}-${i++}`);
        sink.latencies.push(performance.now() - start);
      } catch (error) {
        sink.errors++;
        if (sink.samples.length < 5) sink.samples.push(String(error).slice(0, 300));
      }
    }
  }));
  return performance.now() - t0;
}

/**
 * Run the throughput benchmark against a fresh router child.
 * @param options the Podman socket and a progress logger
 */
export async function benchThroughput(
  options: { socket: string; log: (line: string) => void },
): Promise<ThroughputResult> {
  const n = THROUGHPUT_BENCH_COUNTS.sessions;
  const router = await spawnRouter({ socket: options.socket, maxContainers: n + 4 });
  const sessions: WireSession[] = [];
  let stopped: { leftover_containers: number } | null = null;
  try {
    const target = { baseUrl: router.baseUrl, key: router.key, expose: "servers" as const };
    for (let i = 0; i < n; i++) sessions.push(await openWireSession(target));
    const starts: number[] = [];
    const startFailures: string[] = [];
    const start = async (s: WireSession) => {
      const t0 = performance.now();
      try {
        await s.echo("start"); // this session's container starts here
      } catch (error) {
        // Concurrent first starts can fail (e.g. a capabilities write conflict): one retry.
        startFailures.push(String(error).slice(0, 300));
        await s.echo("start");
      }
      starts.push(performance.now() - t0);
    };
    await start(sessions[0]); // the first start also caches the server's capabilities
    await inBatches(sessions.slice(1), THROUGHPUT_BENCH_COUNTS.startConcurrency, start);
    options.log(`throughput: ${n} sessions, ${n} containers started`);
    const warm = { latencies: [] as number[], errors: 0, samples: [] as string[] };
    await closedLoop(sessions, THROUGHPUT_BENCH_COUNTS.warmupMs, warm);
    const sink = { latencies: [] as number[], errors: 0, samples: [] as string[] };
    const routerCpu0 = cpuMs(router.pid);
    const selfCpu0 = cpuMs("self");
    const all0 = cpuByProcess();
    const duration = await closedLoop(sessions, THROUGHPUT_BENCH_COUNTS.measureMs, sink);
    const routerCpu = cpuMs(router.pid) - routerCpu0;
    const selfCpu = cpuMs("self") - selfCpu0;
    const byCommand = coresByCommand(all0, cpuByProcess(), {
      durationMs: duration,
      labels: { [router.pid]: "deno (router)", [Deno.pid]: "deno (bench, load generator)" },
    });
    const calls = sink.latencies.length;
    options.log(`throughput: ${calls} calls in ${Math.round(duration)} ms, ${sink.errors} errors`);
    for (const s of sessions) await s.close();
    sessions.length = 0;
    stopped = await router.stop();
    return {
      sessions: n,
      containers_started: starts.length,
      container_start_ms: summarize(starts),
      start_failures: startFailures,
      duration_ms: Math.round(duration),
      calls,
      calls_per_s: round(calls / (duration / 1000), 1),
      latency_ms: summarize(sink.latencies),
      errors: sink.errors + warm.errors,
      error_samples: [...warm.samples, ...sink.samples].slice(0, 5),
      router_cpu_us_per_call: round((routerCpu * 1000) / Math.max(1, calls), 1),
      router_cpu_cores: round(routerCpu / duration, 2),
      loadgen_cpu_us_per_call: round((selfCpu * 1000) / Math.max(1, calls), 1),
      load_generator: "bench process (lean raw-fetch wire client, one closed loop per session); " +
        "router alone in its own Deno process",
      host_cores_by_command: byCommand,
      leftover_containers: stopped.leftover_containers,
    };
  } finally {
    for (const s of sessions) await s.close();
    if (!stopped) await router.stop();
  }
}
