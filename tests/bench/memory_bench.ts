/**
 * @module Router memory per idle upstream session: a router child process (`router_child.ts`,
 * started with `--expose-gc`) is warmed with a few sessions opened and closed, then measured
 * after a full GC; 200 idle 2025-11-25 sessions are opened on `/mcp` (initialize and
 * `notifications/initialized` only: no tool call, so no container starts); measured again
 * after a GC. Reported per session: heap (V8 `heapUsed`) and RSS deltas in KB, and what is left
 * after the sessions end (a leak check).
 */
import { spawnRouter } from "./router_child.ts";
import { openWireSession, type WireSession } from "./mcp_wire.ts";
import type { MemoryReport } from "./router_process.ts";
import { round } from "./stats.ts";

/** Sizes of the memory benchmark. */
export const MEMORY_BENCH_COUNTS = { warmupSessions: 20, sessions: 200, concurrency: 10 } as const;

/** Result of the memory benchmark. */
export interface MemoryResult {
  sessions: number;
  gc: boolean;
  before: MemoryReport;
  with_sessions: MemoryReport;
  after_close: MemoryReport;
  heap_kb_per_session: number;
  rss_kb_per_session: number;
  /** Heap still held after every session ended, per session (≈0 when nothing leaks). */
  heap_kb_per_session_after_close: number;
  leftover_containers: number;
}

async function openMany(
  target: Parameters<typeof openWireSession>[0],
  count: number,
): Promise<WireSession[]> {
  const out: WireSession[] = [];
  for (let i = 0; i < count; i += MEMORY_BENCH_COUNTS.concurrency) {
    const batch = Math.min(MEMORY_BENCH_COUNTS.concurrency, count - i);
    out.push(
      ...await Promise.all(Array.from({ length: batch }, () => openWireSession(target))),
    );
  }
  return out;
}

async function closeMany(sessions: WireSession[]): Promise<void> {
  for (let i = 0; i < sessions.length; i += MEMORY_BENCH_COUNTS.concurrency) {
    await Promise.all(sessions.slice(i, i + MEMORY_BENCH_COUNTS.concurrency).map((s) => s.close()));
  }
}

const kb = (bytes: number) => round(bytes / 1024 / MEMORY_BENCH_COUNTS.sessions, 1);

/**
 * Run the memory benchmark against a fresh router child.
 * @param options the Podman socket (null: degraded runtime; no container is needed) and a logger
 */
export async function benchMemory(
  options: { socket: string | null; log: (line: string) => void },
): Promise<MemoryResult> {
  const router = await spawnRouter({ socket: options.socket, exposeGc: true });
  let stopped: { leftover_containers: number } | null = null;
  let sessions: WireSession[] = [];
  try {
    const target = { baseUrl: router.baseUrl, key: router.key, expose: "servers" as const };
    await closeMany(await openMany(target, MEMORY_BENCH_COUNTS.warmupSessions));
    const before = await router.memory();
    sessions = await openMany(target, MEMORY_BENCH_COUNTS.sessions);
    const withSessions = await router.memory();
    options.log(
      `memory: ${sessions.length} idle sessions, heap +${
        Math.round((withSessions.heap_used - before.heap_used) / 1024)
      } KB`,
    );
    await closeMany(sessions);
    sessions = [];
    const afterClose = await router.memory();
    stopped = await router.stop();
    return {
      sessions: MEMORY_BENCH_COUNTS.sessions,
      gc: before.gc,
      before,
      with_sessions: withSessions,
      after_close: afterClose,
      heap_kb_per_session: kb(withSessions.heap_used - before.heap_used),
      rss_kb_per_session: kb(withSessions.rss - before.rss),
      heap_kb_per_session_after_close: kb(afterClose.heap_used - before.heap_used),
      leftover_containers: stopped.leftover_containers,
    };
  } finally {
    await closeMany(sessions);
    if (!stopped) await router.stop();
  }
}
