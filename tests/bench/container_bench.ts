/**
 * @module Container benchmarks (need the Podman socket), each measured against a direct baseline
 * in the same run:
 *
 * - cold start: the first `tools/call echo` of a new upstream session through the router (a
 *   container is created, attached, started, initialized, and the call forwarded) versus a bare
 *   create → attach → start → write `initialize` → read the reply of the same image and launch
 *   spec through the same Podman API;
 * - warm overhead: `tools/call echo` through the router (in memory; over streamable HTTP `/mcp`
 *   with the v1 SDK client and with the lean wire client, a bearer API key required) versus the
 *   same call made by an SDK client directly over stdio on the pooled downstream connection of
 *   that same session (the same container, the same attach streams), after a warm-up.
 */
import type { Client } from "@modelcontextprotocol/client";
import { buildLaunchSpec } from "../../runtime/launch_spec.ts";
import { destroyContainer } from "../../runtime/sessions.ts";
import { ensureServerImage } from "../../runtime/install_image.ts";
import type { PodmanBackend } from "../../runtime/podman/backend.ts";
import type { PodmanClient } from "../../runtime/podman/client.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import type { RouterServices } from "../../server/composition/wiring.ts";
import type { VersionedServer } from "../../server/schemas/records.ts";
import type { Capabilities } from "../../server/schemas/server.ts";
import type { ExposeMode } from "../../server/mcp/catalog.ts";
import { snapshotCapabilities } from "../../server/mcp/capabilities.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { ADMIN_PRINCIPAL, principalOfKey } from "../../server/downstream_auth/principal.ts";
import { initializeRequest } from "../helpers.ts";
import { openWireSession } from "./mcp_wire.ts";
import { type LatencyStats, ratio, summarize, timeIt } from "./stats.ts";
import {
  type BenchClient,
  connectHttp,
  connectInMemory,
  everythingPlan,
  routerContainers,
} from "./setup.ts";

/** Iteration counts (bounded so the whole run stays well under 10 minutes). */
export const CONTAINER_BENCH_COUNTS = { cold: 10, warmup: 100, warm: 300 } as const;

/** Result of the cold-start benchmark. */
export interface ColdStartResult {
  image: string;
  image_ensure_ms: number;
  router_servers_mode_ms: LatencyStats;
  router_tools_mode_ms: LatencyStats;
  bare_container_initialize_ms: LatencyStats;
  ratio_servers_mode_median: number;
  ratio_tools_mode_median: number;
}

/** One router-vs-direct comparison of warm calls. */
export interface WarmPair {
  router_ms: LatencyStats;
  direct_ms: LatencyStats;
  ratio_p50: number;
  ratio_p95: number;
  overhead_p50_ms: number;
}

/** Result of the warm-call benchmark. */
export interface WarmResult {
  in_memory_servers_mode: WarmPair;
  in_memory_tools_mode: WarmPair;
  /** SDK (v1) client over streamable HTTP `/mcp`, bearer API key. */
  streamable_http_servers_mode: WarmPair;
  /** The lean raw-fetch wire client (`mcp_wire.ts`) over `/mcp`, bearer API key. */
  streamable_http_lean_client: WarmPair;
  /**
   * The same lean client sending a `_meta` key the fast path does not know with each call, which
   * keeps the SDK path: the warm call fast path's gain, measured in the same run.
   */
  streamable_http_lean_sdk_path: WarmPair;
}

/** Everything the container benchmarks produce. */
export interface ContainerBenchResult {
  /** Absent when the run skipped it (`--only`). */
  cold_start?: ColdStartResult;
  /** Absent when the run skipped it (`--only`). */
  warm_tools_call?: WarmResult;
  /** server-everything's live capabilities (tools, resources, prompts). */
  captured: Capabilities;
}

function textOf(result: unknown): string {
  const r = result as { content?: { type: string; text?: string }[] };
  return (r.content ?? []).map((c) => c.text ?? "").join("\n");
}

/** Call `echo` through the router in the session's exposure mode; checks the echo came back. */
async function routerEcho(c: BenchClient, expose: ExposeMode, message: string): Promise<void> {
  const result = expose === "servers"
    ? await c.client.callTool({
      name: "everything",
      arguments: { tool: "echo", arguments: { message } },
    })
    : await c.client.callTool({ name: "everything__echo", arguments: { message } });
  const text = textOf(result);
  if (result.isError || text !== `Echo: ${message}`) {
    throw new Error(`router echo failed: ${JSON.stringify(result).slice(0, 500)}`);
  }
}

/** Call `echo` directly on a downstream SDK client. */
async function directEcho(client: Client, message: string): Promise<void> {
  const result = await client.callTool({ name: "echo", arguments: { message } });
  if (result.isError || textOf(result) !== `Echo: ${message}`) {
    throw new Error(`direct echo failed: ${JSON.stringify(result).slice(0, 500)}`);
  }
}

/** Read newline-delimited JSON from `stdout` until the reply with `id` arrives. */
async function readReply(stdout: ReadableStream<Uint8Array>, id: number): Promise<unknown> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error("container stdout ended before the initialize reply");
      buffered += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line) continue;
        const message = JSON.parse(line) as { id?: number; result?: unknown };
        if (message.id === id) return message;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Bare baseline: create → attach → start → write initialize → read its reply (ms). */
async function bareInitialize(
  services: RouterServices,
  server: VersionedServer,
  image: string,
): Promise<number> {
  const backend = services.backend!;
  const spec = buildLaunchSpec(server, {
    env: {},
    settings: services.settings,
    sessionId: `bench-bare-${crypto.randomUUID().slice(0, 8)}`,
    image,
    nameSuffix: crypto.randomUUID().slice(0, 8),
    owner: String(Deno.pid),
  });
  const initialize = JSON.stringify(initializeRequest("bench-bare")) + "\n";
  let id: string | null = null;
  let close: (() => void) | null = null;
  try {
    const t0 = performance.now();
    id = await backend.create(spec);
    const streams = await backend.attach(id);
    close = () => streams.close();
    await backend.start(id);
    const writer = streams.stdin.getWriter();
    await writer.write(new TextEncoder().encode(initialize));
    writer.releaseLock();
    const reply = await readReply(streams.stdout, 1) as { result?: { serverInfo?: unknown } };
    const ms = performance.now() - t0;
    if (!reply.result?.serverInfo) {
      throw new Error(`bad initialize reply: ${JSON.stringify(reply)}`);
    }
    return ms;
  } finally {
    try {
      close?.();
    } catch {
      // already closed
    }
    if (id) await destroyContainer(backend, id, { timeoutS: 0 });
  }
}

/** Router cold start: new upstream session, first `echo` (container start included), in ms. */
async function routerCold(services: RouterServices, expose: ExposeMode): Promise<number> {
  const c = await connectInMemory(services.hub, { expose });
  try {
    return await timeIt(() => routerEcho(c, expose, "cold"));
  } finally {
    await c.close();
  }
}

async function benchColdStart(
  services: RouterServices,
  server: VersionedServer,
  log: (line: string) => void,
  rounds: number = CONTAINER_BENCH_COUNTS.cold,
): Promise<ColdStartResult> {
  const backend = services.backend!;
  let image = "";
  const imageMs = await timeIt(async () => {
    image = await ensureServerImage(server, {
      deps: { settings: services.settings, client: backend.client as PodmanClient },
      onLog: () => {},
    });
  });
  log(`install image ${image} ready in ${Math.round(imageMs)} ms`);
  // Untimed warm-up: page cache, node compile cache, and the capabilities cache (tools mode).
  await routerCold(services, "servers");
  await bareInitialize(services, server, image);
  const servers: number[] = [];
  const tools: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Rotate the order each round so drift does not favour one side.
    const steps: [number[], () => Promise<number>][] = [
      [bare, () => bareInitialize(services, server, image)],
      [servers, () => routerCold(services, "servers")],
      [tools, () => routerCold(services, "tools")],
    ];
    for (let k = 0; k < steps.length; k++) {
      const [sink, run] = steps[(i + k) % steps.length];
      sink.push(await run());
    }
    log(`cold round ${i + 1}/${rounds} done`);
  }
  const s = summarize(servers);
  const t = summarize(tools);
  const b = summarize(bare);
  return {
    image,
    image_ensure_ms: Math.round(imageMs),
    router_servers_mode_ms: s,
    router_tools_mode_ms: t,
    bare_container_initialize_ms: b,
    ratio_servers_mode_median: ratio(s.p50, b.p50),
    ratio_tools_mode_median: ratio(t.p50, b.p50),
  };
}

function pair(router: number[], direct: number[]): WarmPair {
  const r = summarize(router);
  const d = summarize(direct);
  return {
    router_ms: r,
    direct_ms: d,
    ratio_p50: ratio(r.p50, d.p50),
    ratio_p95: ratio(r.p95, d.p95),
    overhead_p50_ms: Math.round((r.p50 - d.p50) * 1000) / 1000,
  };
}

/** The pooled downstream client of `sessionId` (must already be running: starts nothing). */
async function pooledClient(
  services: RouterServices,
  sessionId: string,
  server: VersionedServer,
  principal: string,
): Promise<Client> {
  const before = services.pool.containerCount();
  const conn = await services.pool.get(sessionId, server, {}, { principal });
  if (services.pool.containerCount() !== before) {
    throw new Error("pool.get started a new container instead of returning the session's");
  }
  return conn.client;
}

async function benchWarm(
  services: RouterServices,
  server: VersionedServer,
  log: (line: string) => void,
): Promise<{ warm: WarmResult; captured: Capabilities }> {
  const app = createRouterApp(services);
  const http = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const clients: { sessionId: string; close(): Promise<void> }[] = [];
  try {
    const baseUrl = `http://127.0.0.1:${http.addr.port}`;
    // A key makes /mcp authenticate every request, as any non-loopback deployment does.
    const { key, record } = await createApiKey(services.store, "bench-warm");
    const sessions = [
      { label: "in_memory_servers_mode", expose: "servers" as const, wire: "memory" },
      { label: "in_memory_tools_mode", expose: "tools" as const, wire: "memory" },
      { label: "streamable_http_servers_mode", expose: "servers" as const, wire: "http" },
      { label: "streamable_http_lean_client", expose: "servers" as const, wire: "lean" },
      { label: "streamable_http_lean_sdk_path", expose: "servers" as const, wire: "lean-sdk" },
    ];
    const lanes = [];
    for (const s of sessions) {
      let c: { sessionId: string; close(): Promise<void> };
      let call: (message: string) => Promise<void>;
      if (s.wire === "lean" || s.wire === "lean-sdk") {
        const sdkPath = s.wire === "lean-sdk";
        const w = await openWireSession({ baseUrl, key, expose: s.expose, sdkPath });
        c = w;
        call = (m) => w.echo(m);
      } else {
        const b: BenchClient = s.wire === "http"
          ? await connectHttp(baseUrl, { expose: s.expose, key })
          : await connectInMemory(services.hub, { expose: s.expose });
        c = b;
        call = (m) => routerEcho(b, s.expose, m);
      }
      clients.push(c);
      await call("start"); // starts this session's container (untimed)
      // The session's own connection: the key's principal over HTTP, the admin's in memory.
      const principal = s.wire === "memory" ? ADMIN_PRINCIPAL : principalOfKey(record.id);
      const direct = await pooledClient(services, c.sessionId, server, principal);
      lanes.push({ ...s, call, direct, router: [] as number[], directMs: [] as number[] });
    }
    const captured = await snapshotCapabilities(lanes[0].direct);
    const total = CONTAINER_BENCH_COUNTS.warmup + CONTAINER_BENCH_COUNTS.warm;
    for (let i = 0; i < total; i++) {
      const timed = i >= CONTAINER_BENCH_COUNTS.warmup;
      const message = `m${i}`;
      for (let k = 0; k < lanes.length; k++) {
        const lane = lanes[(i + k) % lanes.length];
        // Alternate which of router/direct goes first within a lane.
        const viaRouter = () => lane.call(message);
        const viaDirect = () => directEcho(lane.direct, message);
        const order = i % 2 === 0 ? [true, false] : [false, true];
        for (const routerFirst of order) {
          const ms = await timeIt(routerFirst ? viaRouter : viaDirect);
          if (timed) (routerFirst ? lane.router : lane.directMs).push(ms);
        }
      }
    }
    log(`warm calls done (${CONTAINER_BENCH_COUNTS.warm} per lane and side)`);
    const byLabel = Object.fromEntries(
      lanes.map((l) => [l.label, pair(l.router, l.directMs)]),
    ) as unknown as WarmResult;
    return { warm: byLabel, captured };
  } finally {
    for (const c of clients) await c.close();
    await app.closeSessions();
    await http.shutdown();
  }
}

/** server-everything's capabilities from one in-memory session's pooled client. */
async function captureOnly(
  services: RouterServices,
  server: VersionedServer,
): Promise<Capabilities> {
  const c = await connectInMemory(services.hub, { expose: "servers" });
  try {
    await routerEcho(c, "servers", "start");
    return await snapshotCapabilities(
      await pooledClient(services, c.sessionId, server, ADMIN_PRINCIPAL),
    );
  } finally {
    await c.close();
  }
}

/**
 * Run the container benchmarks on `services` (which must have a backend).
 * @param services router services bound to a live Podman socket
 * @param options progress logger; `cold` and `warm` (default true) pick the benchmarks
 */
export function benchContainers(
  services: RouterServices,
  options: { log: (line: string) => void; cold?: boolean; warm?: boolean },
): Promise<ContainerBenchResult> {
  return withEverything(services, options, async (server) => {
    const cold = options.cold === false
      ? undefined
      : await benchColdStart(services, server, options.log);
    if (options.warm === false) {
      const captured = await captureOnly(services, server);
      return { cold_start: cold, captured };
    }
    const { warm, captured } = await benchWarm(services, server, options.log);
    return { cold_start: cold, warm_tools_call: warm, captured };
  });
}

/**
 * The cold-start lanes alone (`deno task bench --cold[=ROUNDS]`).
 * @param services router services bound to a live Podman socket
 * @param options progress logger and rounds (default {@linkcode CONTAINER_BENCH_COUNTS}`.cold`)
 */
export function benchColdOnly(
  services: RouterServices,
  options: { log: (line: string) => void; rounds?: number },
): Promise<ColdStartResult> {
  return withEverything(
    services,
    options,
    (server) => benchColdStart(services, server, options.log, options.rounds),
  );
}

/** Run `fn` with server-everything added, then remove every container the run left. */
async function withEverything<T>(
  services: RouterServices,
  options: { log: (line: string) => void },
  fn: (server: VersionedServer) => Promise<T>,
): Promise<T> {
  if (!services.backend) throw new Error("container benchmarks need a Podman backend");
  const server = await services.store.createServer(everythingPlan());
  const ownContainers = async () =>
    (await routerContainers(services.backend as PodmanBackend)).filter((c) =>
      c.labels["mcp-router.server"] === server.name &&
      c.labels["mcp-router.owner"] === String(Deno.pid)
    );
  try {
    return await fn(server);
  } finally {
    await services.hub.closeAll();
    // HTTP sessions end through DELETE, which closes their hub session without awaiting it.
    for (let i = 0; i < 100 && services.pool.containerCount() > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const leaked = await ownContainers();
    for (const c of leaked) await destroyContainer(services.backend, c.id, { timeoutS: 0 });
    if (leaked.length) options.log(`removed ${leaked.length} leftover benchmark container(s)`);
  }
}
