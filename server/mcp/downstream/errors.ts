/**
 * @module Downstream errors: one typed error for everything that goes wrong talking to a
 * downstream MCP server, with a message fit to show a user (never containing secret values).
 */
import { AppError } from "../../errors.ts";
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
  | "remote_failed";

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

const STATUS: Record<DownstreamErrorKind, { code: AppError["code"]; status: number }> = {
  start_failed: { code: "upstream_failed", status: 502 },
  crashed: { code: "upstream_failed", status: 502 },
  timeout: { code: "upstream_failed", status: 504 },
  capacity: { code: "runtime_unavailable", status: 503 },
  closed: { code: "runtime_unavailable", status: 503 },
  config: { code: "bad_request", status: 400 },
  remote_failed: { code: "upstream_failed", status: 502 },
};

/** The HTTP error for a downstream failure (REST endpoints such as `POST /api/servers/:id/test`). */
export function toAppError(error: DownstreamError): AppError {
  const { code, status } = STATUS[error.kind];
  return new AppError(code, status, error.message, {
    details: { kind: error.kind, serverId: error.serverId },
    cause: error,
  });
}
