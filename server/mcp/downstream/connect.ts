/**
 * @module Open one downstream: start the server's container (`open_container.ts`) or reach its
 * remote URL, and connect an SDK `Client` to it within the start deadline. Caching, caps and
 * lifecycles live in `pool.ts`; this module makes exactly one connection.
 */
import { appendLog } from "../../../runtime/log_buffer.ts";
import { registerSecret } from "../../../runtime/foundation/log.ts";
import type { ServerRecord } from "../../schemas/server.ts";
import { createOutboundGuard } from "../../http/outbound_guard.ts";
import { DownstreamError } from "./errors.ts";
import { openContainer } from "./open_container.ts";
import { wrapOpened } from "./opened.ts";
import { connectHttp, expandHeaders, expandUrl, headersFromEnv } from "./remote.ts";
import type { OpenContext, OpenedDownstream } from "./types.ts";

/** Start and connect one downstream server. */
export async function openDownstream(
  server: ServerRecord,
  env: Record<string, string>,
  ctx: OpenContext,
): Promise<OpenedDownstream> {
  // Secret values never reach logs, error messages or the log buffer.
  for (const spec of server.env) {
    const value = env[spec.key];
    if (spec.secret && value) registerSecret(value);
  }
  if (server.runtime === "remote") return await openRemote(server, env, ctx);
  return await openContainer(server, env, ctx);
}

async function openRemote(
  server: ServerRecord,
  env: Record<string, string>,
  ctx: OpenContext,
): Promise<OpenedDownstream> {
  if (!server.url) {
    throw new DownstreamError(`${server.name} has no url`, { kind: "config", serverId: server.id });
  }
  const url = new URL(expandUrl(server.url, env));
  const headers = { ...headersFromEnv(env), ...expandHeaders(server.headers ?? {}, env) };
  // A server given a fixed Authorization header is not the router's to authorize.
  const fixed = Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
  const authProvider = !fixed && ctx.remoteAuth
    ? await ctx.remoteAuth(server, ctx.principal ?? "admin")
    : null;
  const client = await connectHttp(url, {
    displayUrl: server.url,
    protocol: server.transport === "stdio" ? "auto" : server.transport,
    headers,
    authProvider: authProvider ?? undefined,
    serverName: server.name,
    timeoutMs: ctx.settings.startTimeoutMs,
    clientInfo: ctx.clientInfo,
    known: server.capabilities,
    guard: ctx.outboundGuard ?? createOutboundGuard(ctx.settings),
  }).catch((error) => {
    throw withServer(error, server);
  });
  appendLog(server.id, `connected to remote ${new URL(server.url).origin}`, { source: "router" });
  const opened = wrapOpened(client, null, () => Promise.resolve({ exitCode: null }));
  if (authProvider) opened.auth = authProvider;
  return opened;
}

function withServer(error: unknown, server: ServerRecord): unknown {
  if (error instanceof DownstreamError && !error.serverId) {
    return new DownstreamError(error.message, {
      kind: error.kind,
      serverId: server.id,
      cause: error.cause,
    });
  }
  return error;
}
