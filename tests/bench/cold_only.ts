/**
 * @module `deno task bench --cold[=ROUNDS]`: the cold-start lanes alone — bare container
 * create+attach+start+initialize against the router's first `echo` in a new session in `servers`
 * and `tools` exposure, rounds rotated (default {@linkcode CONTAINER_BENCH_COUNTS}`.cold`).
 * Prints the medians and ratios and writes `tests/.artifacts/bench_cold.json` (the full run's
 * `bench.json` is left alone).
 */
import { benchColdOnly, CONTAINER_BENCH_COUNTS } from "./container_bench.ts";
import { ms, renderTable, times } from "./report.ts";
import { openBenchServices, probeSocket, removeDir } from "./setup.ts";

const ARTIFACT = new URL("../.artifacts/bench_cold.json", import.meta.url);

/** The rounds a `--cold[=N]` argument asks for, or null when it is absent. */
export function coldRounds(args: readonly string[]): number | null {
  const arg = args.find((a) => a === "--cold" || a.startsWith("--cold="));
  if (!arg) return null;
  const n = Number(arg.slice("--cold=".length));
  return arg === "--cold" || !Number.isInteger(n) || n < 1 ? CONTAINER_BENCH_COUNTS.cold : n;
}

/**
 * Run the cold-start lanes and report them.
 * @param rounds how many rotated rounds
 * @param log progress lines
 * @returns the process exit code (1 when no Podman socket or a lane failed)
 */
export async function runColdOnly(rounds: number, log: (line: string) => void): Promise<number> {
  const { socket, reason } = probeSocket();
  if (!socket) {
    log(`cold start skipped: ${reason}`);
    return 1;
  }
  const dir = await Deno.makeTempDir({ prefix: "mcp-router-bench-cold-" });
  const services = await openBenchServices(dir, { socket });
  try {
    const cold = await benchColdOnly(services, { log, rounds });
    const base = ms(cold.bare_container_initialize_ms.p50);
    const name = `cold start (N=${rounds}, median)`;
    console.log(renderTable([
      {
        bench: name,
        metric: "first echo, new session, servers mode",
        value: ms(cold.router_servers_mode_ms.p50),
        baseline: base,
        ratio: times(cold.ratio_servers_mode_median),
      },
      {
        bench: name,
        metric: "first echo, new session, tools mode",
        value: ms(cold.router_tools_mode_ms.p50),
        baseline: base,
        ratio: times(cold.ratio_tools_mode_median),
      },
    ]));
    await Deno.mkdir(new URL("../.artifacts/", import.meta.url), { recursive: true });
    const report = { generated_at: new Date().toISOString(), rounds, cold_start: cold };
    await Deno.writeTextFile(ARTIFACT, JSON.stringify(report, null, 2) + "\n");
    log(`wrote ${ARTIFACT.pathname}`);
    return 0;
  } finally {
    await services.close();
    await removeDir(dir);
  }
}
