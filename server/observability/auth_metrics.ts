/**
 * @module Authentication failures by reason (`mcp_router_auth_failures_total{reason}`), counted
 * by the auth middleware and the login form. Every reason starts at zero so rates exist before
 * the first failure.
 */
import client from "prom-client";
import { registry } from "./metrics.ts";

/** Every value the `reason` label takes. */
export const AUTH_FAILURE_REASONS = [
  /** A machine path (`/mcp`, `/api`, `/metrics`) without any credential. */
  "missing",
  /** An `Authorization` header that is not `Bearer <key>`. */
  "malformed",
  /** A bearer key that is unknown or revoked. */
  "invalid_key",
  /** A valid `mcp`-scope key outside the MCP endpoints. */
  "forbidden_scope",
  /** Refused because the address failed too often (the failure limiter). */
  "rate_limited",
  /** A wrong password or key on the login form. */
  "bad_login",
] as const;

/** One value of the `reason` label. */
export type AuthFailureReason = typeof AUTH_FAILURE_REASONS[number];

/** Authentication failures by reason. */
export const authFailures = new client.Counter({
  name: "mcp_router_auth_failures_total",
  help: "Refused authentication attempts by reason",
  labelNames: ["reason"],
  registers: [registry],
});
for (const reason of AUTH_FAILURE_REASONS) authFailures.inc({ reason }, 0);

const LABELS = Object.fromEntries(AUTH_FAILURE_REASONS.map((r) => [r, { reason: r }])) as Record<
  AuthFailureReason,
  { reason: AuthFailureReason }
>;

/** Count one refused authentication attempt. */
export function recordAuthFailure(reason: AuthFailureReason): void {
  authFailures.inc(LABELS[reason]);
}
