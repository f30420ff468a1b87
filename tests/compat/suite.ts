/**
 * @module The compatibility suite: one real router (`main.ts serve` on the Podman socket), the
 * servers run through it with bounded concurrency, results in list order.
 */
import { startRouter } from "../router_process.ts";
import { COMPAT_SERVERS, type CompatServer } from "./servers.ts";
import { type CompatResult, runServer } from "./run_server.ts";

/** Options of {@linkcode runCompat}. */
export interface CompatOptions {
  /** Podman socket of the router. */
  socket: string;
  /** Servers to run (default: the whole list). */
  servers?: readonly CompatServer[];
  /** Servers run at once (default 2: two cores). */
  concurrency?: number;
  /** Called as each server finishes. */
  onResult?: (result: CompatResult, done: number, total: number) => void;
}

/** What the suite found. */
export interface CompatRun {
  results: CompatResult[];
  passed: number;
  total: number;
  seconds: number;
  /** The router's last output lines (for a failed run). */
  routerOutput: string;
}

/**
 * Whether the suite must be skipped, and why (`MCP_ROUTER_TEST_OFFLINE=1`, or no Podman socket).
 * @param socket the Podman socket path, if any
 * @returns the reason, or null to run
 */
export function skipReason(socket: string | undefined): string | null {
  if (Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1") {
    return "MCP_ROUTER_TEST_OFFLINE=1: the suite installs real packages from npm and PyPI";
  }
  if (!socket) return "MCP_ROUTER_PODMAN_SOCKET unset or not a socket (run runtime/setup.sh)";
  return null;
}

/**
 * Start one router and run every server through it.
 * @param options socket, servers, concurrency, progress callback
 */
export async function runCompat(options: CompatOptions): Promise<CompatRun> {
  const servers = options.servers ?? COMPAT_SERVERS;
  const started = performance.now();
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-compat-" });
  const router = await startRouter(dataDir, options.socket, {
    env: { MCP_ROUTER_LOG_LEVEL: "warn" },
  });
  const results: CompatResult[] = new Array(servers.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < servers.length) {
      const index = next++;
      results[index] = await runServer(router, servers[index]);
      done++;
      options.onResult?.(results[index], done, servers.length);
    }
  };
  try {
    const width = Math.max(1, Math.min(options.concurrency ?? 2, servers.length));
    await Promise.all(Array.from({ length: width }, worker));
  } finally {
    await router.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
  return {
    results,
    passed: results.filter((r) => r.verdict === "pass").length,
    total: results.length,
    seconds: Math.round((performance.now() - started) / 1000),
    routerOutput: router.output(),
  };
}
