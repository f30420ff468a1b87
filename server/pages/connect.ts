/**
 * @module Connect pages: Claude Desktop entries (copy or install) with the stdio client's
 * presence, remote setup, exposure mode, and API keys (list, create, revoke). Creating a key is
 * post/redirect/get: the POST keeps the plain key in a one-time reveal and redirects (303) to
 * `GET /connect?created=TOKEN`, which shows it — with the remote snippets filled in — once; a
 * reload shows neither the key nor makes a second one.
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
  remoteCommand,
  remoteEntry,
  stdioEntry,
} from "../config/claude_desktop.ts";
import { PLACEHOLDER_MCP_URL, publicMcpUrl } from "../config/public_origin.ts";
import { createApiKey, revokeApiKey } from "../auth/api_keys.ts";
import type { KeyScope } from "../schemas/records.ts";
import { mcpUrl } from "../routes/config.ts";
import { readStdioStatus } from "../mcp/stdio_presence.ts";
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
import { OneTimeReveals, type Reveal } from "./key_reveals.ts";

/** A shell-ish rendering of a command line (for reading, not for `sh -c`). */
function commandLine(command: string, args: string[]): string {
  const quote = (a: string) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`;
  return [command, ...args].map(quote).join(" ");
}

/** Mount `/connect…`. */
export function mountConnectPages(app: OpenAPIHono<AppEnv>, ctx: PagesContext): void {
  const { services } = ctx;
  const { store, settings } = services;
  const reveals = new OneTimeReveals();
  const entry = () =>
    stdioEntry(services.entry ?? currentLauncher(), settings.dataDir, ctx.configEnv());
  const configPath = () => claudeDesktopConfigPath(Deno.build.os, ctx.configEnv());

  const page = async (
    c: PageContext,
    extra: Partial<ConnectPageProps> & { reveal?: Reveal | null } = {},
    status = 200,
  ) => {
    const { reveal, ...rest } = extra;
    const url = mcpUrl(c.req.url);
    const remote = publicMcpUrl(c.req.raw, settings);
    const remoteUrl = remote ?? PLACEHOLDER_MCP_URL;
    const stdio = entry();
    return renderPage(
      c.req.raw,
      ConnectPage({
        stdioJson: JSON.stringify({ mcpServers: { [ENTRY_NAME]: stdio } }, null, 2),
        stdioCommand: commandLine(stdio.command, stdio.args),
        remoteJson: JSON.stringify(
          { mcpServers: { [ENTRY_NAME]: remoteEntry(remoteUrl, reveal?.key) } },
          null,
          2,
        ),
        remoteCommand: remoteCommand(remoteUrl, reveal?.key),
        remoteUrl,
        remoteKnown: remote !== null,
        allowedHosts: settings.allowedHosts,
        configPath: configPath(),
        mcpUrl: url,
        expose: settings.expose,
        keys: await store.listApiKeys(),
        stdioStatus: await readStdioStatus(store).catch(() => null),
        ...(reveal ? { createdKey: reveal } : {}),
        ...rest,
      }),
      { title: "Connect", nav: "connect", flash: flashOf(c), status, csrfToken: c.var.csrf?.token },
    );
  };

  app.get("/connect", (c) => {
    const token = c.req.query("created");
    if (token === undefined) return page(c);
    const reveal = /^[0-9a-f]{32}$/.test(token) ? reveals.take(token) : null;
    return page(c, reveal ? { reveal } : { revealSpent: true });
  });

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
      const response = seeOther(`/connect?created=${reveals.put({ name: record.name, key })}`);
      if (c.get("actor") === "local") {
        // The first key turns authentication on: keep the person who created it signed in.
        const secure = new URL(c.req.url).protocol === "https:" ||
          c.req.header("x-forwarded-proto") === "https";
        const session = await createUiSession(store, "admin");
        response.headers.append("set-cookie", sessionCookie(session, secure));
      }
      return response;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const keyError = error.status === 409
        ? `An active key named “${name.trim()}” exists already: choose another name, or revoke that key first.`
        : error.message;
      return await page(c, { keyError, keyName: name, keyScope: scope }, error.status);
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
