/**
 * @module One downstream in the pool: it takes a container slot, opens its connection, watches
 * for a crash, counts use (for idle reaping) and tears down, announcing each step as a
 * lifecycle event. Which entries exist, and when they are reused, is the pool's business.
 */
import type { Client, RequestOptions } from "@modelcontextprotocol/client";
import { appendLog } from "../../../runtime/log_buffer.ts";
import {
  type ContainerSlots,
  slotLimitMessage,
  type SlotRelease,
} from "../../../runtime/sessions.ts";
import { createLogger } from "../../../runtime/foundation/log.ts";
import type { ServerRecord } from "../../schemas/server.ts";
import type { Settings } from "../../settings.ts";
import { errorMessage } from "../../errors.ts";
import { explainCallFailure } from "./call_failure.ts";
import type { OpenedDownstream } from "./types.ts";
import { DownstreamError } from "./errors.ts";
import type { EmitSessionEvent } from "./pool_events.ts";
import type { DownstreamConnection, StopReason } from "./types.ts";

const log = createLogger("downstream.pool");

/** What an entry needs from its pool. */
export interface PoolEntryContext {
  settings: Settings;
  /** The container slots every container counts against. */
  slots: ContainerSlots;
  /** How long to wait for a free slot before failing. */
  slotWaitMs: number;
  /** Start and connect the downstream (a container, or a remote URL). */
  open(
    server: ServerRecord,
    env: Record<string, string>,
    sessionId: string,
    principal?: string,
  ): Promise<OpenedDownstream>;
  /** Announce a lifecycle event. */
  emit: EmitSessionEvent;
  /** The entry is leaving the pool (its start failed, or it is closing). */
  forget(entry: PoolEntry): void;
  /** A teardown has started; shutdown waits for it. */
  track(closing: Promise<void>, entry: PoolEntry): void;
}

/** What an entry is started for. */
export interface PoolEntryInit {
  /** Client session (or the shared scope) it belongs to. */
  sessionId: string;
  server: ServerRecord;
  env: Record<string, string>;
  /** Whether the pool keeps it for reuse (false: `call` lifecycle and ephemeral tests). */
  pooled: boolean;
  /** What makes it stale (pooled entries). */
  fingerprint?: string;
  /** Who it acts for (whose downstream OAuth tokens a remote server gets). */
  principal?: string;
}

/** The pool's key of an entry: scope, server, principal. */
export function entryKey(sessionId: string, serverId: string, principal?: string): string {
  return `${sessionId}\u0000${serverId}\u0000${principal ?? ""}`;
}

/** One downstream connection in the pool, from slot to teardown; see module doc. */
export class PoolEntry {
  /** `sessionId` and server id: the pool's key. */
  readonly key: string;
  readonly sessionId: string;
  readonly server: ServerRecord;
  readonly fingerprint: string;
  readonly pooled: boolean;
  /** Resolves once connected; rejects when the start failed. */
  readonly ready: Promise<DownstreamConnection>;
  readonly #ctx: PoolEntryContext;
  readonly #principal: string | undefined;
  #opened: OpenedDownstream | null = null;
  #live: DownstreamConnection | null = null;
  #release: SlotRelease | null = null;
  #inUse = 0;
  #lastUsed = Date.now();
  #closed = false;
  #closing: Promise<void> | null = null;

  /**
   * Start the entry (the connection opens in the background; see {@linkcode ready}).
   * @param ctx the pool's services
   * @param init session, server, env and whether it is pooled
   */
  constructor(ctx: PoolEntryContext, init: PoolEntryInit) {
    this.#ctx = ctx;
    this.key = entryKey(init.sessionId, init.server.id, init.principal);
    this.#principal = init.principal;
    this.sessionId = init.sessionId;
    this.server = init.server;
    this.fingerprint = init.fingerprint ?? "";
    this.pooled = init.pooled;
    this.ready = this.#open(init.env);
    this.ready.catch(() => {}); // observed by callers
  }

  /** Whether it is closed or closing (it must not be handed out). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether its connection ended on its own (the server exited). */
  get ended(): boolean {
    return this.#opened?.isEnded ?? false;
  }

  /** Its connection once connected (null while starting, after a failed start or closing). */
  get connection(): DownstreamConnection | null {
    return this.#closed ? null : this.#live;
  }

  /** Its container, once started (null for remote servers). */
  get containerId(): string | null | undefined {
    return this.#opened?.containerId;
  }

  /** Where an open entry is (metrics): `starting`, `busy` (a call in flight) or `idle`. */
  get state(): "starting" | "busy" | "idle" {
    if (this.#opened === null) return "starting";
    return this.#inUse > 0 ? "busy" : "idle";
  }

  /** Mark it used now (reuse keeps it from idle reaping). */
  touch(): void {
    this.#lastUsed = Date.now();
  }

  /** Whether it is connected, not in use, and unused for `timeoutMs` at `now`. */
  isIdle(now: number, timeoutMs: number): boolean {
    return this.#opened !== null && this.#inUse === 0 && now - this.#lastUsed >= timeoutMs;
  }

  /**
   * Tear it down (idempotent): close the connection, remove the container, free the slot and
   * announce `stopped`. An entry still starting is torn down as soon as its start settles.
   * @param reason why it stops
   * @param error what went wrong (crashes)
   */
  close(reason: StopReason, error: string | null = null): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#ctx.forget(this);
    this.#closing = (async () => {
      try {
        await this.ready;
      } catch {
        return; // never started; #open cleaned up
      }
      const opened = this.#opened!;
      const info = await opened.close();
      this.#release?.();
      this.#release = null;
      this.#ctx.emit({
        type: "stopped",
        sessionId: this.sessionId,
        serverId: this.server.id,
        serverName: this.server.name,
        containerId: opened.containerId,
        exitCode: info.exitCode,
        reason,
        error,
        at: new Date().toISOString(),
      });
    })();
    this.#ctx.track(this.#closing, this);
    return this.#closing;
  }

  async #open(env: Record<string, string>): Promise<DownstreamConnection> {
    const { server } = this;
    const ctx = this.#ctx;
    try {
      if (server.runtime !== "remote") {
        this.#release = await ctx.slots.acquire(server.id, { waitMs: ctx.slotWaitMs });
        if (!this.#release) throw capacityError(ctx.slots, server);
      }
      if (this.#closed) throw closedError(server);
      const opened = await ctx.open(server, env, this.sessionId, this.#principal);
      this.#opened = opened;
      if (this.#closed) {
        await opened.close();
        throw closedError(server);
      }
      ctx.emit({
        type: "started",
        sessionId: this.sessionId,
        serverId: server.id,
        serverName: server.name,
        lifecycle: server.lifecycle,
        containerId: opened.containerId,
        at: new Date().toISOString(),
      });
      opened.ended.then((info) => {
        if (!info.unexpected || this.#closed) return;
        const how = info.exitCode === null ? "" : ` with code ${info.exitCode}`;
        appendLog(server.id, `container exited${how}`, { source: "router" });
        log.warn("downstream exited", { server: server.name, exitCode: info.exitCode });
        void this.close("crashed", `exited${how}`);
      });
      this.#live = this.#connection(opened);
      return this.#live;
    } catch (error) {
      this.#release?.();
      this.#release = null;
      ctx.forget(this);
      if (!this.#closed) {
        ctx.emit({
          type: "start_failed",
          sessionId: this.sessionId,
          serverId: server.id,
          serverName: server.name,
          error: errorMessage(error),
          at: new Date().toISOString(),
        });
      }
      this.#closed = true;
      throw error;
    }
  }

  #connection(opened: OpenedDownstream): DownstreamConnection {
    const { server } = this;
    const callTimeoutMs = this.#ctx.settings.callTimeoutMs;
    const requestOptions: RequestOptions = { timeout: callTimeoutMs };
    const run = async <T>(fn: (client: Client) => Promise<T>): Promise<T> => {
      this.#inUse++;
      this.#lastUsed = Date.now();
      try {
        return await fn(opened.client);
      } catch (error) {
        throw await explainCallFailure(server, opened, error, callTimeoutMs);
      } finally {
        this.#inUse--;
        this.#lastUsed = Date.now();
      }
    };
    return {
      client: opened.client,
      serverId: server.id,
      serverName: server.name,
      containerId: opened.containerId ?? undefined,
      sessionId: this.sessionId,
      requestOptions,
      run,
      callTool: (params, options = {}) =>
        run((client) => client.callTool(params, { ...requestOptions, signal: options.signal })),
      close: () => this.close(this.pooled ? "closed" : "call_done"),
    };
  }
}

/** No container slot freed in time: say which cap and how to raise it. */
function capacityError(slots: ContainerSlots, server: ServerRecord): DownstreamError {
  return new DownstreamError(slotLimitMessage(slots, server.id, server.name), {
    kind: "capacity",
    serverId: server.id,
  });
}

function closedError(server: ServerRecord): DownstreamError {
  return new DownstreamError(`${server.name}: session ended while starting`, {
    kind: "closed",
    serverId: server.id,
  });
}
