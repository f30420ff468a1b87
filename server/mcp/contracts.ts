/**
 * @module Router contracts: what the upstream side of the router (sessions, hub, transports)
 * shares with the downstream pool and the built-in tools. Interfaces only, so that every module
 * under `server/mcp/` can depend on them without depending on each other.
 */
import type { Client, RequestOptions } from "@modelcontextprotocol/client";
import type { CallToolResult, Server, ServerContext, Tool } from "@modelcontextprotocol/server";
import type { ServerRecord } from "../schemas/server.ts";
import type { Settings } from "../settings.ts";
import type { AuditStore, CapabilityStore, EnvStore, ServerStore } from "../store/store.ts";
import type { Catalog, ExposeMode } from "./catalog.ts";
import type { ToolCallLimiter } from "./limits.ts";
import type { Bridging } from "./bridge/bridging.ts";

/** Handler context of an upstream request. */
export type Extra = ServerContext;

/** The lists an MCP server announces changes of (`notifications/<list>/list_changed`). */
export type ListKind = "tools" | "resources" | "prompts";

/** The slice of a pooled downstream connection the router uses. */
export interface LinkedConnection {
  /** The SDK client (already initialized). */
  readonly client: Client;
  /** Options (per-call timeout) to pass to `client` requests. */
  readonly requestOptions: RequestOptions;
  /** Run requests against the client (counted as in use, failures explained). */
  run<T>(fn: (client: Client) => Promise<T>): Promise<T>;
}

/** Access to downstream servers (implemented by the downstream pool). */
export interface DownstreamAccess {
  /** Run `fn` with a connection of `server` in `sessionId`, starting it on first use. */
  withConnection<T>(
    sessionId: string,
    server: ServerRecord,
    env: Record<string, string>,
    fn: (connection: LinkedConnection) => Promise<T>,
    options?: { principal?: string },
  ): Promise<T>;
  /**
   * The live connection of `server` in `sessionId` when one is up and current, without
   * starting anything (the warm call fast path); absent or null: take `withConnection`.
   */
  peek?(
    sessionId: string,
    server: ServerRecord,
    env: Record<string, string>,
    options?: { principal?: string },
  ): LinkedConnection | null;
  /** Tear down a session's containers. */
  endSession(sessionId: string): Promise<void>;
}

/** A tool the router itself implements (e.g. `python_sandbox`). */
export interface BuiltinTool {
  /** Its definition, as listed. */
  tool: Tool;
  /** Run one call in an upstream session. */
  call(sessionId: string, args: Record<string, unknown>, extra: Extra): Promise<CallToolResult>;
  /** Release what the session holds (its sandbox container). */
  endSession(sessionId: string): Promise<void>;
  /** Exposure modes that list it (default: every mode). */
  expose?: ExposeMode[];
}

/** The store areas the router reads and writes. */
export type RouterStore = ServerStore & CapabilityStore & EnvStore & AuditStore;

/** What every upstream session shares (the hub builds it). */
export interface RouterContext {
  settings: Settings;
  store: RouterStore;
  downstream: DownstreamAccess;
  /** Built-in tools such as `python_sandbox`. */
  builtins: BuiltinTool[];
  /** The catalog per exposure mode, built from the stored servers and their cached capabilities. */
  catalog: (mode: ExposeMode) => Promise<Catalog>;
  /**
   * Called after a live server's capabilities differed from the cache and the cache was
   * updated, with the lists that changed (the hub tells every session).
   */
  onCapabilitiesChanged?: (serverName: string, lists: ListKind[]) => void;
  /** Per-actor tool call budget. */
  toolLimiter?: ToolCallLimiter;
  /** Bridging between protocol generations (absent: requests are forwarded unbridged). */
  bridging?: Bridging;
}

/** Options of one upstream session. */
export interface UpstreamSessionOptions {
  sessionId: string;
  expose: ExposeMode;
  /** Who is acting (audit): `local`, `key:<name>`. */
  actor: string;
  /** Whose downstream OAuth tokens remote servers get (`principal.ts`; default `admin`). */
  principal?: string;
  /**
   * The downstream containers belong to an isolation unit that outlives this server instance
   * (a stateless 2026-07-28 request; see `stateless_unit.ts`): closing the session leaves them
   * to the idle timeout instead of ending them.
   */
  keepDownstream?: boolean;
  /** What the instances of one stateless isolation unit share (see {@linkcode UnitState}). */
  unitState?: UnitState;
  /**
   * Serve the tasks extension (`io.modelcontextprotocol/tasks`): a stateless 2026-07-28 instance
   * whose catalogue has a downstream that offers it (see `task_methods.ts`).
   */
  tasks?: boolean;
}

/**
 * Downstream knowledge the per-request instances of one stateless isolation unit share, so a
 * request does not re-list a server the unit already loaded.
 */
export interface UnitState {
  /** Live tool lists by server id. */
  liveTools: Map<string, Tool[]>;
  /** Downstream clients already seen (a new one is a new container: its tools are re-read). */
  seen: WeakSet<Client>;
}

/** An upstream session: the SDK server plus what it has loaded downstream. */
export interface UpstreamSession {
  readonly sessionId: string;
  readonly server: Server;
  /**
   * Serve a 2025-11-25 `/mcp` POST body on the warm call fast path (`fast_path.ts`); null when
   * the SDK transport must take it.
   */
  fastCall?(request: Request, body: unknown): Promise<Response | null>;
  /**
   * Start a message from a message transport (stdio) on the fast path (`fast_path.ts`), its
   * reply written through `send`; false when the SDK server must take it.
   */
  fastTake?(body: unknown, send: (message: Record<string, unknown>) => void): Promise<boolean>;
  /**
   * Route a message the SDK server sends with `relatedRequestId` of a fast-path call onto that
   * call's reply; false: the SDK transport sends it.
   */
  fastSend?(message: unknown, relatedRequestId: unknown): boolean;
  /** Notify the client that the tool list changed. */
  toolsChanged(): void;
  /** Notify the client that these lists changed. */
  listsChanged(lists: readonly ListKind[]): void;
  /** End the session: tear down its containers. */
  close(): Promise<void>;
}
