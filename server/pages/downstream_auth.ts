/**
 * @module Authorizing the router at OAuth-protected remote servers from the admin UI, and the
 * two public routes the flow needs: the callback (`/oauth/downstream/callback`, where the
 * authorization server sends the browser back; the `state` it carries is the only credential,
 * valid once for ten minutes) and the router's Client ID Metadata Document.
 *
 * The Authorize button starts an authorization for the admin (or the shared token, when the
 * server is set to share one) and sends the browser on to the authorization server. After a
 * successful callback the server is tested again, so its health leaves `needs authorization`.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app/app_env.ts";
import { AppError } from "../errors.ts";
import type { ServerRecord } from "../schemas/server.ts";
import { SHARED_OWNER, TokenModeSchema } from "../schemas/downstream_auth.ts";
import type { Store } from "../store/store.ts";
import { resolveLaunchEnv } from "../services/launch_env.ts";
import {
  ADMIN_PRINCIPAL,
  CALLBACK_PATH,
  CLIENT_METADATA_PATH,
  downstreamBaseUrl,
  finishAuthorization,
  ownerOf,
  remoteUrlOf,
  routerDownstreamAuth,
  startAuthorization,
} from "../downstream_auth/flow.ts";
import { routerClientMetadata } from "../downstream_auth/provider.ts";
import { renderPage } from "../../views/render.ts";
import { MessagePage } from "../../views/pages/MessagePage.tsx";
import type { DownstreamAuthView } from "../../views/partials/DownstreamAuth.tsx";
import { errorPage, field, type PagesContext, readForm, seeOther } from "./common.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { routerOrigin } from "../oauth/issuer.ts";

const logger = createLogger("downstream_auth");

/** What the server page's Authorization card shows. */
export async function authorizationView(
  store: Store,
  server: ServerRecord,
): Promise<DownstreamAuthView> {
  const config = await store.downstreamAuth.getConfig(server.id);
  const owners = await store.downstreamAuth.listTokenOwners(server.id);
  const mine = owners.find((o) => o.owner === ownerOf(config, ADMIN_PRINCIPAL));
  return {
    mode: config.mode,
    clientId: config.client_id,
    hasSecret: config.client_secret !== null,
    authorizedAt: mine?.saved_at ?? null,
    others: owners.filter((o) => o.owner !== ADMIN_PRINCIPAL && o.owner !== SHARED_OWNER).length,
    command: `main.ts auth ${server.name}`,
  };
}

/** Mount the Authorize actions and the public callback and metadata routes. */
export function mountDownstreamAuthPages(app: OpenAPIHono<AppEnv>, ctx: PagesContext): void {
  const { services } = ctx;
  const { store, settings } = services;
  const deps = routerDownstreamAuth(settings, store);
  const back = (server: ServerRecord, msg: string) =>
    seeOther(`/servers/${encodeURIComponent(server.id)}?msg=${msg}#authorization`);

  app.post("/servers/:id/authorize", async (c) => {
    try {
      const server = await store.getServer(c.req.param("id"));
      const url = await remoteUrlOf(store, server);
      // The browser reaches the router here (the Host guard vouched for it): come back here.
      const here = { ...deps, baseUrl: routerOrigin(c.req.raw) };
      const started = await startAuthorization(here, server, url, ADMIN_PRINCIPAL);
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.authorize",
        target: server.name,
        details: { result: started.status },
      });
      if (started.status === "redirect") {
        // Not a 303: the page's CSP (`form-action 'self'`) forbids a form's redirect to another
        // site, so a short page goes on (Refresh header, and a link for when it is ignored).
        const host = new URL(started.url).host;
        return renderPage(
          c.req.raw,
          MessagePage({
            title: "Authorize",
            message: `Continuing to ${host}, ${server.name}'s authorization server…`,
            link: { href: started.url, label: `Continue to ${host}` },
          }),
          { title: "Authorize", headers: { refresh: `0; url=${started.url}` } },
        );
      }
      return back(server, started.status === "open" ? "auth_open" : "authorized");
    } catch (error) {
      return errorPage(c, error);
    }
  });

  app.post("/servers/:id/authorization", async (c) => {
    try {
      const server = await store.getServer(c.req.param("id"));
      const form = await readForm(c);
      const mode = TokenModeSchema.catch("per_principal").parse(field(form, "mode"));
      const clientId = field(form, "client_id").trim() || null;
      const secret = field(form, "client_secret");
      await store.downstreamAuth.putConfig(
        server.id,
        { mode, client_id: clientId },
        clientId === null ? null : secret === "" ? undefined : secret,
      );
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.update",
        target: server.name,
        details: { authorization: { mode, client_id: clientId !== null } },
      });
      return back(server, "auth_saved");
    } catch (error) {
      return errorPage(c, error);
    }
  });

  app.post("/servers/:id/authorization/forget", async (c) => {
    try {
      const server = await store.getServer(c.req.param("id"));
      const config = await store.downstreamAuth.getConfig(server.id);
      await store.downstreamAuth.deleteTokens(server.id, ownerOf(config, ADMIN_PRINCIPAL));
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.deauthorize",
        target: server.name,
      });
      return back(server, "auth_forgotten");
    } catch (error) {
      return errorPage(c, error);
    }
  });

  app.get(CALLBACK_PATH, async (c) => {
    const message = (title: string, text: string, status = 200) =>
      renderPage(c.req.raw, MessagePage({ title, message: text }), { title, status });
    let serverId = "";
    try {
      const done = await finishAuthorization(deps, new URL(c.req.url).searchParams, async (id) => {
        const server = await store.findServer(id);
        if (!server) return null;
        serverId = server.id;
        return { server, url: await remoteUrlOf(store, server) };
      });
      await store.appendAudit({
        actor: done.owner === ADMIN_PRINCIPAL ? "admin" : done.owner,
        action: "server.authorized",
        target: done.server,
      });
      // The admin's (or the shared) token is what a test uses: its health follows.
      if (done.owner === ADMIN_PRINCIPAL || done.owner === SHARED_OWNER) {
        void retest(store, services.runtime, serverId);
      }
      const whose = done.owner === SHARED_OWNER
        ? "everyone (the shared token)"
        : done.owner === ADMIN_PRINCIPAL
        ? "the admin"
        : "your key";
      return message(
        "Authorized",
        `The router now holds a token for ${done.server}, for ${whose}. You can close this tab.`,
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return message("Authorization failed", error.message, error.status);
    }
  });

  app.get(CLIENT_METADATA_PATH, (c) => {
    const base = downstreamBaseUrl(deps);
    return c.json(
      routerClientMetadata(
        `${base}${CALLBACK_PATH}`,
        "MCP Router",
        `${base}${CLIENT_METADATA_PATH}`,
      ),
    );
  });
}

/** Test a server again once authorized (its health and tools follow); never throws. */
async function retest(
  store: Store,
  runtime: PagesContext["services"]["runtime"],
  serverId: string,
): Promise<void> {
  try {
    const server = await store.getServer(serverId);
    const { env } = await resolveLaunchEnv(store, server);
    await runtime.test(server, env);
  } catch (error) {
    logger.debug("re-test after an authorization failed", { error });
  }
}
