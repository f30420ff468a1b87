/**
 * @module Server routes: `/api/servers…` — analyze, CRUD, env values, test, logs.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError, issueList } from "../errors.ts";
import {
  AnalyzeBodySchema,
  CreateServerBodySchema,
  EnvParamSchema,
  EnvValueBodySchema,
  ErrorBodySchema,
  IdParamSchema,
  LogsQuerySchema,
  PlanBodySchema,
  ServerPatchSchema,
  ServerResponseSchema,
  TestReportSchema,
} from "../schemas/api.ts";
import { PlanSchema, type ServerRecord } from "../schemas/server.ts";
import type { AppDeps } from "../composition/contracts.ts";
import {
  auditView,
  checkPlanForSave,
  createServerAudited,
  deleteServerAudited,
  testServer,
} from "../services/server_ops.ts";
import type { VersionedServer } from "../schemas/records.ts";
import type { AppEnv } from "../app/app_env.ts";
import { checkRemoteUrl } from "../http/router_outbound_guard.ts";
import { classifySource } from "../analyzer/source_plan.ts";
import { fillArgFields, storeArgSecrets, valuesByFlag } from "../services/arg_values.ts";
import { requireLaunchEnv } from "../services/launch_env.ts";
import { missingFromStatus, serverHealth } from "../services/server_health.ts";

const errors = {
  400: {
    description: "Invalid input",
    content: { "application/json": { schema: ErrorBodySchema } },
  },
  404: { description: "Not found", content: { "application/json": { schema: ErrorBodySchema } } },
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** Shape a stored server for responses: secrets masked, env status and health state attached. */
export async function serverResponse(deps: AppDeps, server: VersionedServer) {
  const envValues = await deps.store.envStatus(server);
  const health = serverHealth(server.health, missingFromStatus(server, envValues));
  return { ...server, env_values: envValues, health };
}

/** Mount the `/api/servers` routes. */
export function mountServerRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const { store } = deps;

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/servers/analyze",
      summary: "Propose a plan from a GitHub URL, npx:/uvx:/image: source or MCP URL",
      request: {
        body: { content: { "application/json": { schema: AnalyzeBodySchema } }, required: true },
      },
      responses: { 200: json(PlanBodySchema, "A plan that POST /api/servers accepts"), ...errors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const source = (body.source ?? body.github_url ?? "").trim();
      if (classifySource(source) === "remote") {
        await checkRemoteUrl(deps, { runtime: "remote", url: source });
      }
      const existingNames = new Set((await store.listServers()).map((s) => s.name));
      const plan = await deps.analyze({ source, verify: body.verify }, { existingNames });
      await checkRemoteUrl(deps, plan as { runtime?: string; url?: string | null });
      return c.json(plan as z.infer<typeof PlanBodySchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/servers",
      summary: "List servers",
      responses: { 200: json(z.object({ servers: z.array(ServerResponseSchema) }), "Servers") },
    }),
    async (c) => {
      const servers = await Promise.all(
        (await store.listServers()).map((s) => serverResponse(deps, s)),
      );
      return c.json({ servers }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/servers",
      summary: "Add a server from a (reviewed) plan (`arg_values` fill its `arg_fields`)",
      request: {
        body: {
          content: { "application/json": { schema: CreateServerBodySchema } },
          required: true,
        },
      },
      responses: {
        201: json(ServerResponseSchema, "Created"),
        ...errors,
        409: json(ErrorBodySchema, "Name taken"),
      },
    }),
    async (c) => {
      const { arg_values: byFlag = {}, ...body } = c.req.valid("json");
      // A plan is accepted as the analyzer returned it: a command-line value not given in
      // `arg_values` waits in a required env value (the server is `needs_setup` until set).
      const filled = fillArgFields(body, valuesByFlag(body, byFlag), { pendingAsEnv: true });
      const plan = filled.plan;
      await checkPlanForSave(deps, plan);
      const created = await createServerAudited(store, plan, c.get("actor"));
      await storeArgSecrets(store, created, filled.secrets, c.get("actor"));
      return c.json(await serverResponse(deps, created), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/servers/{id}",
      summary: "Get a server by id or name",
      request: { params: IdParamSchema },
      responses: { 200: json(ServerResponseSchema, "The server"), ...errors },
    }),
    async (c) => {
      const server = await store.getServer(c.req.valid("param").id);
      return c.json(await serverResponse(deps, server), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/servers/{id}",
      summary: "Edit a server (optimistic concurrency via `version` or If-Match)",
      request: {
        params: IdParamSchema,
        body: { content: { "application/json": { schema: ServerPatchSchema } }, required: true },
      },
      responses: {
        200: json(ServerResponseSchema, "Updated"),
        ...errors,
        409: json(ErrorBodySchema, "Conflict"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version, ...patch } = c.req.valid("json");
      const expectedVersion = version ?? c.req.header("if-match")?.replaceAll('"', "");
      const stored = await store.getServer(id);
      await checkPlanForSave(deps, { ...stored, ...patch, mounts: patch.mounts ?? [] });
      let before: ServerRecord | null = null;
      const updated = await store.updateServer(id, (current) => {
        before = current;
        const merged = { ...current, ...patch };
        const check = PlanSchema.safeParse({
          ...merged,
          source: undefined,
          origin: current.source,
        });
        if (!check.success) {
          throw new AppError("validation_failed", 400, "the edited plan is invalid", {
            details: issueList(check.error.issues),
          });
        }
        return { ...merged, capabilities: current.capabilities };
      }, { expectedVersion });
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.update",
        target: updated.name,
        details: { before: before ? auditView(before) : null, after: auditView(updated) },
      });
      return c.json(await serverResponse(deps, updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/servers/{id}",
      summary: "Delete a server, its env values and its install image",
      request: { params: IdParamSchema },
      responses: { 200: json(z.object({ deleted: z.string() }), "Deleted"), ...errors },
    }),
    async (c) => {
      const removed = await deleteServerAudited(deps, c.req.valid("param").id, c.get("actor"));
      return c.json({ deleted: removed.id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/servers/{id}/env/{key}",
      summary: "Set an env value (secret values are encrypted and never returned)",
      request: {
        params: EnvParamSchema,
        body: { content: { "application/json": { schema: EnvValueBodySchema } }, required: true },
      },
      responses: {
        200: json(z.object({ key: z.string(), set: z.boolean(), secret: z.boolean() }), "Set"),
        ...errors,
      },
    }),
    async (c) => {
      const { id, key } = c.req.valid("param");
      const body = c.req.valid("json");
      const server = await store.getServer(id);
      const spec = server.env.find((s) => s.key === key);
      const secret = body.secret ?? spec?.secret ?? /KEY|TOKEN|SECRET|PASSWORD/i.test(key);
      await store.setEnv(server.id, key, body.value, secret);
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.env.set",
        target: server.name,
        details: { key, secret, value: secret ? "[secret]" : body.value },
      });
      return c.json({ key, set: true, secret }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/servers/{id}/env/{key}",
      summary: "Remove an env value",
      request: { params: EnvParamSchema },
      responses: {
        200: json(z.object({ key: z.string(), set: z.boolean() }), "Removed"),
        ...errors,
      },
    }),
    async (c) => {
      const { id, key } = c.req.valid("param");
      const server = await store.getServer(id);
      await store.deleteEnv(server.id, key);
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.env.delete",
        target: server.name,
        details: { key },
      });
      return c.json({ key, set: false }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/servers/{id}/test",
      summary: "Launch the server in a throw-away container and list its capabilities",
      request: { params: IdParamSchema },
      responses: {
        200: json(TestReportSchema, "Test report (ok may be false)"),
        ...errors,
        503: json(ErrorBodySchema, "Container runtime unavailable"),
      },
    }),
    async (c) => {
      const server = await store.getServer(c.req.valid("param").id);
      const env = await requireLaunchEnv(store, server);
      return c.json(await testServer(deps, server, c.get("actor"), env), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/servers/{id}/logs",
      summary: "Last stderr lines of the server's containers",
      request: { params: IdParamSchema, query: LogsQuerySchema },
      responses: { 200: json(z.object({ lines: z.array(z.string()) }), "Log lines"), ...errors },
    }),
    async (c) => {
      const server = await store.getServer(c.req.valid("param").id);
      const query = c.req.valid("query");
      return c.json({ lines: deps.runtime.logs(server.id, query) }, 200);
    },
  );
}
