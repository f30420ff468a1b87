/**
 * @module Connect pages: Claude Desktop entries (copy or install), remote URL, exposure mode,
 * and API keys (list, create — the plain key shown once —, revoke).
 */
import { createUiSession, sessionCookie } from "../auth/ui_sessions.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app/app_env.ts";
import { AppError, errorMessage } from "../errors.ts";
import {
  claudeDesktopConfigPath,
  currentLauncher,
  ENTRY_NAME,
  installEntry,
  InvalidConfigError,
  remoteEntry,
  stdioEntry,
} from "../config/claude_desktop.ts";
import { createApiKey, revokeApiKey } from "../auth/api_keys.ts";
import type { KeyScope } from "../schemas/records.ts";
import { mcpUrl } from "../routes/config.ts";
import { renderPage } from "../../views/render.ts";
import { ConnectPage, type ConnectPageProps } from "../../views/pages/ConnectPage.tsx";
import {
  errorPage,
  field,
  flashOf,
  type PageContext,
  type PagesContext,
  readForm,
  seeOther,
} from "./common.ts";

/** Mount `/connect…`. */
export function mountConnectPages(app: OpenAPIHono<AppEnv>, ctx: PagesContext): void {
  const { services } = ctx;
  const { store, settings } = services;
  const entry = () =>
    stdioEntry(services.entry ?? currentLauncher(), settings.dataDir, ctx.configEnv());
  const configPath = () => claudeDesktopConfigPath(Deno.build.os, ctx.configEnv());

  const page = async (
    c: PageContext,
    extra: Partial<ConnectPageProps> = {},
    status = 200,
  ) => {
    const url = mcpUrl(c.req.url);
    return renderPage(
      c.req.raw,
      ConnectPage({
        stdioJson: JSON.stringify({ mcpServers: { [ENTRY_NAME]: entry() } }, null, 2),
        remoteJson: JSON.stringify({ mcpServers: { [ENTRY_NAME]: remoteEntry(url) } }, null, 2),
        configPath: configPath(),
        mcpUrl: url,
        expose: settings.expose,
        keys: await store.listApiKeys(),
        ...extra,
      }),
      { title: "Connect", nav: "connect", flash: flashOf(c), status, csrfToken: c.var.csrf?.token },
    );
  };

  app.get("/connect", (c) => page(c));

  app.post("/connect/install", async (c) => {
    const path = configPath();
    try {
      const outcome = await installEntry(path, entry());
      await store.appendAudit({
        actor: c.get("actor"),
        action: "config.install",
        target: ENTRY_NAME,
        details: { path, outcome },
      });
      return await page(c, {
        install: {
          ok: true,
          message: `${
            outcome === "created" ? "Created" : "Updated"
          } ${path}. Restart Claude Desktop.`,
        },
      });
    } catch (error) {
      const message = error instanceof InvalidConfigError
        ? error.message
        : `Could not write ${path}: ${errorMessage(error)}`;
      return await page(c, { install: { ok: false, message } }, 500);
    }
  });

  app.post("/connect/keys", async (c) => {
    const form = await readForm(c);
    const name = field(form, "name");
    const scope = field(form, "scope") || "mcp";
    try {
      const { record, key } = await createApiKey(store, name, scope as KeyScope);
      await store.appendAudit({
        actor: c.get("actor"),
        action: "api_key.create",
        target: record.name,
        details: { id: record.id, prefix: record.prefix, scope: record.scope },
      });
      let cookie: string | null = null;
      if (c.get("actor") === "local") {
        // The first key turns authentication on: keep the person who created it signed in, with
        // the page's forms bound to that new session.
        const secure = new URL(c.req.url).protocol === "https:" ||
          c.req.header("x-forwarded-proto") === "https";
        const session = await createUiSession(store, "admin");
        await c.var.csrf?.bindSession(session);
        cookie = sessionCookie(session, secure);
      }
      const response = await page(c, { createdKey: { name: record.name, key } });
      if (cookie) response.headers.append("set-cookie", cookie);
      return response;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return await page(
        c,
        { keyError: error.message, keyName: name, keyScope: scope },
        error.status,
      );
    }
  });

  app.post("/connect/keys/:id/revoke", async (c) => {
    try {
      const revoked = await revokeApiKey(store, c.req.param("id"));
      await store.appendAudit({
        actor: c.get("actor"),
        action: "api_key.revoke",
        target: revoked.name,
        details: { id: revoked.id, prefix: revoked.prefix, scope: revoked.scope },
      });
      return seeOther("/connect?msg=revoked#keys");
    } catch (error) {
      return errorPage(c, error);
    }
  });
}
