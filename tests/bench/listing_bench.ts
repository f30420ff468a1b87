/**
 * @module Listing benchmarks (no containers needed):
 *
 * - token size of `tools/list` in `servers` vs `tools` mode with 20 registered servers whose
 *   cached capabilities are server-everything's real tool list. Tokens are approximated as
 *   `Math.ceil(JSON.stringify(result).length / 4)` (≈4 characters per token for English/JSON
 *   text with typical BPE tokenizers; a relative measure, not an exact count);
 * - `tools/list` latency with 100 registered servers in both modes versus `store.listServers()`
 *   alone, asserting that listing started no container (`pool.containerCount()` stays 0 and, when
 *   Podman is reachable, no `mcp-router=1` container of these servers appears).
 */
import type { Capabilities } from "../../server/schemas/server.ts";
import type { RouterServices } from "../../server/composition/wiring.ts";
import type { PodmanBackend } from "../../runtime/podman/backend.ts";
import { type LatencyStats, ratio, summarize, timeIt } from "./stats.ts";
import { type BenchClient, connectInMemory, everythingPlan, routerContainers } from "./setup.ts";

/** Iteration counts. */
export const LISTING_BENCH_COUNTS = {
  tokenServers: 20,
  servers: 100,
  warmup: 5,
  runs: 100,
} as const;

/** Size of one `tools/list` result. */
export interface ListSize {
  tools: number;
  chars: number;
  approx_tokens: number;
}

/** Result of the token-size benchmark. */
export interface TokenResult {
  servers_registered: number;
  tools_per_server: number;
  servers_mode: ListSize;
  tools_mode: ListSize;
  /** tools-mode tokens / servers-mode tokens. */
  ratio_tools_vs_servers: number;
  approximation: string;
  tool_list_source: string;
}

/** Result of the 100-server listing benchmark. */
export interface ListingResult {
  servers_registered: number;
  list_servers_ms: LatencyStats;
  tools_list_servers_mode_ms: LatencyStats;
  tools_list_tools_mode_ms: LatencyStats;
  ratio_servers_mode_p50: number;
  ratio_tools_mode_p50: number;
  ratio_servers_mode_p95: number;
  ratio_tools_mode_p95: number;
  no_container_started: {
    ok: boolean;
    pool_container_count: number;
    podman_checked: boolean;
    router_containers_before: number | null;
    router_containers_after: number | null;
    new_containers_of_bench_servers: number | null;
    /** New `mcp-router=1` containers of other processes (other test runs on the same engine). */
    new_containers_of_others: number | null;
  };
}

/** Everything the listing benchmarks produce. */
export interface ListingBenchResult {
  tokens: TokenResult;
  listing: ListingResult;
}

const TOKEN_NOTE = "Math.ceil(JSON.stringify(tools/list result).length / 4)";

async function register(
  services: RouterServices,
  from: number,
  to: number,
  caps: Capabilities,
): Promise<string[]> {
  const names: string[] = [];
  for (let i = from; i < to; i++) {
    const name = `bench-srv-${String(i).padStart(3, "0")}`;
    const record = await services.store.createServer({
      ...everythingPlan(name),
      display_name: `Everything #${i}`,
    });
    await services.store.setCapabilities(record.id, {
      ...caps,
      fetched_at: new Date().toISOString(),
    });
    names.push(name);
  }
  return names;
}

function sizeOf(result: { tools: unknown[] }): ListSize {
  const chars = JSON.stringify(result).length;
  return { tools: result.tools.length, chars, approx_tokens: Math.ceil(chars / 4) };
}

/**
 * Run the listing benchmarks on fresh `services` (empty store).
 * @param services router services (a backend is optional: used to check no container started)
 * @param options cached capabilities to register and where they came from
 */
export async function benchListing(
  services: RouterServices,
  options: { caps: Capabilities; source: string; log: (line: string) => void },
): Promise<ListingBenchResult> {
  const backend = services.backend as PodmanBackend | null;
  const before = backend ? await routerContainers(backend) : null;
  const names = new Set<string>();
  const clients: BenchClient[] = [];
  try {
    // --- token size at 20 servers
    for (const n of await register(services, 0, LISTING_BENCH_COUNTS.tokenServers, options.caps)) {
      names.add(n);
    }
    const servers = await connectInMemory(services.hub, { expose: "servers" });
    clients.push(servers);
    const tools = await connectInMemory(services.hub, { expose: "tools" });
    clients.push(tools);
    const serversSize = sizeOf(await servers.client.listTools());
    const toolsSize = sizeOf(await tools.client.listTools());
    const tokens: TokenResult = {
      servers_registered: LISTING_BENCH_COUNTS.tokenServers,
      tools_per_server: options.caps.tools.length,
      servers_mode: serversSize,
      tools_mode: toolsSize,
      ratio_tools_vs_servers: ratio(toolsSize.approx_tokens, serversSize.approx_tokens),
      approximation: TOKEN_NOTE,
      tool_list_source: options.source,
    };
    options.log(
      `tokens: servers ${serversSize.approx_tokens}, tools ${toolsSize.approx_tokens}`,
    );

    // --- latency at 100 servers
    for (
      const n of await register(
        services,
        LISTING_BENCH_COUNTS.tokenServers,
        LISTING_BENCH_COUNTS.servers,
        options.caps,
      )
    ) names.add(n);
    const base: number[] = [];
    const sMode: number[] = [];
    const tMode: number[] = [];
    const total = LISTING_BENCH_COUNTS.warmup + LISTING_BENCH_COUNTS.runs;
    let expectServers = 0;
    let expectTools = 0;
    for (let i = 0; i < total; i++) {
      const steps: [number[], () => Promise<void>][] = [
        [base, async () => {
          expectServers = (await services.store.listServers()).length;
        }],
        [sMode, async () => {
          const r = await servers.client.listTools();
          if (r.tools.length < LISTING_BENCH_COUNTS.servers) throw new Error("short list");
        }],
        [tMode, async () => {
          expectTools = (await tools.client.listTools()).tools.length;
        }],
      ];
      for (let k = 0; k < steps.length; k++) {
        const [sink, run] = steps[(i + k) % steps.length];
        const ms = await timeIt(run);
        if (i >= LISTING_BENCH_COUNTS.warmup) sink.push(ms);
      }
    }
    if (expectServers !== LISTING_BENCH_COUNTS.servers) {
      throw new Error(`expected ${LISTING_BENCH_COUNTS.servers} servers, got ${expectServers}`);
    }
    if (expectTools < LISTING_BENCH_COUNTS.servers * options.caps.tools.length) {
      throw new Error(`tools mode listed only ${expectTools} tools`);
    }
    const b = summarize(base);
    const s = summarize(sMode);
    const t = summarize(tMode);
    const after = backend ? await routerContainers(backend) : null;
    const known = new Set((before ?? []).map((c) => c.id));
    const fresh = (after ?? []).filter((c) => !known.has(c.id));
    const ours = fresh.filter((c) => names.has(c.labels["mcp-router.server"] ?? ""));
    const poolCount = services.pool.containerCount();
    return {
      tokens,
      listing: {
        servers_registered: expectServers,
        list_servers_ms: b,
        tools_list_servers_mode_ms: s,
        tools_list_tools_mode_ms: t,
        ratio_servers_mode_p50: ratio(s.p50, b.p50),
        ratio_tools_mode_p50: ratio(t.p50, b.p50),
        ratio_servers_mode_p95: ratio(s.p95, b.p95),
        ratio_tools_mode_p95: ratio(t.p95, b.p95),
        no_container_started: {
          ok: poolCount === 0 && ours.length === 0,
          pool_container_count: poolCount,
          podman_checked: backend !== null,
          router_containers_before: before?.length ?? null,
          router_containers_after: after?.length ?? null,
          new_containers_of_bench_servers: after ? ours.length : null,
          new_containers_of_others: after ? fresh.length - ours.length : null,
        },
      },
    };
  } finally {
    for (const c of clients) await c.close();
  }
}
