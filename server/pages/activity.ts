/**
 * @module Activity page: audit log and container sessions, newest first. The audit log is
 * filtered by plain GET parameters (`actor`, `kind`, `outcome`, `server`; unknown values are
 * ignored) and paged 50 at a time with `?before=<id>`; sessions page with `?sessions_before=<id>`.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app/app_env.ts";
import { renderPage } from "../../views/render.ts";
import { ActivityPage } from "../../views/pages/ActivityPage.tsx";
import type { PagesContext } from "./common.ts";
import { actorIdentity, type AuditFilter, AuditFilterSchema } from "../schemas/audit_filter.ts";
import type { Store } from "../store/store.ts";

/** Audit entries a page shows. */
const PAGE_SIZE = 50;
/** Container sessions a page shows (below the audit log, so fewer). */
const SESSIONS_PAGE_SIZE = 20;
const CURSOR = /^[0-9a-z]{1,20}-[0-9a-f]{1,16}$/;

/** The cursor when it has the shape of an id, else undefined. */
function cursor(value: string | undefined): string | undefined {
  return value && CURSOR.test(value) ? value : undefined;
}

/** The filter of a request: one value per parameter, the local operator under one name. */
function filterOf(query: Record<string, string>): AuditFilter {
  const filter = AuditFilterSchema.parse({
    actor: query.actor || undefined,
    kind: query.kind || undefined,
    outcome: query.outcome || undefined,
    server: query.server || undefined,
  });
  return filter.actor ? { ...filter, actor: actorIdentity(filter.actor) } : filter;
}

/** Who the "Who" filter offers: the local operator, the CLI, stdio, API keys, OAuth clients. */
async function actorOptions(store: Store, seen: string[]): Promise<string[]> {
  const [keys, grants] = await Promise.all([
    store.listApiKeys().catch(() => []),
    store.oauth.listGrants().catch(() => []),
  ]);
  const names = new Set(["local", "cli", "stdio"]);
  for (const a of seen) names.add(actorIdentity(a));
  for (const k of keys) names.add(`key:${k.name}`);
  for (const g of grants) names.add(`oauth:${g.client_name}`);
  return [...names];
}

/** Mount `/activity`. */
export function mountActivityPages(app: OpenAPIHono<AppEnv>, ctx: PagesContext): void {
  const { store } = ctx.services;
  app.get("/activity", async (c) => {
    const query = c.req.query();
    const filter = filterOf(query);
    const auditCursor = cursor(query.before);
    const sessionCursor = cursor(query.sessions_before);
    const [page, sessions, servers] = await Promise.all([
      store.pageAudit({ limit: PAGE_SIZE, before: auditCursor, filter }),
      store.listSessions({ limit: SESSIONS_PAGE_SIZE, before: sessionCursor }),
      store.listServers(),
    ]);
    const actors = await actorOptions(store, page.entries.map((e) => e.actor));
    return renderPage(
      c.req.raw,
      ActivityPage({
        audit: page.entries,
        sessions,
        olderAudit: page.next,
        olderSessions: sessions.length === SESSIONS_PAGE_SIZE ? sessions.at(-1)!.id : null,
        paged: Boolean(auditCursor || sessionCursor),
        filter,
        actors,
        servers: servers.map((s) => s.name),
        ...(page.partial ? { partialScan: page.scanned } : {}),
      }),
      { title: "Activity", nav: "activity", csrfToken: c.var.csrf?.token },
    );
  });
}
