/**
 * @module Error response: the one mapper from anything thrown to the REST API's HTTP error —
 * our `AppError` as is, zod issues, hono's `HTTPException`, and the typed errors of the layers
 * below (`PodmanError`, `SandboxError`, `DownstreamError`), which know nothing of HTTP. Used by
 * `app.onError` and the API's 404 fallback.
 */
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { AppError, type ErrorCode, issueList } from "../errors.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { PodmanError } from "../../runtime/podman/errors.ts";
import { SandboxError, type SandboxErrorKind } from "../../sandbox/errors.ts";
import { DownstreamError, type DownstreamErrorKind } from "../mcp/downstream/errors.ts";

const logger = createLogger("http");

/**
 * A Podman failure as HTTP: unreachable → 503 `runtime_unavailable`, timeout → 504
 * `upstream_failed`, 404 → `not_found`, anything else → 502 `upstream_failed`.
 */
function fromPodman(err: PodmanError): AppError {
  if (err.kind === "unreachable") {
    return new AppError(
      "runtime_unavailable",
      503,
      `container runtime unavailable: ${err.message}`,
      {
        cause: err,
      },
    );
  }
  if (err.kind === "timeout") {
    return new AppError("upstream_failed", 504, `container runtime timed out: ${err.message}`, {
      cause: err,
    });
  }
  if (err.status === 404) return new AppError("not_found", 404, err.message, { cause: err });
  return new AppError("upstream_failed", 502, err.message, {
    cause: err,
    details: { status: err.status },
  });
}

const SANDBOX_STATUS: Record<SandboxErrorKind, { code: ErrorCode; status: number }> = {
  invalid_input: { code: "validation_failed", status: 400 },
  conflict: { code: "conflict", status: 409 },
  unavailable: { code: "runtime_unavailable", status: 503 },
};

const DOWNSTREAM_STATUS: Record<DownstreamErrorKind, { code: ErrorCode; status: number }> = {
  start_failed: { code: "upstream_failed", status: 502 },
  crashed: { code: "upstream_failed", status: 502 },
  timeout: { code: "upstream_failed", status: 504 },
  capacity: { code: "runtime_unavailable", status: 503 },
  closed: { code: "runtime_unavailable", status: 503 },
  config: { code: "bad_request", status: 400 },
  remote_failed: { code: "upstream_failed", status: 502 },
  // The server is fine; this principal must authorize the router there first.
  needs_authorization: { code: "conflict", status: 409 },
};

function fromHttpException(err: HTTPException): AppError {
  const status = err.status;
  const code = status === 413
    ? "payload_too_large"
    : /json/i.test(err.message)
    ? "invalid_json"
    : status === 401
    ? "unauthorized"
    : "bad_request";
  return new AppError(code, status, err.message || "bad request");
}

/**
 * The HTTP error for any thrown value; unknown errors are logged and become 500 `internal`
 * (their message is not shown).
 * @param err anything thrown by a route or middleware
 */
export function toHttpError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) {
    return new AppError("validation_failed", 400, "invalid input", {
      details: issueList(err.issues),
    });
  }
  if (err instanceof HTTPException) return fromHttpException(err);
  if (err instanceof PodmanError) return fromPodman(err);
  if (err instanceof SandboxError) {
    const { code, status } = SANDBOX_STATUS[err.kind];
    return new AppError(code, status, err.message, { details: err.details, cause: err });
  }
  if (err instanceof DownstreamError) {
    const { code, status } = DOWNSTREAM_STATUS[err.kind];
    return new AppError(code, status, err.message, {
      details: { kind: err.kind, serverId: err.serverId },
      cause: err,
    });
  }
  logger.error("unhandled error", { error: err instanceof Error ? err : String(err) });
  return new AppError("internal", 500, "internal error");
}

/**
 * Render any thrown error as `{error: {code, message, details}}` with the right status.
 * @param err anything thrown
 */
export function errorResponse(err: unknown): Response {
  const appError = toHttpError(err);
  return new Response(JSON.stringify(appError.toJSON()), {
    status: appError.status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
