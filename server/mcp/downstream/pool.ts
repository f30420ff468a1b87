/**
 * @module Downstream pool: one SDK `Client` per (client session, server), started on first use
 * and reused, with the record's lifecycle (`session` default, `call` = fresh container per call,
 * `shared` = one container for all sessions), container caps, idle reaping, crash recovery and
 * session events for the store.
 */
import { createHash } from "node:crypto";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/shared/protocol"
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  DownstreamConnection,
  DownstreamPoolOptions,
  SessionEvent,
  StopReason,
} from "./types.ts";
import { serverImageTag } from "../../../runtime/install_image.ts";
import { appendLog } from "../../../runtime/log_buffer.ts";
import { ContainerSlots, type SlotRelease, sweepOrphans } from "../../../runtime/sessions.ts";
import { createLogger } from "../../../runtime/foundation/log.ts";
import { installIdentity, type ServerRecord } from "../../schemas/server.ts";
import type { Settings } from "../../settings.ts";
import { type ImageResolver, openDownstream, type OpenedDownstream } from "./connect.ts";
import { DownstreamError } from "./errors.ts";
import { explainCallFailure } from "./call_failure.ts";
import { errorMessage } from "../../errors.ts";

export type {
  DownstreamConnection,
  DownstreamPoolOptions,
  SessionEvent,
  StopReason,
} from "./types.ts";

const log = createLogger("downstream.pool");

/** Session id under which `shared` containers run. */
export const SHARED_SESSION = "shared";

interface Entry {
  key: string;
  sessionId: string;
  server: ServerRecord;
  fingerprint: string;
  ready: Promise<DownstreamConnection>;
  opened: OpenedDownstream | null;
  release: SlotRelease | null;
  inUse: number;
  lastUsed: number;
  closed: boolean;
  closing: Promise<void> | null;
  pooled: boolean;
}

/** Keeps downstream connections per client session; see module doc. */
export class DownstreamPool {
  readonly #opts: DownstreamPoolOptions;
  readonly #settings: Settings;
  readonly #slots: ContainerSlots;
  readonly #entries = new Map<string, Entry>();
  readonly #transient = new Set<Entry>();
  /** Teardowns in flight (their entries are already forgotten); shutdown waits for them. */
  readonly #closing = new Set<Promise<void>>();
  readonly #resolveImage: ImageResolver;
  #reaper: ReturnType<typeof setInterval> | null = null;
  #shutdown = false;

  /** @param options settings, backend and hooks */
  constructor(options: DownstreamPoolOptions) {
    this.#opts = options;
    this.#settings = options.settings;
    this.#slots = new ContainerSlots(
      options.settings.maxContainers,
      options.settings.maxContainersPerServer,
    );
    this.#resolveImage = options.resolveImage ?? ((server) =>
      Promise.resolve(
        server.runtime === "image" ? server.image ?? "" : serverImageTag(server, this.#settings),
      ));
    const every = Math.max(1_000, Math.min(30_000, this.#settings.sessionIdleTimeoutMs / 4));
    const reaper = setInterval(() => {
      this.reapIdle().catch((error) => log.warn("idle reap failed", { error }));
    }, every);
    Deno.unrefTimer(reaper as unknown as number);
    this.#reaper = reaper;
  }

  /** Containers counted against the caps (total, or for one server id). */
  containerCount(serverId?: string): number {
    return this.#slots.count(serverId);
  }

  /** Session ids with at least one pooled downstream (including `shared`). */
  sessions(): string[] {
    return [...new Set([...this.#entries.values()].map((e) => e.sessionId))];
  }

  /**
   * The connection for `server` in client session `sessionId`, starting it on first use. For
   * `call` lifecycle servers this is a fresh, unpooled connection: close it when done (prefer
   * {@linkcode withConnection}).
   */
  get(
    sessionId: string,
    server: ServerRecord,
    env: Record<string, string>,
  ): Promise<DownstreamConnection> {
    this.#assertOpen();
    if (server.lifecycle === "call") {
      return this.#startEntry(sessionId, server, env, { pooled: false }).ready;
    }
    const scope = server.lifecycle === "shared" ? SHARED_SESSION : sessionId;
    const key = `${scope}\u0000${server.id}`;
    const fingerprint = fingerprintOf(server, env);
    const existing = this.#entries.get(key);
    if (existing && !existing.closed) {
      const dead = existing.opened?.isEnded ?? false;
      if (existing.fingerprint === fingerprint && !dead) {
        existing.lastUsed = Date.now();
        return existing.ready;
      }
      void this.#closeEntry(existing, dead ? "crashed" : "replaced");
    }
    const entry = this.#startEntry(scope, server, env, { pooled: true, fingerprint });
    this.#entries.set(key, entry);
    return entry.ready;
  }

  /**
   * Run `fn` with a connection, honouring every lifecycle (a `call` server gets a fresh container
   * that is removed afterwards). Crashes and timeouts surface as {@linkcode DownstreamError}.
   */
  async withConnection<T>(
    sessionId: string,
    server: ServerRecord,
    env: Record<string, string>,
    fn: (connection: DownstreamConnection) => Promise<T>,
  ): Promise<T> {
    const conn = await this.get(sessionId, server, env);
    try {
      return await conn.run(() => fn(conn));
    } finally {
      if (server.lifecycle === "call") await conn.close();
    }
  }

  /** Run `fn` against a throw-away container in a session of its own (the `test` endpoint). */
  async withEphemeral<T>(
    server: ServerRecord,
    env: Record<string, string>,
    fn: (connection: DownstreamConnection) => Promise<T>,
  ): Promise<T> {
    this.#assertOpen();
    const sessionId = `test-${crypto.randomUUID().slice(0, 8)}`;
    const conn = await this.#startEntry(sessionId, server, env, { pooled: false }).ready;
    try {
      return await conn.run(() => fn(conn));
    } finally {
      await conn.close();
    }
  }

  /** Stop and remove every downstream of a client session. */
  async endSession(sessionId: string): Promise<void> {
    const mine = [...this.#entries.values(), ...this.#transient].filter((e) =>
      e.sessionId === sessionId
    );
    await Promise.all(mine.map((e) => this.#closeEntry(e, "session_ended")));
  }

  /** Stop pooled downstreams unused for `settings.sessionIdleTimeoutMs`; returns how many. */
  async reapIdle(now = Date.now()): Promise<number> {
    const idle = [...this.#entries.values()].filter((e) =>
      e.opened && e.inUse === 0 && now - e.lastUsed >= this.#settings.sessionIdleTimeoutMs
    );
    await Promise.all(idle.map((e) => this.#closeEntry(e, "idle")));
    return idle.length;
  }

  /**
   * Remove router-labelled containers this pool does not own (left by a crashed run). Call once
   * at router start. `match` narrows which to remove (tests: only their own sessions).
   */
  async sweepOrphans(
    options: { match?: (labels: Record<string, string>) => boolean } = {},
  ): Promise<number> {
    if (!this.#opts.backend) return 0;
    const live = new Set(
      [...this.#entries.values(), ...this.#transient].map((e) => e.opened?.containerId),
    );
    const match = options.match ?? (() => true);
    return await sweepOrphans(this.#opts.backend, {
      keep: (c) => live.has(c.id) || !match(c.labels),
    });
  }

  /** Stop everything and refuse new work. */
  async shutdown(): Promise<void> {
    this.#shutdown = true;
    if (this.#reaper !== null) clearInterval(this.#reaper);
    this.#reaper = null;
    const all = [...this.#entries.values(), ...this.#transient];
    // Teardowns already under way (a session that just ended) must finish too, before the
    // caller closes the container backend under them.
    await Promise.allSettled([
      ...all.map((e) => this.#closeEntry(e, "shutdown")),
      ...this.#closing,
    ]);
  }

  #assertOpen(): void {
    if (this.#shutdown) {
      throw new DownstreamError("the router is shutting down", { kind: "closed" });
    }
  }

  #startEntry(
    sessionId: string,
    server: ServerRecord,
    env: Record<string, string>,
    options: { pooled: boolean; fingerprint?: string },
  ): Entry {
    const entry: Entry = {
      key: `${sessionId}\u0000${server.id}`,
      sessionId,
      server,
      fingerprint: options.fingerprint ?? "",
      ready: Promise.resolve(null as unknown as DownstreamConnection),
      opened: null,
      release: null,
      inUse: 0,
      lastUsed: Date.now(),
      closed: false,
      closing: null,
      pooled: options.pooled,
    };
    if (!options.pooled) this.#transient.add(entry);
    entry.ready = this.#open(entry, env);
    entry.ready.catch(() => {}); // observed by callers
    return entry;
  }

  async #open(entry: Entry, env: Record<string, string>): Promise<DownstreamConnection> {
    const { server } = entry;
    try {
      if (server.runtime !== "remote") {
        entry.release = await this.#slots.acquire(server.id, {
          waitMs: this.#opts.slotWaitMs ?? 5_000,
        });
        if (!entry.release) throw this.#capacityError(server);
      }
      if (entry.closed) throw closedError(server);
      const opened = await openDownstream(server, env, {
        backend: this.#opts.backend,
        settings: this.#settings,
        sessionId: entry.sessionId,
        resolveImage: this.#resolveImage,
        clientInfo: this.#opts.clientInfo ?? { name: "mcp-router", version: "1.0.0" },
        outboundGuard: this.#opts.outboundGuard,
      });
      entry.opened = opened;
      if (entry.closed) {
        await opened.close();
        throw closedError(server);
      }
      this.#emit({
        type: "started",
        sessionId: entry.sessionId,
        serverId: server.id,
        serverName: server.name,
        lifecycle: server.lifecycle,
        containerId: opened.containerId,
        at: new Date().toISOString(),
      });
      opened.ended.then((info) => {
        if (!info.unexpected || entry.closed) return;
        const how = info.exitCode === null ? "" : ` with code ${info.exitCode}`;
        appendLog(server.id, `container exited${how}`, { source: "router" });
        log.warn("downstream exited", { server: server.name, exitCode: info.exitCode });
        void this.#closeEntry(entry, "crashed", `exited${how}`);
      });
      return this.#connection(entry, opened);
    } catch (error) {
      entry.release?.();
      entry.release = null;
      this.#forget(entry);
      if (!entry.closed) {
        this.#emit({
          type: "start_failed",
          sessionId: entry.sessionId,
          serverId: server.id,
          serverName: server.name,
          error: errorMessage(error),
          at: new Date().toISOString(),
        });
      }
      entry.closed = true;
      throw error;
    }
  }

  #connection(entry: Entry, opened: OpenedDownstream): DownstreamConnection {
    const requestOptions: RequestOptions = { timeout: this.#settings.callTimeoutMs };
    const run = async <T>(fn: (client: Client) => Promise<T>): Promise<T> => {
      entry.inUse++;
      entry.lastUsed = Date.now();
      try {
        return await fn(opened.client);
      } catch (error) {
        throw await explainCallFailure(entry.server, opened, error, this.#settings.callTimeoutMs);
      } finally {
        entry.inUse--;
        entry.lastUsed = Date.now();
      }
    };
    return {
      client: opened.client,
      serverId: entry.server.id,
      serverName: entry.server.name,
      containerId: opened.containerId ?? undefined,
      sessionId: entry.sessionId,
      requestOptions,
      run,
      callTool: (params, options = {}) =>
        run((client) =>
          client.callTool(params, undefined, { ...requestOptions, signal: options.signal })
        ),
      close: () => this.#closeEntry(entry, entry.pooled ? "closed" : "call_done"),
    };
  }

  #closeEntry(entry: Entry, reason: StopReason, error: string | null = null): Promise<void> {
    if (entry.closing) return entry.closing;
    entry.closed = true;
    this.#forget(entry);
    entry.closing = (async () => {
      try {
        await entry.ready;
      } catch {
        return; // never started; #open cleaned up
      }
      const opened = entry.opened!;
      const info = await opened.close();
      entry.release?.();
      entry.release = null;
      this.#emit({
        type: "stopped",
        sessionId: entry.sessionId,
        serverId: entry.server.id,
        serverName: entry.server.name,
        containerId: opened.containerId,
        exitCode: info.exitCode,
        reason,
        error,
        at: new Date().toISOString(),
      });
    })();
    const closing = entry.closing;
    this.#closing.add(closing);
    closing.finally(() => this.#closing.delete(closing)).catch(() => {});
    return closing;
  }

  #forget(entry: Entry): void {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    this.#transient.delete(entry);
  }

  #capacityError(server: ServerRecord): DownstreamError {
    const perServer = this.#slots.count(server.id) >= this.#slots.maxPerServer;
    const message = perServer
      ? `too many containers for ${server.name} (${this.#slots.maxPerServer} running): end idle sessions or raise MCP_ROUTER_MAX_CONTAINERS_PER_SERVER`
      : `container limit reached (${this.#slots.maxTotal} running): end idle sessions or raise MCP_ROUTER_MAX_CONTAINERS`;
    return new DownstreamError(message, { kind: "capacity", serverId: server.id });
  }

  #emit(event: SessionEvent): void {
    try {
      this.#opts.onSessionEvent?.(event);
    } catch (error) {
      log.warn("session event hook failed", { error });
    }
  }
}

function closedError(server: ServerRecord): DownstreamError {
  return new DownstreamError(`${server.name}: session ended while starting`, {
    kind: "closed",
    serverId: server.id,
  });
}

/** What makes a pooled connection stale: launch fields, record version and env values. */
function fingerprintOf(server: ServerRecord, env: Record<string, string>): string {
  const envHash = createHash("sha256").update(
    JSON.stringify(Object.entries(env).sort(([a], [b]) => a.localeCompare(b))),
  ).digest("hex");
  return JSON.stringify([
    installIdentity(server),
    server.transport,
    server.port ?? null,
    server.path ?? null,
    server.url ?? null,
    server.updated_at,
    envHash,
  ]);
}
