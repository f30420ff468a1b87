/**
 * @module Podman errors: one typed error carrying Podman's JSON `message` and the HTTP status.
 * It knows no HTTP of ours: the REST edge maps it (`server/app/error_response.ts`).
 */

/** What went wrong talking to Podman. `status` is 0 for transport failures and timeouts. */
export type PodmanErrorKind = "http" | "timeout" | "unreachable" | "protocol" | "build";

/** An error from the Podman REST API (or from reaching it). */
export class PodmanError extends Error {
  override name = "PodmanError";
  /** HTTP status (0 when no response arrived). */
  readonly status: number;
  /** Failure class. */
  readonly kind: PodmanErrorKind;
  /** The request that failed, e.g. `POST /containers/create`. */
  readonly operation: string;

  /**
   * @param message Podman's `message` (or a description of the transport failure)
   * @param options status, kind, operation and `cause`
   */
  constructor(
    message: string,
    options: { status?: number; kind?: PodmanErrorKind; operation?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status ?? 0;
    this.kind = options.kind ?? (options.status ? "http" : "unreachable");
    this.operation = options.operation ?? "";
  }

  /** True for 404 replies (no such container/image). */
  get notFound(): boolean {
    return this.status === 404;
  }

  /** True when a create named an image the engine does not have (Podman replies 500). */
  get imageMissing(): boolean {
    return this.kind === "http" && /image not known|no such image/i.test(this.message);
  }
}

/** Build a PodmanError from an error reply body (`{"cause","message","response"}` JSON or text). */
export function errorFromReply(operation: string, status: number, body: string): PodmanError {
  let message = body.trim() || `HTTP ${status}`;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "message" in parsed) {
      const m = (parsed as { message: unknown }).message;
      if (typeof m === "string" && m) message = m;
    }
  } catch {
    // not JSON: keep the text
  }
  return new PodmanError(`${operation}: ${message}`, { status, kind: "http", operation });
}
