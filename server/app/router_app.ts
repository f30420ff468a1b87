/**
 * @module The full HTTP app of `serve`: REST API + MCP endpoints (`/mcp`, `/sse`) + admin UI,
 * behind authentication, CSRF protection and metrics.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createApp } from "./app.ts";
import type { AppEnv } from "./app_env.ts";
import type { RouterServices } from "../composition/wiring.ts";
import { mountMcpHttp } from "../mcp/http.ts";
import { mountMcpSse } from "../mcp/sse.ts";
import { mountPages } from "../pages/mount.ts";
import { authMiddleware, clientAddressMiddleware, FailureLimiter } from "../middleware/auth.ts";
import { csrfMiddleware } from "../middleware/csrf.ts";
import { TrustedProxies } from "../auth/client_address.ts";
import { KeyRevocations } from "../auth/revocation.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { mountLogin } from "../routes/login.ts";
import { registerLiveGauges, registry } from "../observability/metrics.ts";
import { mountOAuth } from "../oauth/mount.ts";
import { GrantRevocations, grantSessionKey } from "../auth/grant_revocations.ts";

/** The app plus a way to end its MCP sessions. */
export type RouterApp = OpenAPIHono<AppEnv> & { closeSessions(): Promise<void> };

const logger = createLogger("http");

/**
 * Build the app `serve` runs. Order of the guards (see `createApp`): `Host` (DNS rebinding),
 * body size (every route, while streaming), client address and authentication with key scope
 * (added here), cross-site refusal, MCP content type, the API's JSON checks, then CSRF.
 */
export function createRouterApp(services: RouterServices): RouterApp {
  let closers: (() => Promise<void>)[] = [];
  const limiter = new FailureLimiter();
  const proxies = new TrustedProxies(services.settings.trustedProxies);
  if (proxies.invalid.length) {
    logger.warn("ignored MCP_ROUTER_TRUSTED_PROXIES entries", { entries: proxies.invalid });
  }
  const revocations = new KeyRevocations(services.store);
  registerLiveGauges(() => ({
    sessions: services.hub.size,
    containers: services.pool.containerCount(),
  }));
  const app = createApp(services, {
    before: [clientAddressMiddleware(proxies), authMiddleware(services, limiter)],
    after: [csrfMiddleware(services.store)],
    extend: (app) => {
      app.get("/healthz", (c) => c.json({ ok: true }));
      app.get(
        "/metrics",
        async (c) =>
          c.body(await registry.metrics(), 200, { "content-type": registry.contentType }),
      );
      mountLogin(app, services.store, limiter);
      mountOAuth(app, services);
      const http = mountMcpHttp(app, services.hub);
      const sse = mountMcpSse(app, services.hub);
      const pages = mountPages(app, services);
      revocations.onRevoked(async (keyId) => {
        const ended = (await http.closeKey(keyId)) + (await sse.closeKey(keyId));
        if (ended) {
          logger.info("ended sessions of a revoked key", { key_id: keyId, sessions: ended });
        }
      });
      void revocations.start();
      const grants = new GrantRevocations(services.store.oauth);
      grants.onRevoked(async (grantId) => {
        const key = grantSessionKey(grantId);
        await http.closeKey(key);
        await sse.closeKey(key);
      });
      void grants.start();
      closers = [
        () => Promise.resolve(revocations.stop()),
        () => Promise.resolve(grants.stop()),
        () => http.closeAll(),
        () => sse.closeAll(),
        () => pages.close(),
      ];
    },
  }) as RouterApp;
  app.closeSessions = async () => {
    await Promise.allSettled(closers.map((c) => c()));
  };
  return app;
}
