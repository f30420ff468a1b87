/**
 * @module Downstream errors: one typed error for everything that goes wrong talking to a
 * downstream MCP server, with a message fit to show a user (never containing secret values).
 */
import type { StartupFailure } from "./startup_failure.ts";

/** What went wrong with a downstream. */
export type DownstreamErrorKind =
  | "start_failed"
  | "crashed"
  | "timeout"
  | "capacity"
  | "closed"
  | "config"
  /** A remote server's request failed at the HTTP level (the message names the status only). */
  | "remote_failed"
  /** A remote server wants an OAuth authorization this principal does not have (yet). */
  | "needs_authorization";

/** A downstream failure; `kind` says which, `serverId` which server (when known). */
export class DownstreamError extends Error {
  override name = "DownstreamError";
  /** What went wrong. */
  readonly kind: DownstreamErrorKind;
  /** The server involved, when known. */
  readonly serverId?: string;
  /** Why a start failed, classified (`start_failed` from a container's start or install). */
  readonly startup?: StartupFailure;

  /**
   * @param message user-facing message
   * @param options kind, server id, the classified start-up failure and the underlying cause
   */
  constructor(
    message: string,
    options: {
      kind: DownstreamErrorKind;
      serverId?: string;
      startup?: StartupFailure;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.serverId = options.serverId;
    this.startup = options.startup;
  }
}

/** The logs endpoint users are pointed at in error messages. */
export function logsHint(serverId: string): string {
  return `see /api/servers/${serverId}/logs`;
}

/** A message without the logs hint it may carry (where the logs are shown, or gone). */
export function withoutLogsHint(message: string): string {
  return message.replace(/;?\s*see \/api\/servers\/[^\s/]+\/logs/g, "");
}
