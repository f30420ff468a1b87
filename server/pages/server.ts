/**
 * @module Server detail pages: view, edit the plan (optimistic version → 409 message), env
 * values, Test, log tail, tool catalog with Try-it through the router, delete with
 * confirmation.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app/app_env.ts";
import { AppError } from "../errors.ts";
import { PlanSchema, type ServerRecord } from "../schemas/server.ts";
import type { VersionedServer } from "../schemas/records.ts";
import { missingEnvMessage, resolveLaunchEnv } from "../services/launch_env.ts";
import { checkPlanForSave, deleteServerAudited, testServer } from "../services/server_ops.ts";
import { renderFragment, renderPage } from "../../views/render.ts";
import type { ServerPageProps } from "../../views/pages/ServerPage.tsx";
import { DeletePage } from "../../views/pages/DeletePage.tsx";
import { TestResult } from "../../views/partials/TestResult.tsx";
import { LogLines } from "../../views/partials/LogTail.tsx";
import { ToolCatalog } from "../../views/partials/ToolCatalog.tsx";
import { emptyEnvRow, type TestView } from "../../views/types.ts";
import { Fragment, h } from "preact";
import { HealthDot } from "../../views/components/HealthDot.tsx";
import { missingFromStatus } from "../services/server_health.ts";
import {
  auditView,
  errorPage,
  field,
  type PageContext,
  type PagesContext,
  readForm,
  seeOther,
} from "./common.ts";
import { LOG_LINES, renderServerPage } from "./server_page.ts";
import { mountTryPages } from "./try_routes.ts";
import { formToPlanInput, issuesToErrors, parsePlanForm, refusalToErrors } from "./forms.ts";

/** Mount `/servers/:id…`. */
export function mountServerPages(app: OpenAPIHono<AppEnv>, ctx: PagesContext): void {
  const { services } = ctx;
  const { store } = services;

  const page = (
    c: PageContext,
    server: VersionedServer,
    extra: Partial<ServerPageProps> & { status?: number } = {},
  ) => renderServerPage(ctx, c, server, extra);

  const withServer = (
    handler: (c: PageContext, server: VersionedServer) => Promise<Response> | Response,
  ) =>
  async (c: PageContext) => {
    let server: VersionedServer;
    try {
      server = await store.getServer(c.req.param("id")!);
    } catch (error) {
      return errorPage(c, error);
    }
    return await handler(c, server);
  };

  app.get("/servers/:id", withServer((c, server) => page(c, server)));
  mountTryPages(app, ctx, withServer);

  app.post(
    "/servers/:id/edit",
    withServer(async (c, server) => {
      const parsed = parsePlanForm(await readForm(c));
      const { values } = parsed;
      if (
        parsed.action === "add_env" || parsed.action === "remove_env" || parsed.action === "rows"
      ) {
        if (parsed.action === "add_env") values.env.push(emptyEnvRow());
        return await page(c, server, { values, version: parsed.version });
      }
      const input = formToPlanInput(values);
      const merged = { ...server, ...input };
      const check = PlanSchema.safeParse({ ...merged, source: undefined, origin: server.source });
      if (!check.success) {
        return await page(c, server, {
          values,
          version: parsed.version,
          errors: issuesToErrors(check.error.issues, values),
          status: 400,
        });
      }
      const refused = await checkPlanForSave(services, check.data).then(() => null, (e) => e);
      if (refused) {
        if (!(refused instanceof AppError)) throw refused;
        return await page(c, server, {
          values,
          version: parsed.version,
          errors: refusalToErrors(refused, values) ?? { url: refused.message },
          status: 400,
        });
      }
      let before: ServerRecord | null = null;
      let updated: VersionedServer;
      try {
        updated = await store.updateServer(server.id, (current) => {
          before = current;
          return { ...current, ...input, capabilities: current.capabilities } as ServerRecord;
        }, { expectedVersion: parsed.version });
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 409) throw error;
        const fresh = await store.getServer(server.id).catch(() => server);
        const nameTaken = /already exists/.test(error.message);
        return await page(c, fresh, {
          values,
          // Saving again overwrites the newer version on purpose: the user has seen the notice.
          version: fresh.version,
          errors: nameTaken ? { name: error.message } : {
            _form:
              "Someone else changed this server since you opened the page. Your edits are kept below: reload the page to see the current plan, or save again to overwrite it.",
          },
          status: 409,
        });
      }
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.update",
        target: updated.name,
        details: { before: before ? auditView(before) : null, after: auditView(updated) },
      });
      services.hub?.broadcastToolsChanged();
      return seeOther(`/servers/${encodeURIComponent(updated.id)}?msg=saved#plan`);
    }),
  );

  app.post(
    "/servers/:id/env",
    withServer(async (c, server) => {
      const form = await readForm(c);
      const status = await store.envStatus(server);
      for (const s of status) {
        const spec = server.env.find((e) => e.key === s.key);
        const secret = spec?.secret ?? s.secret;
        const value = field(form, `value.${s.key}`);
        const audit = (action: string, details: Record<string, unknown>) =>
          store.appendAudit({ actor: c.get("actor"), action, target: server.name, details });
        if (field(form, `clear.${s.key}`) === "on" || (!secret && value === "" && s.set)) {
          if (!s.set) continue;
          await store.deleteEnv(server.id, s.key);
          await audit("server.env.delete", { key: s.key });
          continue;
        }
        if (value === "" || (!secret && s.set && value === s.value)) continue;
        await store.setEnv(server.id, s.key, value, secret);
        await audit("server.env.set", { key: s.key, secret, value: secret ? "[secret]" : value });
      }
      return seeOther(`/servers/${encodeURIComponent(server.id)}?msg=env#env`);
    }),
  );

  app.post(
    "/servers/:id/test",
    withServer(async (c, server) => {
      const test = await runTest(c, server);
      if (c.req.header("hx-request") === "true") {
        // The header's health dot follows the new result (out-of-band swap).
        const fresh = await store.getServer(server.id).catch(() => server);
        const missing = missingFromStatus(fresh, await store.envStatus(fresh));
        return renderFragment(
          h(
            Fragment,
            null,
            TestResult({ test }),
            h(
              "span",
              { id: "server-health", "hx-swap-oob": "true" },
              h(HealthDot, {
                health: fresh.health,
                missing,
                envHref: `/servers/${encodeURIComponent(fresh.id)}#env`,
              }),
            ),
          ),
          { headers: { "hx-trigger": "tools-changed" }, csrfToken: c.var.csrf?.token },
        );
      }
      return await page(c, await store.getServer(server.id).catch(() => server), { test });
    }),
  );

  const runTest = async (c: PageContext, server: VersionedServer): Promise<TestView> => {
    const { env, missing } = await resolveLaunchEnv(store, server);
    if (missing.length) {
      return {
        ok: false,
        tools: [],
        resources: 0,
        prompts: 0,
        error: `${missingEnvMessage(missing)} (set them under “Environment values”)`,
        logs: [],
        durationMs: null,
      };
    }
    try {
      const report = await testServer(services, server, c.get("actor"), env);
      return {
        ok: report.ok,
        tools: report.tools,
        resources: report.resources,
        prompts: report.prompts,
        error: report.error,
        logs: report.logs,
        durationMs: report.duration_ms,
        failure: report.failure,
        needsAuthorization: report.needs_authorization,
      };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return {
        ok: false,
        tools: [],
        resources: 0,
        prompts: 0,
        error: error.message,
        logs: [],
        durationMs: null,
        degraded: error.status === 503,
      };
    }
  };

  app.get(
    "/servers/:id/logs",
    withServer((_c, server) =>
      renderFragment(LogLines({ lines: services.runtime.logs(server.id, { lines: LOG_LINES }) }))
    ),
  );

  app.get(
    "/servers/:id/tools",
    withServer((c, server) =>
      renderFragment(ToolCatalog({ server }), { csrfToken: c.var.csrf?.token })
    ),
  );

  app.get(
    "/servers/:id/delete",
    withServer((c, server) =>
      renderPage(c.req.raw, DeletePage({ id: server.id, name: server.name }), {
        title: `Delete ${server.name}`,
        nav: "servers",
        csrfToken: c.var.csrf?.token,
      })
    ),
  );

  app.post(
    "/servers/:id/delete",
    withServer(async (c, server) => {
      await deleteServerAudited(services, server.id, c.get("actor"));
      if (c.req.header("hx-request") === "true") {
        return new Response(null, { status: 200, headers: { "hx-redirect": "/?msg=deleted" } });
      }
      return seeOther("/?msg=deleted");
    }),
  );
}
