/**
 * @module Session hub: the live upstream sessions of this process, created through one place so
 * that changes reach every client and shutdown ends them all. It owns the catalog every session
 * lists (built once per exposure mode from the stored servers, rebuilt on any change) and tells
 * every session when servers or their capabilities change.
 */
import { createLogger } from "../../runtime/foundation/log.ts";
import { buildCatalog, type Catalog, CATALOG_TTL_MS, type ExposeMode } from "./catalog.ts";
import type { ListKind, RouterContext, UnitState, UpstreamSession } from "./contracts.ts";
import { SessionCounter, ToolCallLimiter } from "./limits.ts";
import { createUpstreamSession } from "./router.ts";
import { Bridging } from "./bridge/bridging.ts";
import { missingEnvByServer } from "../services/server_health.ts";

const logger = createLogger("mcp.hub");

/** Stateless isolation units whose shared downstream knowledge is kept (least recent dropped). */
const MAX_UNIT_STATES = 512;

/** Notifications of changes that come close together are sent once, after this long. */
const BROADCAST_DELAY_MS = 50;

/** What the hub is built from. */
export type SessionHubOptions =
  & Pick<RouterContext, "settings" | "store" | "downstream" | "builtins">
  & {
    /** Per-actor tool call budget (default: `settings.toolCallsPerMinute`). */
    toolLimiter?: ToolCallLimiter;
  };

/** Keeps every upstream session of this process. */
export class SessionHub {
  readonly #sessions = new Map<string, UpstreamSession>();
  /** What every session shares; the catalog and capability changes are the hub's. */
  readonly ctx: RouterContext;
  /** Live sessions per API key (`maxSessionsPerKey`). */
  readonly perKey: SessionCounter;
  /** Catalogs by exposure mode, rebuilt on any change in this process or after a short TTL. */
  readonly #catalogs = new Map<ExposeMode, { at: number; value: Promise<Catalog> }>();
  readonly #pendingLists = new Set<ListKind>();
  readonly #listListeners = new Set<(lists: readonly ListKind[]) => void>();
  readonly #units = new Map<string, UnitState>();
  #pending: ReturnType<typeof setTimeout> | null = null;

  /** @param options settings, store, downstream access and built-in tools */
  constructor(options: SessionHubOptions) {
    this.perKey = new SessionCounter(options.settings.maxSessionsPerKey);
    this.ctx = {
      settings: options.settings,
      store: options.store,
      downstream: options.downstream,
      builtins: options.builtins,
      toolLimiter: options.toolLimiter ?? new ToolCallLimiter(options.settings.toolCallsPerMinute),
      catalog: (mode) => this.catalog(mode),
      bridging: new Bridging(),
      onCapabilitiesChanged: (serverName, lists) => {
        logger.debug("capabilities changed", { server: serverName, lists });
        this.#catalogs.clear();
        this.#scheduleBroadcast(lists);
      },
    };
    // Any change to the servers or their env values (API, UI, CLI in this process, cache
    // refresh) reaches clients.
    options.store.onServersChanged(() => {
      this.#catalogs.clear();
      this.#scheduleBroadcast(["tools"]);
    });
  }

  /**
   * The catalog clients of exposure `mode` see (cached; rebuilt after any change in this
   * process, and after {@linkcode CATALOG_TTL_MS} for changes made by other processes).
   */
  catalog(mode: ExposeMode): Promise<Catalog> {
    const cached = this.#catalogs.get(mode);
    if (cached && Date.now() - cached.at < CATALOG_TTL_MS) return cached.value;
    // A server missing a required env value is not offered until it is set (`needs_setup`).
    const value = this.ctx.store.listServers().then(async (servers) =>
      buildCatalog(servers, {
        mode,
        builtins: this.ctx.builtins.filter((b) => !b.expose || b.expose.includes(mode))
          .map((b) => b.tool),
        needsSetup: new Set((await missingEnvByServer(this.ctx.store, servers)).keys()),
      })
    );
    value.catch(() => this.#catalogs.delete(mode));
    this.#catalogs.set(mode, { at: Date.now(), value });
    return value;
  }

  #scheduleBroadcast(lists: readonly ListKind[]): void {
    for (const list of lists) this.#pendingLists.add(list);
    if (this.#pending !== null) return;
    this.#pending = setTimeout(() => {
      this.#pending = null;
      const changed = [...this.#pendingLists];
      this.#pendingLists.clear();
      for (const s of this.#sessions.values()) s.listsChanged(changed);
      for (const listener of this.#listListeners) listener(changed);
    }, BROADCAST_DELAY_MS);
    Deno.unrefTimer(this.#pending);
  }

  /** Open a new upstream session. */
  open(
    options: { sessionId?: string; expose?: ExposeMode; actor?: string; principal?: string } = {},
  ): UpstreamSession {
    const sessionId = options.sessionId ?? crypto.randomUUID();
    const session = createUpstreamSession(this.ctx, {
      sessionId,
      expose: options.expose ?? this.ctx.settings.expose,
      actor: options.actor ?? "local",
      principal: options.principal,
    });
    this.#sessions.set(sessionId, session);
    logger.info("session opened", { session: sessionId });
    return session;
  }

  /**
   * A server instance serving one stateless (2026-07-28) request of the isolation unit
   * `sessionId`. It is not kept: list changes reach stateless clients through
   * {@linkcode onListsChanged}, and the unit's containers outlive the instance (idle timeout).
   */
  instance(
    options: {
      sessionId: string;
      expose?: ExposeMode;
      actor?: string;
      principal?: string;
      tasks?: boolean;
    },
  ): UpstreamSession {
    const unitState = this.#units.get(options.sessionId) ??
      { liveTools: new Map(), seen: new WeakSet() };
    this.#units.delete(options.sessionId);
    this.#units.set(options.sessionId, unitState);
    if (this.#units.size > MAX_UNIT_STATES) this.#units.delete(this.#units.keys().next().value!);
    return createUpstreamSession(this.ctx, {
      sessionId: options.sessionId,
      expose: options.expose ?? this.ctx.settings.expose,
      actor: options.actor ?? "local",
      principal: options.principal,
      keepDownstream: true,
      unitState,
      tasks: options.tasks,
    });
  }

  /**
   * Hear of every list change broadcast to the sessions (stateless endpoints push them to their
   * `subscriptions/listen` streams).
   * @returns a function that stops listening
   */
  onListsChanged(listener: (lists: readonly ListKind[]) => void): () => void {
    this.#listListeners.add(listener);
    return () => this.#listListeners.delete(listener);
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** End a session and its containers. */
  async close(sessionId: string): Promise<void> {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    await session.close();
    logger.info("session closed", { session: sessionId });
  }

  /** Tell every client that the tool list changed (servers added/edited, caches refreshed). */
  broadcastToolsChanged(): void {
    for (const s of this.#sessions.values()) s.toolsChanged();
    for (const listener of this.#listListeners) listener(["tools"]);
  }

  /** End every session. */
  async closeAll(): Promise<void> {
    this.ctx.bridging?.close();
    await Promise.allSettled([...this.#sessions.keys()].map((id) => this.close(id)));
  }
}
