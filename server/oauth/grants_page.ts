/**
 * @module Admin page `/oauth/grants`: the granted OAuth clients, and `POST
 * /oauth/grants/:id/revoke` (a normal admin route: login or admin key, CSRF-checked form).
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app/app_env.ts";
import type { Store } from "../store/store.ts";
import { renderPage } from "../../views/render.ts";
import { GrantsPage } from "../../views/pages/GrantsPage.tsx";
import { listGrants, revokeGrantById } from "./grants.ts";

/** Mount the grants page and its revoke action. */
export function mountGrantsPage(app: Hono<AppEnv>, store: Store): void {
  app.get("/oauth/grants", async (c) => {
    const grants = (await listGrants(store)).map((g) => ({
      id: g.id,
      clientName: g.client_name,
      clientId: g.client_id,
      scopes: g.scopes,
      createdAt: g.created_at.slice(0, 16).replace("T", " "),
      approvedBy: g.approved_by,
      state: g.revoked_at ? (g.revoked_reason ?? "revoked") : "active",
    }));
    return renderPage(c.req.raw, GrantsPage({ grants }), {
      nav: "grants",
      title: "OAuth clients",
      csrfToken: c.var.csrf?.token,
    });
  });
  app.post("/oauth/grants/:id/revoke", async (c) => {
    await revokeGrantById(store, c.req.param("id"), c.get("actor"));
    return c.redirect("/oauth/grants", 303);
  });
}
