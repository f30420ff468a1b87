/**
 * @module Benchmark router configuration shared by in-process services and the router child
 * process: the settings every benchmark router runs with and the server-everything plan. Imports
 * no SDK client, so the router child loads only what `serve` loads.
 */
import { loadSettings, type Settings } from "../../server/settings.ts";
import { type Plan, PlanSchema } from "../../server/schemas/server.ts";

/** npm package of the reference server every container benchmark runs. */
export const EVERYTHING_PACKAGE = "@modelcontextprotocol/server-everything";

/** The plan of `npx -y @modelcontextprotocol/server-everything` (stdio, session lifecycle). */
export function everythingPlan(name = "everything"): Plan {
  return PlanSchema.parse({
    name,
    display_name: "Everything",
    description: "MCP reference server exercising every protocol feature",
    runtime: "npx",
    command: "npx",
    args: ["-y", EVERYTHING_PACKAGE],
    origin: { kind: "npx", ref: EVERYTHING_PACKAGE },
  });
}

/**
 * Router settings for a benchmark over `dataDir`: limits raised so the load is never throttled
 * (rate limit, sessions per key), loopback only, warnings-only logging.
 * @param options the Podman socket (null: a missing socket, degraded runtime) and extra overrides
 */
export function benchSettings(
  dataDir: string,
  options: { socket: string | null; overrides?: Partial<Record<keyof Settings, unknown>> },
): Settings {
  return loadSettings(Deno.env.toObject(), {
    dataDir,
    host: "127.0.0.1",
    podmanSocket: options.socket ?? `${dataDir}/no-podman.sock`,
    sessionIdleTimeoutMs: 600_000,
    startTimeoutMs: 120_000,
    callTimeoutMs: 60_000,
    toolCallsPerMinute: 100_000_000,
    maxSessionsPerKey: 1_000,
    logLevel: "warn",
    ...options.overrides,
  });
}
