/**
 * @module The full HTTP app of `serve`: REST API + MCP endpoints (`/mcp`, `/sse`) + admin UI,
 * behind authentication, CSRF protection and metrics.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createApp } from "./app.ts";
import type { AppEnv } from "./app_env.ts";
import type { RouterServices } from "./wiring.ts";
import { mountMcpHttp } from "./mcp/http.ts";
import { mountMcpSse } from "./mcp/sse.ts";
import { mountPages } from "./routes/pages.ts";
import { authMiddleware, FailureLimiter } from "./middleware/auth.ts";
import { csrfMiddleware } from "./middleware/csrf.ts";
import { mountLogin } from "./routes/login.ts";
import { registerLiveGauges, registry } from "./metrics.ts";

/** The app plus a way to end its MCP sessions. */
export type RouterApp = OpenAPIHono<AppEnv> & { closeSessions(): Promise<void> };

/** Build the app `serve` runs. */
export function createRouterApp(services: RouterServices): RouterApp {
  let closers: (() => Promise<void>)[] = [];
  const limiter = new FailureLimiter();
  registerLiveGauges(() => ({
    sessions: services.hub.size,
    containers: services.pool.containerCount(),
  }));
  const app = createApp(services, {
    before: [authMiddleware(services, limiter)],
    after: [csrfMiddleware()],
    extend: (app) => {
      app.get("/healthz", (c) => c.json({ ok: true }));
      app.get(
        "/metrics",
        async (c) =>
          c.body(await registry.metrics(), 200, { "content-type": registry.contentType }),
      );
      mountLogin(app, services.store, limiter);
      const http = mountMcpHttp(app, services.hub);
      const sse = mountMcpSse(app, services.hub);
      const pages = mountPages(app, services);
      closers = [() => http.closeAll(), () => sse.closeAll(), () => pages.close()];
    },
  }) as RouterApp;
  app.closeSessions = async () => {
    await Promise.allSettled(closers.map((c) => c()));
  };
  return app;
}
