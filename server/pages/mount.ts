/**
 * @module Admin UI routes: server-rendered Preact pages with htmx enhancements. Mounts the
 * static assets, the request guards, and the page modules (servers, add, server detail,
 * connect, activity).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app/app_env.ts";
import { assets } from "../../views/assets.ts";
import { renderFragment, renderPage } from "../../views/render.ts";
import { ServersPage } from "../../views/pages/ServersPage.tsx";
import { ActiveToggle } from "../../views/partials/ActiveToggle.tsx";
import { EnvRow } from "../../views/partials/EnvRow.tsx";
import { emptyEnvRow } from "../../views/types.ts";
import {
  auditView,
  errorPage,
  field,
  flashOf,
  type PagesContext,
  type PagesServices,
  readForm,
  runtimeStatus,
  safeRedirect,
  seeOther,
} from "./common.ts";
import { AnalysisJobs } from "./jobs.ts";
import { AdminToolCaller } from "./try.ts";
import { missingEnvByServer } from "../services/server_health.ts";
import { mountNewServerPages } from "./new.ts";
import { mountServerPages } from "./server.ts";
import { mountConnectPages } from "./connect.ts";
import { mountActivityPages } from "./activity.ts";
import { mountDownstreamAuthPages } from "./downstream_auth.ts";
import { DraftSecrets } from "./draft_secrets.ts";

export type { PagesServices } from "./common.ts";

/** Options of {@linkcode mountPages}. */
export interface MountPagesOptions {
  /** Environment used to locate Claude Desktop's config (default: the process environment). */
  configEnv?: () => Record<string, string | undefined>;
}

/** What {@linkcode mountPages} returns. */
export interface MountedPages {
  /** End the admin MCP session used by Try-it. */
  close(): Promise<void>;
}

/**
 * Mount the admin UI on `app`.
 * @param app the router's HTTP app
 * @param services store, runtime, analyzer, settings (and the hub for Try-it)
 * @param options where to find Claude Desktop's config
 */
export function mountPages(
  app: OpenAPIHono<AppEnv>,
  services: PagesServices,
  options: MountPagesOptions = {},
): MountedPages {
  const { store, settings } = services;
  const ctx: PagesContext = {
    services,
    jobs: new AnalysisJobs(),
    drafts: new DraftSecrets(),
    caller: services.hub
      ? new AdminToolCaller(services.hub, {
        timeoutMs: settings.callTimeoutMs + settings.startTimeoutMs + 300_000,
      })
      : null,
    configEnv: options.configEnv ?? (() => Deno.env.toObject()),
  };

  app.get("/static/:file", (c) => {
    const file = c.req.param("file");
    const asset = Object.values(assets()).find((a) => a.url === `/static/${file}`);
    if (!asset) return c.text("Not found", 404);
    return new Response(asset.body as BodyInit, {
      headers: {
        "content-type": asset.contentType,
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
      },
    });
  });

  app.get("/", async (c) => {
    const [servers, runtime] = await Promise.all([store.listServers(), runtimeStatus(services)]);
    const needsSetup = await missingEnvByServer(store, servers);
    return renderPage(c.req.raw, ServersPage({ servers, runtime, needsSetup }), {
      title: "Servers",
      nav: "servers",
      flash: flashOf(c),
      csrfToken: c.var.csrf?.token,
    });
  });

  app.get("/ui/empty", () => renderFragment(null));
  app.get("/ui/env-row", (c) =>
    renderFragment(
      EnvRow({
        rowId: `n${crypto.randomUUID().slice(0, 8)}`,
        values: emptyEnvRow(),
        withValue: c.req.query("values") === "1",
      }),
      { csrfToken: c.var.csrf?.token },
    ));

  app.post("/servers/:id/active", async (c) => {
    const form = await readForm(c);
    const active = field(form, "active") !== "false";
    try {
      const updated = await store.updateServer(c.req.param("id"), (cur) => ({ ...cur, active }));
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.update",
        target: updated.name,
        details: { active, after: auditView(updated) },
      });
      services.hub?.broadcastToolsChanged();
      if (c.req.header("hx-request") === "true") {
        return renderFragment(
          ActiveToggle({
            id: updated.id,
            name: updated.name,
            active: updated.active,
            redirect: safeRedirect(field(form, "redirect")),
          }),
          { csrfToken: c.var.csrf?.token },
        );
      }
      const back = safeRedirect(field(form, "redirect"));
      return seeOther(
        `${back}${back.includes("?") ? "&" : "?"}msg=${active ? "activated" : "deactivated"}`,
      );
    } catch (error) {
      return errorPage(c, error);
    }
  });

  mountNewServerPages(app, ctx);
  mountServerPages(app, ctx);
  mountConnectPages(app, ctx);
  mountActivityPages(app, ctx);
  mountDownstreamAuthPages(app, ctx);

  return {
    close: async () => {
      await ctx.caller?.close();
    },
  };
}
