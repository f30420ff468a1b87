/**
 * @module Errors: one HTTP-mappable error type, rendered once by the app's `onError`.
 */

/** Machine-readable error codes the API returns. */
export type ErrorCode =
  | "bad_request"
  | "invalid_json"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "rate_limited"
  | "not_implemented"
  | "runtime_unavailable"
  | "upstream_failed"
  | "internal";

/** An error with an HTTP status and a JSON body `{error: {code, message, details}}`. */
export class AppError extends Error {
  override name = "AppError";
  /**
   * @param code machine-readable code
   * @param status HTTP status
   * @param message human-readable message (never containing a secret)
   * @param options `details` for the client, `cause` for logs
   */
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    options: { details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details;
  }
  /** Extra structured information for the client. */
  readonly details: unknown;

  /** The JSON body for this error. */
  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** 404 for a missing record. */
export function notFound(what: string): AppError {
  return new AppError("not_found", 404, `${what} not found`);
}

/** 409 for a lost race or a taken name. */
export function conflict(message: string, details?: unknown): AppError {
  return new AppError("conflict", 409, message, { details });
}

/** 503 for a missing container runtime. */
export function runtimeUnavailable(reason: string): AppError {
  return new AppError("runtime_unavailable", 503, `container runtime unavailable: ${reason}`);
}

/** Messages that say nothing by themselves; the cause says what happened. */
const GENERIC_MESSAGE_RE = /^(fetch failed|terminated|network error|failed to fetch)$/i;

/**
 * A one-line message for any thrown value. When an error's own message is generic (`fetch
 * failed`), the innermost cause's message is appended, e.g. `fetch failed: … dns error: …`.
 * @param error anything thrown
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let message = error.message;
  if (GENERIC_MESSAGE_RE.test(message.trim())) {
    let cause: unknown = error.cause;
    let innermost: string | null = null;
    for (let depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
      innermost = cause instanceof Error ? cause.message : String(cause);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    if (innermost) message = `${message}: ${innermost}`;
  }
  return message;
}

/** One validation problem: a dotted path (`env.0.key`, "" for the whole value) and a message. */
export interface IssueView {
  path: string;
  message: string;
}

/**
 * Validation issues (zod's shape) as `{path, message}` pairs for responses and messages.
 * @param issues `ZodError.issues`
 */
export function issueList(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): IssueView[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** Issues on one line: `name: must be …; env.0.key: …`. */
export function issuesText(issues: readonly IssueView[]): string {
  return issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
}
