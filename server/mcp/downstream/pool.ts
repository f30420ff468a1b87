/**
 * @module Downstream pool: one SDK `Client` per (client session, server), started on first use
 * and reused, with the record's lifecycle (`session` default, `call` = fresh container per call,
 * `shared` = one container for all sessions), idle reaping and shutdown. Each connection's own
 * life (slot, start, crash, teardown, events) is a {@linkcode PoolEntry}.
 */
import type {
  ConnectionOptions,
  DownstreamConnection,
  DownstreamPoolOptions,
  ImageResolver,
} from "./types.ts";
import type { ContainerBackend } from "../../../runtime/backend.ts";
import { serverImageTag } from "../../../runtime/install_image.ts";
import { ContainerSlots, sweepOrphans } from "../../../runtime/sessions.ts";
import { createLogger } from "../../../runtime/foundation/log.ts";
import type { ServerRecord } from "../../schemas/server.ts";
import type { Settings } from "../../settings.ts";
import { openDownstream } from "./connect.ts";
import { DownstreamError } from "./errors.ts";
import { fingerprintOf } from "./fingerprint.ts";
import { entryKey, PoolEntry, type PoolEntryContext, type PoolEntryInit } from "./pool_entry.ts";
import { sessionEventEmitter } from "./pool_events.ts";

export type {
  DownstreamConnection,
  DownstreamPoolOptions,
  SessionEvent,
  StopReason,
} from "./types.ts";

const log = createLogger("downstream.pool");

/** Session id under which `shared` containers run. */
const SHARED_SESSION = "shared";

/** Keeps downstream connections per client session; see module doc. */
export class DownstreamPool {
  readonly #settings: Settings;
  readonly #backend: ContainerBackend | null;
  readonly #slots: ContainerSlots;
  readonly #entryContext: PoolEntryContext;
  /** Pooled entries by key (scope and server id). */
  readonly #entries = new Map<string, PoolEntry>();
  /** Unpooled entries (`call` lifecycle, ephemeral tests) until they close. */
  readonly #transient = new Set<PoolEntry>();
  /** Teardowns in flight (their entries are already forgotten); shutdown waits for them. */
  readonly #closing = new Set<Promise<void>>();
  #reaper: ReturnType<typeof setInterval> | null = null;
  #shutdown = false;
  /** Container teardowns in flight (metrics). */
  #stopping = 0;

  /** @param options settings, backend, shared container slots and hooks */
  constructor(options: DownstreamPoolOptions) {
    const settings = options.settings;
    this.#settings = settings;
    this.#backend = options.backend;
    this.#slots = options.slots ??
      new ContainerSlots(settings.maxContainers, settings.maxContainersPerServer);
    const resolveImage: ImageResolver = options.resolveImage ?? ((server) =>
      Promise.resolve(
        server.runtime === "image" ? server.image ?? "" : serverImageTag(server, settings),
      ));
    this.#entryContext = {
      settings,
      slots: this.#slots,
      slotWaitMs: options.slotWaitMs ?? 5_000,
      open: (server, env, sessionId, principal) =>
        openDownstream(server, env, {
          principal,
          remoteAuth: options.remoteAuth,
          backend: options.backend,
          settings,
          sessionId,
          resolveImage,
          clientInfo: options.clientInfo ?? { name: "mcp-router", version: "1.0.0" },
          outboundGuard: options.outboundGuard,
        }),
      emit: sessionEventEmitter(options.onSessionEvent),
      forget: (entry) => {
        if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
        this.#transient.delete(entry);
      },
      track: (closing, entry) => {
        const container = entry.server.runtime !== "remote";
        if (container) this.#stopping++;
        this.#closing.add(closing);
        closing.finally(() => {
          this.#closing.delete(closing);
          if (container) this.#stopping--;
        }).catch(() => {});
      },
    };
    const every = Math.max(1_000, Math.min(30_000, settings.sessionIdleTimeoutMs / 4));
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

  /** MCP server containers by state (remote servers have none); read at scrape time. */
  containerStates(): { starting: number; busy: number; idle: number; stopping: number } {
    const states = { starting: 0, busy: 0, idle: 0, stopping: this.#stopping };
    for (const entry of this.#all()) {
      if (!entry.closed && entry.server.runtime !== "remote") states[entry.state]++;
    }
    return states;
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
    options: ConnectionOptions = {},
  ): Promise<DownstreamConnection> {
    this.#assertOpen();
    const principal = options.principal;
    if (server.lifecycle === "call") {
      return this.#start({ sessionId, server, env, pooled: false, principal }).ready;
    }
    const scope = server.lifecycle === "shared" ? SHARED_SESSION : sessionId;
    // A shared remote connection still carries one principal's token: one per principal.
    const key = entryKey(scope, server.id, principal);
    const fingerprint = fingerprintOf(server, env);
    const existing = this.#entries.get(key);
    if (existing && !existing.closed) {
      const dead = existing.ended;
      if (existing.fingerprint === fingerprint && !dead) {
        existing.touch();
        return existing.ready;
      }
      void existing.close(dead ? "crashed" : "replaced");
    }
    const entry = this.#start({
      sessionId: scope,
      server,
      env,
      pooled: true,
      fingerprint,
      principal,
    });
    this.#entries.set(key, entry);
    return entry.ready;
  }

  /**
   * The live, current connection of `server` in `sessionId` (same fingerprint, not ended), or
   * null — it starts nothing, and `call` lifecycle servers have none. A hit counts as use.
   */
  peek(
    sessionId: string,
    server: ServerRecord,
    env: Record<string, string>,
    options: ConnectionOptions = {},
  ): DownstreamConnection | null {
    if (this.#shutdown || server.lifecycle === "call") return null;
    const scope = server.lifecycle === "shared" ? SHARED_SESSION : sessionId;
    const existing = this.#entries.get(entryKey(scope, server.id, options.principal));
    const conn = existing?.connection ?? null;
    if (!existing || !conn || existing.ended) return null;
    if (existing.fingerprint !== fingerprintOf(server, env)) return null;
    existing.touch();
    return conn;
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
    options: ConnectionOptions = {},
  ): Promise<T> {
    const conn = await this.get(sessionId, server, env, options);
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
    options: ConnectionOptions = {},
  ): Promise<T> {
    this.#assertOpen();
    const sessionId = `test-${crypto.randomUUID().slice(0, 8)}`;
    const conn = await this.#start({ sessionId, server, env, pooled: false, ...options }).ready;
    try {
      return await conn.run(() => fn(conn));
    } finally {
      await conn.close();
    }
  }

  /** Stop and remove every downstream of a client session. */
  async endSession(sessionId: string): Promise<void> {
    const mine = this.#all().filter((e) => e.sessionId === sessionId);
    await Promise.all(mine.map((e) => e.close("session_ended")));
  }

  /** Stop pooled downstreams unused for `settings.sessionIdleTimeoutMs`; returns how many. */
  async reapIdle(now = Date.now()): Promise<number> {
    const timeout = this.#settings.sessionIdleTimeoutMs;
    const idle = [...this.#entries.values()].filter((e) => e.isIdle(now, timeout));
    await Promise.all(idle.map((e) => e.close("idle")));
    return idle.length;
  }

  /**
   * Remove router-labelled containers this pool does not own (left by a crashed run). Call once
   * at router start. `match` narrows which to remove (tests: only their own sessions).
   */
  async sweepOrphans(
    options: { match?: (labels: Record<string, string>) => boolean } = {},
  ): Promise<number> {
    if (!this.#backend) return 0;
    const live = new Set(this.#all().map((e) => e.containerId));
    const match = options.match ?? (() => true);
    return await sweepOrphans(this.#backend, {
      keep: (c) => live.has(c.id) || !match(c.labels),
    });
  }

  /** Stop everything and refuse new work. */
  async shutdown(): Promise<void> {
    this.#shutdown = true;
    if (this.#reaper !== null) clearInterval(this.#reaper);
    this.#reaper = null;
    // Teardowns already under way (a session that just ended) must finish too, before the
    // caller closes the container backend under them.
    await Promise.allSettled([
      ...this.#all().map((e) => e.close("shutdown")),
      ...this.#closing,
    ]);
  }

  #all(): PoolEntry[] {
    return [...this.#entries.values(), ...this.#transient];
  }

  #assertOpen(): void {
    if (this.#shutdown) {
      throw new DownstreamError("the router is shutting down", { kind: "closed" });
    }
  }

  #start(init: PoolEntryInit): PoolEntry {
    const entry = new PoolEntry(this.#entryContext, init);
    if (!init.pooled && !entry.closed) this.#transient.add(entry);
    return entry;
  }
}
