/**
 * @module Analyzer errors: one typed error whose `reason` maps to an HTTP status
 * (400 bad source, 404 repository not found, 502 GitHub/Anthropic failure).
 */
import { AppError, type ErrorCode } from "../errors.ts";

/** Why an analysis failed. */
export type AnalyzerErrorReason =
  | "bad_source"
  | "repo_not_found"
  | "github_failed"
  | "github_rate_limited"
  | "anthropic_failed"
  | "no_launch_found";

const STATUS: Record<AnalyzerErrorReason, { status: number; code: ErrorCode }> = {
  bad_source: { status: 400, code: "bad_request" },
  repo_not_found: { status: 404, code: "not_found" },
  github_failed: { status: 502, code: "upstream_failed" },
  github_rate_limited: { status: 502, code: "upstream_failed" },
  anthropic_failed: { status: 502, code: "upstream_failed" },
  no_launch_found: { status: 422, code: "validation_failed" },
};

/** An analysis failure; an {@linkcode AppError} so the app's `onError` renders it as is. */
export class AnalyzerError extends AppError {
  override name = "AnalyzerError";
  /**
   * @param reason machine-readable reason (also sent as `details.reason`)
   * @param message human-readable message (never containing a secret)
   * @param options `cause` for logs
   */
  constructor(
    readonly reason: AnalyzerErrorReason,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(STATUS[reason].code, STATUS[reason].status, message, {
      details: { reason },
      cause: options.cause,
    });
  }
}
