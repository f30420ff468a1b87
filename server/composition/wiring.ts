/**
 * @module Wiring: builds the router's services from settings — store, Podman backend (or a
 * degraded runtime), downstream pool, session hub, built-in tools, analyzer.
 */
import type { Settings } from "../settings.ts";
import { KvStore } from "../store/kv_store.ts";
import { csrfKey } from "../middleware/csrf.ts";
import { timeId } from "../store/ids.ts";
import type { AnalyzeFn, RuntimeFacade } from "./contracts.ts";
import { createLogger, setLogLevel } from "../../runtime/foundation/log.ts";
import { PodmanBackend } from "../../runtime/podman/backend.ts";
import type { PodmanClient } from "../../runtime/podman/client.ts";
import { removeServerImage, serverImageResolver } from "../../runtime/install_image.ts";
import { runtimeImageTag } from "../../runtime/images.ts";
import { createFindToolsTool } from "../services/find_tools_tool.ts";
import { ContainerSlots } from "../../runtime/sessions.ts";
import { DownstreamPool, type SessionEvent } from "../mcp/downstream/pool.ts";
import { SessionHub } from "../mcp/hub.ts";
import type { ImageResolver } from "../mcp/downstream/types.ts";
import { containerEvents, imageBuilds } from "../observability/metrics.ts";
import { registerCapacityGauges, slotMetrics } from "../observability/capacity_metrics.ts";
import { PoolRuntime } from "../services/runtime_service.ts";
import type { BuiltinTool } from "../mcp/contracts.ts";
import { createAnalyzeFn } from "../services/analyze_service.ts";
import { PODMAN_INSTALL_HINT, startPodmanService } from "../services/podman_service.ts";
import { createSandboxTool } from "../services/sandbox_tool.ts";
import { sandboxImageTag } from "../../sandbox/image.ts";
import { createRetryingFetch } from "../http/retry_fetch.ts";
import { routerOutboundGuard } from "../http/router_outbound_guard.ts";
import { remoteAuthOf, routerDownstreamAuth } from "../downstream_auth/flow.ts";

const logger = createLogger("wiring");

/** The assembled services of one router process. */
export interface RouterServices {
  settings: Settings;
  store: KvStore;
  runtime: RuntimeFacade;
  analyze: AnalyzeFn;
  backend: PodmanBackend | null;
  pool: DownstreamPool;
  hub: SessionHub;
  /** Stop background work, end sessions, close handles. */
  close(): Promise<void>;
}

async function podmanInstalled(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("podman", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** Wrap an image resolver so builds it triggers are counted in metrics. */
function countingBuilds(resolve: ImageResolver): ImageResolver {
  return async (server, options) => {
    let built = false;
    try {
      const tag = await resolve(server, {
        ...options,
        onLog: (line) => {
          if (/^STEP \d+/.test(line)) built = true;
          options.onLog(line);
        },
      });
      if (built) imageBuilds.inc({ outcome: "ok" });
      return tag;
    } catch (error) {
      imageBuilds.inc({ outcome: "error" });
      throw error;
    }
  };
}

/** Options for {@linkcode openServices}. */
export interface OpenServicesOptions {
  /** Start `podman system service` when the socket is missing (serve/stdio do; CLI verbs don't). */
  startPodman?: boolean;
  /** Remove containers left by a crashed run. */
  sweepOrphans?: boolean;
}

/** Open the store and build every service. */
export async function openServices(
  settings: Settings,
  options: OpenServicesOptions = {},
): Promise<RouterServices> {
  setLogLevel(settings.logLevel);
  const store = await KvStore.open({ dataDir: settings.dataDir });
  await store.registerSecretsForRedaction();
  await csrfKey(store);
  let unavailableReason: string | null = null;
  let installHint: string | null = null;
  let stopPodman: (() => Promise<void>) | null = null;
  let socketPresent = await Deno.stat(settings.podmanSocket).then(() => true, () => false);
  if (!socketPresent) {
    if (!(await podmanInstalled())) {
      unavailableReason = "podman is not installed";
      installHint = PODMAN_INSTALL_HINT;
    } else if (options.startPodman) {
      try {
        stopPodman = await startPodmanService(settings.podmanSocket);
        socketPresent = true;
      } catch (error) {
        unavailableReason = `could not start podman system service: ${(error as Error).message}`;
      }
    } else {
      unavailableReason = `podman socket ${settings.podmanSocket} not found`;
    }
  }
  const backend = socketPresent ? PodmanBackend.fromSettings(settings) : null;
  const imageDeps = backend
    ? { settings, client: backend.client as PodmanClient, fetch: createRetryingFetch() }
    : null;
  const startedAt = new Map<string, { key: string; at: string; containerId: string | null }>();
  const recordSession = (event: SessionEvent) => {
    containerEvents.inc({ event: event.type });
    const pair = `${event.sessionId}:${event.serverId}`;
    const base = {
      client_session: event.sessionId,
      server_id: event.serverId,
      server_name: event.serverName,
    };
    if (event.type === "started") {
      const key = timeId();
      startedAt.set(pair, { key, at: event.at, containerId: event.containerId });
      void store.putSession({
        ...base,
        id: key,
        container_id: event.containerId,
        started_at: event.at,
        stopped_at: null,
        exit_code: null,
        error: null,
      }).catch(() => {});
      return;
    }
    const started = startedAt.get(pair);
    startedAt.delete(pair);
    void store.putSession({
      ...base,
      id: started?.key ?? timeId(),
      container_id: event.type === "stopped" ? event.containerId : started?.containerId ?? null,
      started_at: started?.at ?? event.at,
      stopped_at: event.at,
      exit_code: event.type === "stopped" ? event.exitCode : null,
      error: event.error,
      ...(event.type === "stopped" ? { stop_reason: event.reason } : {}),
    }).catch(() => {});
  };
  // One set of container slots for the MCP servers' containers and the sandbox's.
  const slots = new ContainerSlots(
    settings.maxContainers,
    settings.maxContainersPerServer,
    slotMetrics,
  );
  const pool = new DownstreamPool({
    settings,
    backend,
    slots,
    outboundGuard: routerOutboundGuard(settings, store),
    remoteAuth: remoteAuthOf(routerDownstreamAuth(settings, store)),
    resolveImage: imageDeps ? countingBuilds(serverImageResolver(imageDeps)) : undefined,
    onSessionEvent: recordSession,
  });
  registerCapacityGauges(() => ({ states: pool.containerStates(), waiting: slots.waiting }));
  if (backend && options.sweepOrphans) {
    try {
      const removed = await pool.sweepOrphans();
      if (removed) logger.info("removed orphaned containers", { count: removed });
    } catch (error) {
      logger.warn("orphan sweep failed", { error });
    }
  }
  const runtime = new PoolRuntime({
    settings,
    store,
    backend,
    pool,
    unavailableReason: unavailableReason ?? undefined,
    installHint,
    images: imageDeps
      ? async () => {
        const out: Record<string, string> = {};
        for (const kind of ["node", "uv"] as const) {
          const tag = await runtimeImageTag(kind, settings);
          out[kind] = (await imageDeps.client.imageExists(tag))
            ? tag
            : `missing (${tag}); run \`deno task images\``;
        }
        out.base = (await imageDeps.client.imageExists(settings.baseImage))
          ? settings.baseImage
          : `missing (${settings.baseImage})`;
        const sandboxTag = await sandboxImageTag(settings);
        out.sandbox = (await imageDeps.client.imageExists(sandboxTag))
          ? sandboxTag
          : `missing (${sandboxTag}); built on first python_sandbox call or by \`deno task images\``;
        return out;
      }
      : undefined,
    removeImage: imageDeps ? (server) => removeServerImage(server, imageDeps) : undefined,
  });
  const builtins: BuiltinTool[] = [];
  const sandbox = backend ? createSandboxTool({ settings, backend, slots }) : null;
  if (sandbox) builtins.push(sandbox.tool);
  // find_tools searches the servers-exposure catalogue the hub caches (late-bound: the hub
  // takes the built-ins).
  builtins.push(createFindToolsTool(() => hub.catalog("servers")));
  const hub = new SessionHub({ settings, store, downstream: pool, builtins });
  return {
    settings,
    store,
    runtime,
    analyze: createAnalyzeFn(settings, store, runtime),
    backend,
    pool,
    hub,
    async close() {
      await hub.closeAll();
      await sandbox?.shutdown().catch(() => {});
      await pool.shutdown().catch(() => {});
      backend?.close();
      store.close();
      await stopPodman?.();
    },
  };
}
