/**
 * @module Cross-site refusal: a request a web page could make from another site — any request
 * to the MCP endpoints, or a state-changing one elsewhere — whose `Origin` is another site or
 * whose `Sec-Fetch-Site` is `cross-site` is refused unless it carries a valid bearer key.
 * Non-browser clients send neither header and are unaffected. Runs after authentication.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app/app_env.ts";
import type { Settings } from "../settings.ts";
import { crossSiteReason } from "../http/host_check.ts";
import { requestHost } from "./request_guard.ts";
import { isMcpPath, isSafeMethod, refusal } from "./paths.ts";
import { isOAuthMachinePath } from "../oauth/paths.ts";

/** The cross-site guard. */
export function crossSiteGuard(settings: Settings): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("via") === "bearer" || isOAuthMachinePath(c.req.path)) return await next();
    if (!isMcpPath(c.req.path) && isSafeMethod(c.req.method)) return await next();
    const reason = crossSiteReason(c.req.raw.headers, requestHost(c.req.raw), settings);
    if (reason) {
      return refusal(
        c.req.path,
        403,
        "forbidden",
        `Forbidden: ${reason}; send an API key (Authorization: Bearer) or list the origin in MCP_ROUTER_ALLOWED_ORIGINS`,
      );
    }
    await next();
  };
}
