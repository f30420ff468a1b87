/**
 * @module Session link: what one upstream session does downstream — starting servers in this
 * session, loading them, forwarding calls (with progress and cancellation) and other requests,
 * passing on the client's log level, and keeping the capabilities cache in step with what the
 * live servers say. Relays live in `relays.ts`, audit in `tool_audit.ts`, error mapping in
 * `mcp_errors.ts`.
 */
import type { Client, RequestOptions } from "@modelcontextprotocol/client";
import {
  type CallToolResult,
  LOG_LEVEL_META_KEY,
  type Server,
  type Tool,
} from "@modelcontextprotocol/server";
import type { ServerRecord } from "../schemas/server.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { containerStartSeconds, serverLabel } from "../observability/metrics.ts";
import { refreshCapabilities } from "./capabilities.ts";
import type {
  Extra,
  LinkedConnection,
  ListKind,
  RouterContext,
  UpstreamSessionOptions,
} from "./contracts.ts";
import { toMcpError } from "./mcp_errors.ts";
import { forwardCall, type ToolCall } from "./forward_call.ts";
import {
  type BridgedRequest,
  type ModernRetry,
  principalOfRequest,
  type RoundOptions,
  roundRequestOptions,
} from "./bridge/bridging.ts";
import { createdTaskId } from "./bridge/task_routes.ts";
import { type FastRelay, relayDownstream } from "./relays.ts";
import { listenForListChanges } from "./resource_subscriptions.ts";
import { auditToolCall } from "./tool_audit.ts";
import { LiveToolLists } from "./live_tools.ts";
import { resolveLaunchEnv } from "../services/launch_env.ts";
import { ADMIN_PRINCIPAL } from "../downstream_auth/principal.ts";

const logger = createLogger("mcp.session");

/** A failure worth showing to the model as a tool error (not a protocol error). */
class ToolFailure extends Error {
  override name = "ToolFailure";
}

/** Per-session downstream state for one upstream session. */
export class SessionLink {
  /** Clients whose relays point at this session's server. */
  readonly #configured = new WeakSet<Client>();
  /** Clients seen by this session (or its stateless unit). */
  readonly #seen: WeakSet<Client>;
  readonly #liveTools: LiveToolLists;
  readonly #activeExtra = new Map<string, Extra>();
  #logLevel: string | null = null;
  readonly #connected = new Map<string, ServerRecord>();
  /** The fast-path call in flight per server id (its notifications and requests go there). */
  readonly #fastRelays = new Map<string, FastRelay>();

  /**
   * @param ctx shared router services
   * @param upstream the upstream SDK server (for notifications and server→client requests)
   * @param options session id, actor
   */
  constructor(
    private readonly ctx: RouterContext,
    private readonly upstream: Server,
    private readonly options: UpstreamSessionOptions,
  ) {
    this.#seen = options.unitState?.seen ?? new WeakSet();
    this.#liveTools = new LiveToolLists(
      options.unitState?.liveTools ?? new Map(),
      (server, conn) => this.#snapshot(server, conn),
      (server, error) =>
        logger.debug("capabilities refresh failed", { server: server.name, error }),
    );
  }

  /** Run a tool call with timing, audit (no argument values) and failure → tool error. */
  audited(
    serverName: string,
    tool: string,
    fn: () => Promise<CallToolResult>,
  ): Promise<CallToolResult> {
    // Snapshots this call brings about wait until its audit entry is written.
    return this.#liveTools.during(serverName, () =>
      auditToolCall(
        {
          store: this.ctx.store,
          actor: this.options.actor,
          sessionId: this.options.sessionId,
          known: (server, name) => this.#inCatalogue(server, name),
        },
        { serverName, tool },
        fn,
      ));
  }

  /** Whether `tool` of `serverName` is one the router knows (metrics label only known names). */
  async #inCatalogue(serverName: string, tool: string): Promise<boolean> {
    if (tool === "(load)") return true;
    if (tool === serverName && this.ctx.builtins.some((b) => b.tool.name === tool)) return true;
    const connected = [...this.#connected.values()].find((s) => s.name === serverName);
    const live = connected ? this.#liveTools.get(connected.id) : undefined;
    if (live?.some((t) => t.name === tool)) return true;
    const catalog = await this.ctx.catalog(this.options.expose).catch(() => null);
    const cached = catalog?.serverByName.get(serverName)?.capabilities?.tools ?? [];
    return cached.some((t) => t.name === tool);
  }

  /** The live tools of a server loaded in this session, if known (a snapshot in flight awaited). */
  liveTools(serverId: string): Promise<readonly Tool[] | undefined> {
    return this.#liveTools.settled(serverId);
  }

  /**
   * The connection of `server` when it is already running, current and set up in this session
   * over a 2025-era link (the fast path's condition); null otherwise — it starts nothing.
   */
  async warmConnection(server: ServerRecord): Promise<LinkedConnection | null> {
    const downstream = this.ctx.downstream;
    if (!downstream.peek) return null;
    const { env, missing } = await resolveLaunchEnv(this.ctx.store, server);
    if (missing.length) return null;
    const conn = downstream.peek(this.options.sessionId, server, env, {
      principal: this.options.principal ?? ADMIN_PRINCIPAL,
    });
    if (!conn || !this.#configured.has(conn.client) || !this.#seen.has(conn.client)) return null;
    return conn.client.getProtocolEra() === "modern" ? null : conn;
  }

  /**
   * While a fast-path call to server `serverId` runs, the server's log messages and requests for
   * the client (with no SDK request in flight to carry them) go on its reply.
   * @returns a function that ends it
   */
  relayInto(serverId: string, relay: FastRelay): () => void {
    this.#fastRelays.set(serverId, relay);
    return () => {
      if (this.#fastRelays.get(serverId) === relay) this.#fastRelays.delete(serverId);
    };
  }

  /** Load a server in this session and return its tools with input schemas. */
  async load(server: ServerRecord): Promise<CallToolResult> {
    const tools = await this.#withServer(server, undefined, (conn) => this.#tools(server, conn));
    const list = tools.map((t) => ({
      name: t.name,
      description: t.description ?? "",
      inputSchema: t.inputSchema,
    }));
    const text = `Server '${server.name}' is loaded with ${list.length} tool(s). Call it with ` +
      `{"tool": NAME, "arguments": {...}}.\n\n` +
      list.map((t) =>
        `## ${t.name}\n${t.description}\nInput schema: ${JSON.stringify(t.inputSchema)}`
      ).join("\n\n");
    return {
      content: [{ type: "text", text }],
      structuredContent: { server: server.name, tools: list },
    };
  }

  /**
   * Call a downstream tool in this session.
   * @param options `checkKnown`: first check the tool exists (servers exposed as one tool), so an
   *   unknown name gets an error naming the valid ones
   */
  async callTool(
    server: ServerRecord,
    call: ToolCall,
    extra: Extra,
    options: { checkKnown?: boolean } = {},
  ): Promise<CallToolResult> {
    return await this.#withServer(server, extra, (conn) => {
      const send = () => this.#forward(server, conn, call, extra);
      return options.checkKnown ? this.#liveTools.call(server, conn, call.tool, send) : send();
    });
  }

  /** Forward one call (bridged between protocol generations when bridging is on). */
  async #forward(
    server: ServerRecord,
    conn: LinkedConnection,
    call: ToolCall,
    extra: Extra,
  ): Promise<CallToolResult> {
    const forwarded = { ...call, logLevel: this.#logLevelFor(extra) };
    const bridging = this.ctx.bridging;
    if (!bridging) return await forwardCall(conn, forwarded, extra);
    const result = await bridging.run({
      kind: "tool",
      method: "tools/call",
      name: call.bindingName ?? call.tool,
      extra,
      upstream: this.upstream,
      client: conn.client,
      send: (retry, round) => forwardCall(conn, { ...forwarded, retry }, extra, round),
    }) as CallToolResult;
    const taskId = createdTaskId(result);
    if (taskId !== undefined) {
      bridging.tasks.remember(principalOfRequest(extra), taskId, {
        serverId: server.id,
        serverName: server.name,
        sessionId: this.options.sessionId,
      }, result.ttlMs);
    }
    return result;
  }

  /**
   * Forward a prompts/get or resources/read, bridged between protocol generations (see
   * `bridge/bridging.ts`): `fn` sends one round with `retry` (absent on the first).
   */
  async bridgedRequest<T>(
    server: ServerRecord,
    extra: Extra,
    what: Pick<BridgedRequest, "kind" | "method" | "name">,
    fn: (
      client: Client,
      options: RequestOptions,
      round: { retry?: ModernRetry; meta?: Record<string, unknown> },
    ) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.#withServer(server, extra, (conn) => {
        const send = (retry: ModernRetry | undefined, round: RoundOptions) =>
          fn(
            conn.client,
            roundRequestOptions(conn.requestOptions, extra.mcpReq.signal, round),
            { retry, meta: round.meta },
          ) as Promise<Record<string, unknown>>;
        const bridging = this.ctx.bridging;
        if (!bridging) return send(undefined, {}) as Promise<T>;
        return bridging.run({
          ...what,
          extra,
          upstream: this.upstream,
          client: conn.client,
          send,
        }) as Promise<T>;
      });
    } catch (error) {
      throw toMcpError(error);
    }
  }

  /**
   * Forward any other request (resources, prompts, completion, tasks) to a server in this
   * session, or in isolation unit `sessionId` (a task's: the unit that created it).
   */
  async request<T>(
    server: ServerRecord,
    extra: Extra,
    fn: (client: Client, options: RequestOptions) => Promise<T>,
    sessionId?: string,
  ): Promise<T> {
    try {
      return await this.#withServer(
        server,
        extra,
        (conn) => fn(conn.client, { ...conn.requestOptions, signal: extra.mcpReq.signal }),
        sessionId,
      );
    } catch (error) {
      throw toMcpError(error);
    }
  }

  /**
   * The log level to ask of a downstream for this upstream request: a 2026-07-28 request's own
   * (none: no logs), else the session's (`logging/setLevel`; unset means every message, as a
   * 2025 server sends them before it is told a level).
   */
  #logLevelFor(extra: Extra): string | undefined {
    const envelope = extra.mcpReq.envelope as Record<string, unknown> | undefined;
    if (envelope !== undefined) {
      const level = envelope[LOG_LEVEL_META_KEY];
      return typeof level === "string" ? level : undefined;
    }
    return this.#logLevel ?? "debug";
  }

  /** Remember the client's log level and pass it to every server loaded in this session. */
  async setLogLevel(level: string): Promise<void> {
    this.#logLevel = level;
    await Promise.all(
      [...this.#connected.values()].map((server) =>
        this.#withServer(server, undefined, async (conn) => {
          if (conn.client.getServerCapabilities()?.logging) {
            await conn.client.setLoggingLevel(level as "info");
          }
        }).catch(() => {})
      ),
    );
  }

  /** End this session downstream. */
  async close(): Promise<void> {
    await Promise.allSettled([
      this.ctx.downstream.endSession(this.options.sessionId),
      ...this.ctx.builtins.map((b) => b.endSession(this.options.sessionId)),
    ]);
  }

  async #withServer<T>(
    server: ServerRecord,
    extra: Extra | undefined,
    fn: (conn: LinkedConnection) => Promise<T>,
    sessionId = this.options.sessionId,
  ): Promise<T> {
    const env = await this.#launchEnv(server);
    const asked = performance.now();
    return await this.ctx.downstream.withConnection(
      sessionId,
      server,
      env,
      async (conn) => {
        if (!this.#seen.has(conn.client)) {
          this.#seen.add(conn.client);
          containerStartSeconds.observe(
            { server: serverLabel(server.name) },
            (performance.now() - asked) / 1000,
          );
          this.#liveTools.forget(server.id);
        }
        if (!this.#configured.has(conn.client)) {
          this.#configured.add(conn.client);
          relayDownstream(server, conn.client, {
            upstream: this.upstream,
            activeExtra: () => this.#activeExtra.get(server.id),
            activeRelay: () => this.#fastRelays.get(server.id),
            bridgeRequest: (request) =>
              this.ctx.bridging?.handlerFor(conn.client)?.handle(
                request.method,
                request.params,
              ) ?? null,
            onListChanged: (list) => this.#listChanged(server, conn, list),
          });
          void listenForListChanges(conn.client, conn.requestOptions);
          if (this.#logLevel && conn.client.getServerCapabilities()?.logging) {
            await conn.client.setLoggingLevel(this.#logLevel as "info").catch(() => {});
          }
        }
        this.#connected.set(server.id, server);
        if (extra) this.#activeExtra.set(server.id, extra);
        try {
          return await fn(conn);
        } finally {
          if (extra && this.#activeExtra.get(server.id) === extra) {
            this.#activeExtra.delete(server.id);
          }
        }
      },
      { principal: this.options.principal ?? ADMIN_PRINCIPAL },
    );
  }

  /** The stored env values of `server` with defaults filled in; refuses when one is missing. */
  async #launchEnv(server: ServerRecord): Promise<Record<string, string>> {
    const { env, missing } = await resolveLaunchEnv(this.ctx.store, server);
    if (missing.length) {
      throw new ToolFailure(
        `Server '${server.name}' cannot start: missing required env values ${
          missing.join(", ")
        }. ` +
          `Set them in the admin UI or with \`main.ts env set ${server.name} KEY\`.`,
      );
    }
    return env;
  }

  /** Live tool list of a server in this session; refreshes the stored capabilities cache. */
  #tools(server: ServerRecord, conn: LinkedConnection): Promise<Tool[]> {
    return this.#liveTools.current(server, conn);
  }

  /** Snapshot the live server, update the cache and say what changed; returns its tools. */
  async #snapshot(server: ServerRecord, conn: LinkedConnection): Promise<Tool[]> {
    const { snapshot, changed } = await refreshCapabilities(this.ctx.store, server.id, conn);
    if (changed.length > 0) this.ctx.onCapabilitiesChanged?.(server.name, changed);
    return snapshot.tools as Tool[];
  }

  /** A downstream list changed: forget its tools and bring the cache (and every client) along. */
  #listChanged(server: ServerRecord, conn: LinkedConnection, list: ListKind): void {
    if (list === "tools") this.#liveTools.forget(server.id);
    this.#liveTools.changed(server, conn);
  }
}
