/**
 * @module Activity page: audit log and container sessions, newest first, paginated with
 * `?before=<id>` (audit) and `?sessions_before=<id>` (sessions).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app/app_env.ts";
import { renderPage } from "../../views/render.ts";
import { ActivityPage } from "../../views/pages/ActivityPage.tsx";
import type { PagesContext } from "./common.ts";

const PAGE_SIZE = 50;
const CURSOR = /^[0-9a-z]{1,20}-[0-9a-f]{1,16}$/;

/** Mount `/activity`. */
export function mountActivityPages(app: OpenAPIHono<AppEnv>, ctx: PagesContext): void {
  const { store } = ctx.services;
  app.get("/activity", async (c) => {
    const before = c.req.query("before");
    const sessionsBefore = c.req.query("sessions_before");
    const auditCursor = before && CURSOR.test(before) ? before : undefined;
    const sessionCursor = sessionsBefore && CURSOR.test(sessionsBefore)
      ? sessionsBefore
      : undefined;
    const [audit, sessions] = await Promise.all([
      store.listAudit({ limit: PAGE_SIZE, before: auditCursor }),
      store.listSessions({ limit: PAGE_SIZE, before: sessionCursor }),
    ]);
    return renderPage(
      c.req.raw,
      ActivityPage({
        audit,
        sessions,
        olderAudit: audit.length === PAGE_SIZE ? audit.at(-1)!.id : null,
        olderSessions: sessions.length === PAGE_SIZE ? sessions.at(-1)!.id : null,
        paged: Boolean(auditCursor || sessionCursor),
      }),
      { title: "Activity", nav: "activity", csrfToken: c.var.csrf?.token },
    );
  });
}
