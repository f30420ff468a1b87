/**
 * @module Router contracts: what the upstream side of the router (sessions, hub, transports)
 * shares with the downstream pool and the built-in tools. Interfaces only, so that every module
 * under `server/mcp/` can depend on them without depending on each other.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/server/index"
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/shared/protocol"
import type {
  RequestHandlerExtra,
  RequestOptions,
} from "@modelcontextprotocol/sdk/shared/protocol.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
  Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { ServerRecord } from "../schemas/server.ts";
import type { Settings } from "../settings.ts";
import type { AuditStore, CapabilityStore, EnvStore, ServerStore } from "../store/store.ts";
import type { Catalog, ExposeMode } from "./catalog.ts";
import type { ToolCallLimiter } from "./limits.ts";

/** Handler context of an upstream request. */
export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

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
  ): Promise<T>;
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
}

/** Options of one upstream session. */
export interface UpstreamSessionOptions {
  sessionId: string;
  expose: ExposeMode;
  /** Who is acting (audit): `local`, `key:<name>`. */
  actor: string;
}

/** An upstream session: the SDK server plus what it has loaded downstream. */
export interface UpstreamSession {
  readonly sessionId: string;
  readonly server: Server;
  /** Notify the client that the tool list changed. */
  toolsChanged(): void;
  /** Notify the client that these lists changed. */
  listsChanged(lists: readonly ListKind[]): void;
  /** End the session: tear down its containers. */
  close(): Promise<void>;
}
