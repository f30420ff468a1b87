/**
 * @module Audit route: `GET /api/audit` exports the audit log as JSON lines (newest first),
 * paginated with `before` and `limit`.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppDeps } from "../composition/contracts.ts";
import type { AppEnv } from "../app/app_env.ts";

const AuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  before: z.string().max(100).optional(),
});

/** Mount `GET /api/audit`. */
export function mountAuditRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/audit",
      summary: "Export the audit log as JSON lines (admin changes and tool calls; no secrets)",
      request: { query: AuditQuerySchema },
      responses: {
        200: {
          description: "One JSON object per line, newest first",
          content: { "application/x-ndjson": { schema: z.string() } },
        },
      },
    }),
    async (c) => {
      const { limit, before } = c.req.valid("query");
      const entries = await deps.store.listAudit({ limit, before });
      const body = entries.map((e) => JSON.stringify(e)).join("\n") + (entries.length ? "\n" : "");
      return new Response(body, {
        status: 200,
        headers: { "content-type": "application/x-ndjson; charset=utf-8" },
      }) as never;
    },
  );
}
