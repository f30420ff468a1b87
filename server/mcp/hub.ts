/**
 * @module Session hub: the live upstream sessions of this process, created through one place so
 * that capability changes reach every client and shutdown ends them all.
 */
import { createLogger } from "../../runtime/foundation/log.ts";
import { buildCatalog, type Catalog, type ExposeMode } from "./catalog.ts";

/** Changes made by another process (the CLI) show up after at most this long. */
const CATALOG_TTL_MS = 2_000;
import { SessionCounter, ToolCallLimiter } from "./limits.ts";
import { createUpstreamSession, type RouterContext, type UpstreamSession } from "./router.ts";

const logger = createLogger("mcp.hub");

/** Keeps every upstream session of this process. */
export class SessionHub {
  readonly #sessions = new Map<string, UpstreamSession>();
  readonly ctx: RouterContext;
  /** Live sessions per API key (`maxSessionsPerKey`). */
  readonly perKey: SessionCounter;

  /** @param ctx shared services; its `onCapabilitiesChanged` is wired to broadcast */
  constructor(ctx: Omit<RouterContext, "onCapabilitiesChanged">) {
    this.perKey = new SessionCounter(ctx.settings.maxSessionsPerKey);
    this.ctx = {
      toolLimiter: new ToolCallLimiter(ctx.settings.toolCallsPerMinute),
      catalog: (mode) => this.#catalog(mode),
      ...ctx,
    };
    // Any change to the servers (API, UI, CLI in this process, cache refresh) reaches clients.
    ctx.store.onServersChanged(() => {
      this.#catalogs.clear();
      this.#scheduleBroadcast();
    });
  }

  /** Catalogs by exposure mode, rebuilt on any change in this process or after a short TTL. */
  readonly #catalogs = new Map<ExposeMode, { at: number; value: Promise<Catalog> }>();

  #catalog(mode: ExposeMode): Promise<Catalog> {
    const cached = this.#catalogs.get(mode);
    if (cached && Date.now() - cached.at < CATALOG_TTL_MS) return cached.value;
    const value = this.ctx.store.listServers().then((servers) =>
      buildCatalog(servers, { mode, builtins: this.ctx.builtins.map((b) => b.tool) })
    );
    value.catch(() => this.#catalogs.delete(mode));
    this.#catalogs.set(mode, { at: Date.now(), value });
    return value;
  }

  #pending: ReturnType<typeof setTimeout> | null = null;

  #scheduleBroadcast(): void {
    if (this.#pending !== null) return;
    this.#pending = setTimeout(() => {
      this.#pending = null;
      this.broadcastToolsChanged();
    }, 50);
    Deno.unrefTimer(this.#pending);
  }

  /** Open a new upstream session. */
  open(options: { sessionId?: string; expose?: ExposeMode; actor?: string } = {}): UpstreamSession {
    const sessionId = options.sessionId ?? crypto.randomUUID();
    const session = createUpstreamSession(this.ctx, {
      sessionId,
      expose: options.expose ?? this.ctx.settings.expose,
      actor: options.actor ?? "local",
    });
    this.#sessions.set(sessionId, session);
    logger.info("session opened", { session: sessionId });
    return session;
  }

  /** A live session by id. */
  get(sessionId: string): UpstreamSession | undefined {
    return this.#sessions.get(sessionId);
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
  }

  /** End every session. */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.#sessions.keys()].map((id) => this.close(id)));
  }
}
