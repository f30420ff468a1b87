/**
 * @module Sandbox errors: the one typed error the sandbox throws. It knows no HTTP or MCP; the
 * edge maps it (`invalid_input` → 400 `validation_failed`, `conflict` → 409 `conflict`,
 * `unavailable` → 503 `runtime_unavailable`), and `sandbox/tool.ts` turns it into an `isError`
 * tool result.
 */

/** What kind of failure a {@linkcode SandboxError} is. */
export type SandboxErrorKind = "invalid_input" | "conflict" | "unavailable";

/** One problem with the tool's arguments: dotted path (empty for the root) and message. */
export interface SandboxIssue {
  path: string;
  message: string;
}

/** A sandbox call that could not run: bad arguments, a session ended meanwhile, no sandbox. */
export class SandboxError extends Error {
  override name = "SandboxError";
  /** What went wrong. */
  readonly kind: SandboxErrorKind;
  /** For `invalid_input`: the {@linkcode SandboxIssue} list. */
  readonly details?: unknown;

  /**
   * @param kind what went wrong
   * @param message human-readable, no secrets
   * @param options `details` (the issues of bad input), `cause`
   */
  constructor(
    kind: SandboxErrorKind,
    message: string,
    options: { details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** zod issues as {@linkcode SandboxIssue}s (`files.0.name: …`). */
export function sandboxIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): SandboxIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
