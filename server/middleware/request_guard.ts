/**
 * @module The first guards every request meets, authenticated or not: the `Host` must be one the
 * router answers to (DNS rebinding), the body may not exceed `MCP_ROUTER_MAX_BODY_BYTES` (checked
 * while it streams in, before anything parses it), and MCP POSTs must be JSON.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app/app_env.ts";
import type { Settings } from "../settings.ts";
import { hostViolation } from "../http/host_check.ts";
import { isMcpPath, refusal } from "./paths.ts";

/** The request's `Host` (its URL's host for in-process requests without the header). */
export function requestHost(req: Request): string {
  return req.headers.get("host") ?? new URL(req.url).host;
}

/** Refuse requests whose `Host` is not loopback, a listen address or allowed. */
export function hostGuard(settings: Settings): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const violation = hostViolation(requestHost(c.req.raw), settings);
    if (violation) return refusal(c.req.path, 403, "forbidden", `Forbidden: ${violation}`);
    await next();
  };
}

/** Refuse bodies over `maxBytes` on every route, counting as they stream in. */
export function bodyGuard(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      refusal(
        c.req.path,
        413,
        "payload_too_large",
        `Payload Too Large: request body exceeds ${maxBytes} bytes`,
        { connection: "close" },
      ),
  });
}

/** MCP messages are JSON: a POST to `/mcp` or `/messages` of another type gets 415. */
export function mcpJsonGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "POST" && isMcpPath(c.req.path)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (type !== "application/json") {
        return refusal(
          c.req.path,
          415,
          "unsupported_media_type",
          "Unsupported Media Type: Content-Type must be application/json",
        );
      }
    }
    await next();
  };
}
