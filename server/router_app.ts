/**
 * @module The full HTTP app of `serve`: REST API + MCP endpoints (`/mcp`, `/sse`) + admin UI.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createApp } from "./app.ts";
import type { AppEnv } from "./app_env.ts";
import type { RouterServices } from "./wiring.ts";
import { mountMcpHttp } from "./mcp/http.ts";
import { mountMcpSse } from "./mcp/sse.ts";

/** The app plus a way to end its MCP sessions. */
export type RouterApp = OpenAPIHono<AppEnv> & { closeSessions(): Promise<void> };

/** Build the app `serve` runs. */
export function createRouterApp(services: RouterServices): RouterApp {
  let closers: (() => Promise<void>)[] = [];
  const app = createApp(services, {
    extend: (app) => {
      const http = mountMcpHttp(app, services.hub);
      const sse = mountMcpSse(app, services.hub);
      closers = [() => http.closeAll(), () => sse.closeAll()];
    },
  }) as RouterApp;
  app.closeSessions = async () => {
    await Promise.allSettled(closers.map((c) => c()));
  };
  return app;
}
