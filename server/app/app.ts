/**
 * @module HTTP app: mounts the REST API, the OpenAPI document, middleware and the one error
 * mapper (`error_response.ts`, in `onError`). MCP endpoints and admin pages are mounted by their
 * own modules through `extend`.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import { AppError, issueList } from "../errors.ts";
import type { AppDeps } from "../composition/contracts.ts";
import type { AppEnv } from "./app_env.ts";
import { errorResponse } from "./error_response.ts";
import { createLogger, logEnabled } from "../../runtime/foundation/log.ts";
import { mountServerRoutes } from "../routes/servers.ts";
import { mountHealthRoutes } from "../routes/health.ts";
import { mountConfigRoutes } from "../routes/config.ts";
import { mountAuditRoutes } from "../routes/audit.ts";
import { VERSION } from "../version.ts";
import { httpRequestLabels, httpRequests } from "../observability/metrics.ts";
import { jsonDepthExceeds } from "../http/json_depth.ts";
import { bodyGuard, hostGuard, mcpJsonGuard } from "../middleware/request_guard.ts";
import { crossSiteGuard } from "../middleware/cross_site.ts";

const logger = createLogger("http");

/** Options for {@linkcode createApp}. */
export interface CreateAppOptions {
  /** Mount more routes (MCP endpoints, admin pages) before the fallbacks. */
  extend?: (app: OpenAPIHono<AppEnv>) => void;
  /** Middleware run on every request after the Host and body guards (auth). */
  before?: MiddlewareHandler<AppEnv>[];
  /** Middleware run after body limits, before routes (CSRF). */
  after?: MiddlewareHandler<AppEnv>[];
}

/**
 * Build the router's HTTP app.
 * @param deps store, runtime, analyzer, settings
 * @param options extra routes and middleware
 */
export function createApp(deps: AppDeps, options: CreateAppOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("validation_failed", 400, "invalid input", {
          details: issueList((result.error as z.ZodError).issues),
        });
      }
    },
  });

  app.use("*", async (c, next) => {
    const started = performance.now();
    c.set("actor", "local");
    c.set("keyId", null);
    c.set("scope", null);
    c.set("via", "none");
    c.set("client", "local");
    await next();
    httpRequests.inc(httpRequestLabels(c));
    // Formatted only when info lines are written: off, the request log costs nothing.
    if (!logEnabled("info")) return;
    logger.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  // Every route, authenticated or not: the Host must be ours (DNS rebinding) and bodies are
  // counted while they stream in; then authentication (`before`), then cross-site refusal.
  app.use("*", hostGuard(deps.settings));
  app.use("*", bodyGuard(deps.settings.maxBodyBytes));
  for (const mw of options.before ?? []) app.use("*", mw);
  app.use("*", crossSiteGuard(deps.settings));
  app.use("*", mcpJsonGuard());
  app.use("/api/*", async (c, next) => {
    if (["POST", "PUT", "PATCH"].includes(c.req.method)) {
      const type = c.req.header("content-type") ?? "";
      if (type.includes("application/json")) {
        // Refuse hostile nesting before any parser or validator walks it.
        const body = await c.req.raw.clone().text();
        if (jsonDepthExceeds(body, deps.settings.maxJsonDepth)) {
          throw new AppError(
            "invalid_json",
            400,
            `JSON nested deeper than ${deps.settings.maxJsonDepth} levels`,
          );
        }
        return await next();
      }
      const text = await c.req.raw.clone().text();
      if (text !== "") {
        // Parse whatever was sent as JSON so a wrong content-type still gets a precise 400.
        try {
          JSON.parse(text);
        } catch {
          throw new AppError("invalid_json", 400, "request body is not valid JSON");
        }
        throw new AppError("bad_request", 415, "send JSON with content-type: application/json");
      }
    }
    await next();
  });
  for (const mw of options.after ?? []) app.use("*", mw);

  mountHealthRoutes(app, deps);
  mountServerRoutes(app, deps);
  mountConfigRoutes(app, deps);
  mountAuditRoutes(app, deps);

  app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "MCP Router API",
      version: VERSION,
      description: "Add, configure, test and inspect the MCP servers the router exposes.",
    },
    security: [{ Bearer: [] }],
  });

  options.extend?.(app);

  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) {
      return errorResponse(
        new AppError("not_found", 404, `no route ${c.req.method} ${c.req.path}`),
      );
    }
    return c.text("Not found", 404);
  });
  app.onError((err) => errorResponse(err));
  return app;
}
