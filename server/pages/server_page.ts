/**
 * @module The server page as the routes render it: the record, its env status, runtime status,
 * log tail and the UI call history, plus whatever the request adds (typed values, errors, a
 * test result, a Try-it call, the capability tab).
 */
import type { VersionedServer } from "../schemas/records.ts";
import { renderPage } from "../../views/render.ts";
import { ServerPage, type ServerPageProps } from "../../views/pages/ServerPage.tsx";
import { CAPABILITY_TABS, type CapabilityTab } from "../../views/partials/CapabilityTabs.tsx";
import { flashOf, type PageContext, type PagesContext, runtimeStatus } from "./common.ts";
import { planToFormValues } from "./forms.ts";
import { callView } from "./result_view.ts";
import { authorizationView } from "./downstream_auth.ts";

/** Log lines the page shows. */
export const LOG_LINES = 100;

/** The tab a `?tab=` value names (tools when unknown). */
export function tabOf(value: string | undefined): CapabilityTab {
  return CAPABILITY_TABS.find((t) => t === value) ?? "tools";
}

/**
 * Render the page of `server`.
 * @param extra page props to add, and the response `status`
 */
export async function renderServerPage(
  ctx: PagesContext,
  c: PageContext,
  server: VersionedServer,
  extra: Partial<ServerPageProps> & { status?: number } = {},
): Promise<Response> {
  const { services } = ctx;
  const { status, ...props } = extra;
  const [env, runtime, authorization] = await Promise.all([
    services.store.envStatus(server),
    runtimeStatus(services),
    server.runtime === "remote" ? authorizationView(services.store, server) : undefined,
  ]);
  const values = props.values ?? planToFormValues(server);
  return renderPage(
    c.req.raw,
    ServerPage({
      server,
      env,
      runtime,
      values,
      logs: services.runtime.logs(server.id, { lines: LOG_LINES }),
      authorization,
      tab: tabOf(c.req.query("tab")),
      history: ctx.caller?.jobs.history(server.id).map((call) => callView(call)) ?? [],
      ...props,
    }),
    {
      title: server.display_name || server.name,
      nav: "servers",
      flash: flashOf(c),
      status,
      csrfToken: c.var.csrf?.token,
    },
  );
}
