/**
 * @module Benchmark setup: the Podman socket probe, router services over a temp data dir, the
 * server-everything plan, and SDK clients connected to an upstream session (in memory or over
 * the real streamable-HTTP `/mcp` endpoint).
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { benchSettings } from "./router_config.ts";
import { openServices, type RouterServices } from "../../server/composition/wiring.ts";
import type { ExposeMode } from "../../server/mcp/catalog.ts";
import type { SessionHub } from "../../server/mcp/hub.ts";
import type { ContainerState } from "../../runtime/backend.ts";
import type { PodmanBackend } from "../../runtime/podman/backend.ts";

export { EVERYTHING_PACKAGE, everythingPlan } from "./router_config.ts";

/** Client identity of benchmark SDK clients. */
export const BENCH_CLIENT = { name: "mcp-router-bench", version: "1.0.0" };

/** The Podman socket to use, or why container benchmarks are skipped. */
export function probeSocket(): { socket: string | null; reason: string } {
  const socket = Deno.env.get("MCP_ROUTER_PODMAN_SOCKET") ?? "";
  if (!socket) return { socket: null, reason: "MCP_ROUTER_PODMAN_SOCKET is not set" };
  try {
    Deno.statSync(socket);
  } catch {
    return { socket: null, reason: `no Podman socket at ${socket}` };
  }
  return { socket, reason: "" };
}

/** Router services over `dataDir`, bound to `socket` (or to a missing socket: degraded runtime). */
export async function openBenchServices(
  dataDir: string,
  options: { socket: string | null },
): Promise<RouterServices> {
  const settings = benchSettings(dataDir, { socket: options.socket });
  return await openServices(settings, { startPodman: false, sweepOrphans: false });
}

/** An SDK client on one upstream session. */
export interface BenchClient {
  client: Client;
  /** The upstream (and downstream pool) session id. */
  sessionId: string;
  /** Close the client and end the session (its containers are removed). */
  close(): Promise<void>;
}

/** Open an upstream session on `hub` and connect an SDK client to it in memory. */
export async function connectInMemory(
  hub: SessionHub,
  options: { expose: ExposeMode },
): Promise<BenchClient> {
  const session = hub.open({ expose: options.expose, actor: "bench" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await session.server.connect(serverSide);
  const client = new Client(BENCH_CLIENT);
  await client.connect(clientSide);
  return {
    client,
    sessionId: session.sessionId,
    async close() {
      await client.close().catch(() => {});
      await hub.close(session.sessionId);
    },
  };
}

/**
 * Connect an SDK client to the router's `/mcp` over streamable HTTP.
 * @param options exposure mode and the bearer API key (omitted: the router runs open on loopback)
 */
export async function connectHttp(
  baseUrl: string,
  options: { expose: ExposeMode; key?: string },
): Promise<BenchClient> {
  const url = new URL(`/mcp?expose=${options.expose}`, baseUrl);
  const transport = new StreamableHTTPClientTransport(
    url,
    options.key ? { requestInit: { headers: { authorization: `Bearer ${options.key}` } } } : {},
  );
  const client = new Client(BENCH_CLIENT);
  await client.connect(transport);
  const sessionId = transport.sessionId;
  if (!sessionId) throw new Error("the router did not assign an Mcp-Session-Id");
  return {
    client,
    sessionId,
    async close() {
      await transport.terminateSession().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}

/** Router-labelled containers (`mcp-router=1`) known to the engine. */
export async function routerContainers(backend: PodmanBackend): Promise<ContainerState[]> {
  return await backend.list({ "mcp-router": "1" });
}

/** Remove `dir` recursively, ignoring errors. */
export async function removeDir(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
