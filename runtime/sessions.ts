/**
 * @module Container side of downstream sessions: launching and destroying one server container,
 * capacity slots (total and per-server caps), exit watching, and sweeping orphans left by a
 * crashed router run. Knows containers, not MCP.
 */
import type {
  AttachedStreams,
  ContainerBackend,
  ContainerSpec,
  ContainerState,
} from "./backend.ts";
import { LABELS } from "./launch_spec.ts";
import { createLogger } from "./foundation/log.ts";
import { pollUntil } from "./foundation/timing.ts";

const log = createLogger("runtime.sessions");

/** A created and started container. */
export interface LaunchedContainer {
  id: string;
  /** Attached streams (stdio servers, or log capture for sse/http servers), when attached. */
  streams: AttachedStreams | null;
  /** Host port on 127.0.0.1 for the first published container port, if any. */
  hostPort: number | null;
}

/** Thrown when the engine refuses a launch step. */
export class ContainerLaunchError extends Error {
  override name = "ContainerLaunchError";
}

/**
 * Create, attach and start a container. Attaches before start so no output is lost. On any
 * failure the half-made container is removed.
 */
export async function launchContainer(
  backend: ContainerBackend,
  spec: ContainerSpec,
  options: { attach?: boolean } = {},
): Promise<LaunchedContainer> {
  let id: string | null = null;
  let streams: AttachedStreams | null = null;
  try {
    id = await backend.create(spec);
    if (options.attach ?? spec.stdin) streams = await backend.attach(id);
    await backend.start(id);
    let hostPort: number | null = null;
    if (spec.publish.length > 0) {
      const want = spec.publish[0].containerPort;
      const created = id;
      // null once the container stopped without publishing: no use waiting on.
      hostPort = await pollUntil(async () => {
        const state = await backend.inspect(created);
        return state.ports[want] ?? (state.running ? undefined : null);
      }, { intervalMs: 100, attempts: 50 }) ?? null;
      if (hostPort === null) {
        throw new ContainerLaunchError(`container port ${want} was not published`);
      }
    }
    return { id, streams, hostPort };
  } catch (error) {
    try {
      streams?.close();
    } catch {
      // ignore
    }
    if (id) await destroyContainer(backend, id, { timeoutS: 0 }).catch(() => {});
    throw error;
  }
}

/**
 * Stop (SIGTERM, SIGKILL after `timeoutS`) and remove a container; a missing container is fine.
 * @returns the exit code when it could be read
 */
export async function destroyContainer(
  backend: ContainerBackend,
  id: string,
  options: { timeoutS?: number } = {},
): Promise<{ exitCode: number | null }> {
  let exitCode: number | null = null;
  try {
    const state = await backend.inspect(id);
    if (state.running && (options.timeoutS ?? 2) > 0) {
      await backend.stop(id, { timeoutS: options.timeoutS ?? 2 }).catch(() => {});
      exitCode = (await backend.inspect(id).catch(() => state)).exitCode;
    } else {
      exitCode = state.running ? null : state.exitCode;
    }
  } catch {
    // gone already
  }
  try {
    await backend.remove(id, { force: true });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== 404) log.warn("container remove failed", { containerId: id, error });
  }
  return { exitCode };
}

/**
 * Read a container's exit code once it has stopped (polls briefly: the engine may lag the
 * closed stream). Null when it is still running after `waitMs` or is gone.
 */
export async function exitCodeOf(
  backend: ContainerBackend,
  id: string,
  options: { waitMs?: number } = {},
): Promise<number | null> {
  const exit = await pollUntil(async () => {
    try {
      const state = await backend.inspect(id);
      return state.running ? undefined : state.exitCode;
    } catch {
      return null;
    }
  }, { intervalMs: 100, timeoutMs: options.waitMs ?? 2_000 });
  return exit ?? null;
}

/**
 * Poll a container until it stops; resolves with its exit code, or never if `signal` aborts
 * first (then resolves null).
 */
export async function watchExit(
  backend: ContainerBackend,
  id: string,
  options: { intervalMs?: number; signal: AbortSignal },
): Promise<number | null> {
  const exit = await pollUntil(async () => {
    try {
      const state = await backend.inspect(id);
      return state.running ? undefined : state.exitCode;
    } catch (error) {
      return (error as { status?: number }).status === 404 ? null : undefined;
    }
  }, { intervalMs: options.intervalMs ?? 1_000, signal: options.signal, delayFirst: true });
  return exit ?? null;
}

/** Whether a container's owner label names another router process still alive on this host. */
export function ownedByLiveRouter(labels: Record<string, string>): boolean {
  const owner = labels[LABELS.owner];
  if (!owner || !/^\d+$/.test(owner) || owner === String(Deno.pid)) return false;
  try {
    Deno.statSync(`/proc/${owner}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove every container labelled by a router (`mcp-router.session`) left from a crashed run.
 * Containers whose owner (router pid) is another live process are spared, so several routers
 * (or test suites) can share one Podman service. Call once at router start, before serving.
 * @returns how many were removed
 */
export async function sweepOrphans(
  backend: ContainerBackend,
  options: { keep?: (container: ContainerState) => boolean } = {},
): Promise<number> {
  const found = await backend.list({ [LABELS.router]: "1" });
  let removed = 0;
  for (const c of found) {
    if (!(LABELS.session in c.labels)) continue;
    if (ownedByLiveRouter(c.labels)) continue;
    if (options.keep?.(c)) continue;
    await destroyContainer(backend, c.id, { timeoutS: 0 });
    removed++;
  }
  if (removed > 0) log.info("removed orphaned containers", { count: removed });
  return removed;
}

/**
 * Why no container slot was free, naming the setting to raise: the per-server cap when that
 * server is at it, else the total cap. One text for MCP servers and the sandbox alike.
 * @param slots the shared slots
 * @param serverId the slot key that was refused
 * @param serverName the name users know it by
 */
export function slotLimitMessage(
  slots: ContainerSlots,
  serverId: string,
  serverName: string,
): string {
  return slots.count(serverId) >= slots.maxPerServer
    ? `too many containers for ${serverName} (${slots.maxPerServer} running): end idle sessions or raise MCP_ROUTER_MAX_CONTAINERS_PER_SERVER`
    : `container limit reached (${slots.maxTotal} running): end idle sessions or raise MCP_ROUTER_MAX_CONTAINERS`;
}

/** A released-once slot. */
export type SlotRelease = () => void;

/** Watches callers queueing at the caps (metrics); called only when a caller has to wait. */
export interface SlotObserver {
  /**
   * A wait for a slot ended.
   * @param seconds how long it waited
   * @param acquired whether it got a slot (false: none freed within its `waitMs`)
   */
  waited(seconds: number, acquired: boolean): void;
}

/** Counts running containers against `maxTotal` and `maxPerServer`; waiters are served FIFO. */
export class ContainerSlots {
  #total = 0;
  #perServer = new Map<string, number>();
  #waiters: { serverId: string; wake: () => void }[] = [];
  #waiting = 0;

  /**
   * @param maxTotal cap on all containers
   * @param maxPerServer cap per server id
   * @param observer told how long each wait for a slot took (none by default)
   */
  constructor(
    readonly maxTotal: number,
    readonly maxPerServer: number,
    private readonly observer?: SlotObserver,
  ) {}

  /** Containers currently counted (total, or for one server). */
  count(serverId?: string): number {
    return serverId === undefined ? this.#total : this.#perServer.get(serverId) ?? 0;
  }

  /** Callers waiting in {@linkcode acquire} for a slot to free right now. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Take a slot now if one is free. */
  tryAcquire(serverId: string): SlotRelease | null {
    if (this.#total >= this.maxTotal) return null;
    if ((this.#perServer.get(serverId) ?? 0) >= this.maxPerServer) return null;
    this.#total++;
    this.#perServer.set(serverId, (this.#perServer.get(serverId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const n = (this.#perServer.get(serverId) ?? 1) - 1;
      if (n <= 0) this.#perServer.delete(serverId);
      else this.#perServer.set(serverId, n);
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w.wake();
    };
  }

  /**
   * Take a slot, waiting up to `waitMs` for one to free.
   * @returns the release function, or null when none freed in time
   */
  async acquire(serverId: string, options: { waitMs: number }): Promise<SlotRelease | null> {
    const now = this.tryAcquire(serverId);
    if (now) return now;
    const started = performance.now();
    this.#waiting++;
    let release: SlotRelease | null = null;
    try {
      release = await this.#wait(serverId, Date.now() + options.waitMs);
      return release;
    } finally {
      this.#waiting--;
      this.observer?.waited((performance.now() - started) / 1000, release !== null);
    }
  }

  /** Sleep until a release wakes it (or the deadline passes), then retry; null past the deadline. */
  async #wait(serverId: string, deadline: number): Promise<SlotRelease | null> {
    while (true) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiter = { serverId, wake: done };
        this.#waiters.push(waiter);
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
      const release = this.tryAcquire(serverId);
      if (release) return release;
    }
  }
}
