/**
 * @module CLI verbs `serve` (HTTP: admin UI, REST API, MCP endpoints) and `stdio` (MCP over stdio).
 */
import type { Settings } from "../settings.ts";
import { loadSettings } from "../settings.ts";
import { openServices, type RouterServices } from "../composition/wiring.ts";
import { createRouterApp } from "../app/router_app.ts";
import { assertOAuthTestMode } from "../oauth/mount.ts";
import { serveStdio } from "../mcp/stdio.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { parseVerb, UsageError } from "./args.ts";
import { out } from "./output.ts";

const logger = createLogger("serve");

/** Prune the audit log now and every six hours (retention setting). */
function startMaintenance(services: RouterServices): ReturnType<typeof setInterval> {
  const prune = () =>
    services.store.pruneAudit(services.settings.auditRetentionDays).then((n) => {
      if (n > 0) logger.info("pruned audit entries", { count: n });
    }).catch((error) => logger.warn("audit pruning failed", { error }));
  void prune();
  const timer = setInterval(prune, 6 * 3600_000);
  Deno.unrefTimer(timer);
  return timer;
}

/** Help for `serve`. */
export const SERVE_HELP = `Usage: main.ts serve [--port N] [--host H]
       main.ts stdio

serve: admin UI at /, REST API at /api, MCP at /mcp (streamable HTTP) and /sse (legacy SSE).
stdio: speak MCP on stdin/stdout (Claude Desktop spawns this).`;

/**
 * Run the router until SIGINT/SIGTERM.
 * @param args CLI args after the verb
 * @param settings parsed settings
 * @param mode `http` for serve, `stdio` for stdio
 */
export async function serveVerb(
  args: string[],
  settings: Settings,
  mode: "http" | "stdio",
): Promise<number> {
  const { values } = parseVerb(args, { port: { type: "string" }, host: { type: "string" } });
  if (values.help) {
    out(SERVE_HELP);
    return 0;
  }
  if (values.port !== undefined && !/^\d+$/.test(values.port)) {
    throw new UsageError("--port takes a number");
  }
  const effective = values.port || values.host
    ? loadSettings(Deno.env.toObject(), {
      ...settings,
      ...(values.port ? { port: values.port } : {}),
      ...(values.host ? { host: values.host } : {}),
    })
    : settings;
  if (mode === "http") assertOAuthTestMode(effective); // before anything starts
  const services = await openServices(effective, { startPodman: true, sweepOrphans: true });
  const maintenance = startMaintenance(services);
  const stop = Promise.withResolvers<void>();
  const onSignal = () => stop.resolve();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  if (mode === "stdio") {
    await Promise.race([serveStdio(services.hub, { presence: services.store }), stop.promise]);
    await services.close();
    return 0;
  }
  const app = createRouterApp(services);
  const server = Deno.serve({
    hostname: effective.host,
    port: effective.port,
    onListen: ({ hostname, port }) => {
      logger.info("listening", { url: `http://${hostname}:${port}` });
      out(`MCP Router on http://${hostname}:${port}  (MCP: /mcp, API: /api, UI: /)`);
    },
  }, app.fetch);
  await Promise.race([stop.promise, server.finished]);
  logger.info("shutting down");
  clearInterval(maintenance);
  await app.closeSessions();
  await server.shutdown();
  await services.close();
  return 0;
}
