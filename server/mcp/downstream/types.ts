/**
 * @module Downstream contracts: one opened connection and what opening it needs, the pooled
 * connections handed to callers, pool options and the lifecycle events the store records as
 * `ContainerSession` rows.
 */
import type { Client, OAuthClientProvider, RequestOptions } from "@modelcontextprotocol/client";
import type { ContainerBackend } from "../../../runtime/backend.ts";
import type { ContainerSlots } from "../../../runtime/sessions.ts";
import type { Lifecycle, ServerRecord } from "../../schemas/server.ts";
import type { Settings } from "../../settings.ts";
import type { OutboundGuard } from "../../http/outbound_guard.ts";

/**
 * Resolves (building if needed) the image a server runs from. With `presume` it only names the
 * image it would be once built, asking the engine nothing (a launch tries that first and resolves
 * for real only when the engine does not have it).
 */
export type ImageResolver = (
  server: ServerRecord,
  options: { onLog: (line: string) => void; presume?: boolean },
) => Promise<string>;

/** The OAuth client of one remote connection: the SDK's provider and the URL a flow started. */
export type RemoteAuthProvider = OAuthClientProvider & {
  /** The authorization URL the user must open, once a flow started; else null. */
  readonly authorizationUrl: URL | null;
};

/**
 * The OAuth client for `principal` at a remote server (tokens in the store), or null when the
 * router is not its OAuth client (a fixed `Authorization` header, or no store).
 */
export type RemoteAuthFactory = (
  server: ServerRecord,
  principal: string,
) => Promise<RemoteAuthProvider | null>;

/** How a connection ended. */
export interface ExitInfo {
  /** Container exit code, when known. */
  exitCode: number | null;
  /** True when it ended on its own (crash/exit), false when the router closed it. */
  unexpected: boolean;
}

/** One live downstream connection (before pooling). */
export interface OpenedDownstream {
  client: Client;
  containerId: string | null;
  /** Resolves once the connection is gone, for whatever reason. */
  ended: Promise<ExitInfo>;
  /** Whether the connection has ended. */
  readonly isEnded: boolean;
  /** Close the client and destroy the container; idempotent. */
  close(): Promise<ExitInfo>;
  /** The router's OAuth client of this (remote) connection, when it has one. */
  auth?: RemoteAuthProvider;
}

/** What opening one downstream needs (`openDownstream`). */
export interface OpenContext {
  backend: ContainerBackend | null;
  settings: Settings;
  sessionId: string;
  resolveImage: ImageResolver;
  clientInfo: { name: string; version: string };
  /**
   * Judges remote servers' URLs at connect time (keys may have been created, DNS may have
   * changed since the plan was saved). Default: a guard over `settings` that counts no keys.
   */
  outboundGuard?: OutboundGuard;
  /** Who the connection acts for (whose downstream OAuth tokens it uses); default `admin`. */
  principal?: string;
  /** The router as an OAuth client of remote servers (absent: no OAuth). */
  remoteAuth?: RemoteAuthFactory;
}

/** Why a downstream stopped. */
export type StopReason =
  | "session_ended"
  | "idle"
  | "crashed"
  | "shutdown"
  | "replaced"
  | "closed"
  | "call_done";

/** Lifecycle events, for recording `ContainerSession` rows. */
export type SessionEvent =
  | {
    type: "started";
    sessionId: string;
    serverId: string;
    serverName: string;
    lifecycle: Lifecycle;
    containerId: string | null;
    at: string;
  }
  | {
    type: "stopped";
    sessionId: string;
    serverId: string;
    serverName: string;
    containerId: string | null;
    exitCode: number | null;
    reason: StopReason;
    /** Set for crashes. */
    error: string | null;
    at: string;
  }
  | {
    type: "start_failed";
    sessionId: string;
    serverId: string;
    serverName: string;
    error: string;
    at: string;
  };

/** A pooled, connected downstream server. */
export interface DownstreamConnection {
  /** The SDK client (already initialized). */
  readonly client: Client;
  readonly serverId: string;
  readonly serverName: string;
  /** Container id (absent for remote servers). */
  readonly containerId?: string;
  /** Client session this connection belongs to (`shared` for shared containers). */
  readonly sessionId: string;
  /** Options (per-call timeout) to pass to `client` requests. */
  readonly requestOptions: RequestOptions;
  /** Run requests against the client: counts as in use, maps crashes/timeouts to DownstreamError. */
  run<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  /** `tools/call` with the call timeout and error mapping. */
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    options?: { signal?: AbortSignal },
  ): Promise<Awaited<ReturnType<Client["callTool"]>>>;
  /** Stop this downstream (its container is removed; the next `get` starts a fresh one). */
  close(): Promise<void>;
}

/** Options for {@linkcode DownstreamPool}. */
export interface DownstreamPoolOptions {
  settings: Settings;
  /** Container engine; null when unavailable (remote servers still work). */
  backend: ContainerBackend | null;
  /** Image for a server (build when missing); default: the user's image or the install tag. */
  resolveImage?: ImageResolver;
  /** Lifecycle events (started / stopped / start_failed). Must not throw. */
  onSessionEvent?: (event: SessionEvent) => void;
  /** `initialize` client identity. */
  clientInfo?: { name: string; version: string };
  /** How long to wait for a free container slot before failing (default 5 s). */
  slotWaitMs?: number;
  /**
   * The container slots (total and per-server caps) to count against; pass the instance other
   * container users (the sandbox) share. Default: new slots from `settings.maxContainers` and
   * `settings.maxContainersPerServer`.
   */
  slots?: ContainerSlots;
  /** Judges remote servers' URLs at connect time (default: settings only, no keys counted). */
  outboundGuard?: OutboundGuard;
  /** The router as an OAuth client of remote servers (absent: no OAuth). */
  remoteAuth?: RemoteAuthFactory;
}

/** Per-call options of the pool: who the connection acts for. */
export interface ConnectionOptions {
  /** Whose downstream OAuth tokens a remote server gets (default `admin`). */
  principal?: string;
}
