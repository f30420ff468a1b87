/**
 * @module CLI verb `auth NAME`: authorize the router at an OAuth-protected remote server without
 * the admin UI. It prints the authorization URL (stdout) to open in any browser, then waits for
 * the callback: a running `serve` on the router's address takes it (this command sees the token
 * appear in the store), else this command listens on that loopback address itself for the one
 * callback. When the browser runs elsewhere and cannot reach the router, paste the address it
 * ended on (…/oauth/downstream/callback?code=…) into this command's stdin.
 */
import type { RouterServices } from "../composition/wiring.ts";
import {
  ADMIN_PRINCIPAL,
  CALLBACK_PATH,
  type DownstreamAuthDeps,
  downstreamBaseUrl,
  finishAuthorization,
  ownerOf,
  remoteUrlOf,
  routerDownstreamAuth,
  startAuthorization,
} from "../downstream_auth/flow.ts";
import { FLOW_TTL_MS } from "../store/kv_downstream_auth.ts";
import { parseVerb, UsageError } from "./args.ts";
import { err, out } from "./output.ts";
import { AppError, errorMessage } from "../errors.ts";
import { resolveLaunchEnv } from "../services/launch_env.ts";

/** Help text of the `auth` verb. */
export const AUTH_HELP = `Usage: main.ts auth NAME [--no-wait]

Authorize the router at a remote server that signs users in with OAuth (for the admin, or the
server's shared token when it is set to share one). Prints the authorization URL; open it in a
browser and approve. The command then waits (ten minutes at most) for the authorization server's
redirect to the router's callback — a running serve takes it, otherwise this command listens on
the router's loopback address itself. If your browser cannot reach the router, paste the address
it ended on here. --no-wait prints the URL and exits (a running serve completes it).`;

/** `auth NAME`. */
export async function authVerb(args: string[], services: RouterServices): Promise<number> {
  const { values, positionals } = parseVerb(args, { "no-wait": { type: "boolean" } });
  if (values.help) {
    out(AUTH_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("usage: auth NAME [--no-wait]");
  const { store, settings } = services;
  const server = await store.getServer(positionals[0]);
  const url = await remoteUrlOf(store, server);
  const deps = routerDownstreamAuth(settings, store);
  const owner = ownerOf(await store.downstreamAuth.getConfig(server.id), ADMIN_PRINCIPAL);
  const before = await savedAt(deps, server.id, owner);
  const started = await startAuthorization(deps, server, url, ADMIN_PRINCIPAL);
  if (started.status === "open") {
    out(`${server.name} asks for no authorization`);
    return 0;
  }
  if (started.status === "authorized") {
    out(`${server.name}: the router is already authorized (its token works or was refreshed)`);
    return 0;
  }
  out(started.url);
  if (values["no-wait"]) {
    err(`open the URL above; a running serve at ${downstreamBaseUrl(deps)} completes it`);
    return 0;
  }
  err("open the URL above in a browser and approve; waiting for the callback…");
  const resolve = async (id: string) =>
    id === server.id ? { server, url: await remoteUrlOf(store, server) } : null;
  const done = new AbortController();
  const outcome = await Promise.race([
    listenForCallback(deps, resolve, done.signal),
    waitForTokens(deps, server.id, owner, before, done.signal),
    pastedCallback(deps, resolve),
    timeout(FLOW_TTL_MS, done.signal),
  ]).finally(() => done.abort());
  if (outcome !== "authorized") throw new AppError("bad_request", 400, outcome);
  out(`${server.name}: authorized`);
  const { env } = await resolveLaunchEnv(store, server);
  const report = await services.runtime.test(server, env).catch(() => null);
  if (report) err(report.ok ? `tested: ${report.tools.length} tools` : `test: ${report.error}`);
  return 0;
}

type Outcome = "authorized" | string;
type Resolve = Parameters<typeof finishAuthorization>[2];

async function savedAt(deps: DownstreamAuthDeps, serverId: string, owner: string) {
  const owners = await deps.store.listTokenOwners(serverId);
  return owners.find((o) => o.owner === owner)?.saved_at ?? "";
}

/** Serve the one callback on the router's loopback address, when nothing else listens there. */
function listenForCallback(
  deps: DownstreamAuthDeps,
  resolve: Resolve,
  signal: AbortSignal,
): Promise<Outcome> {
  const base = new URL(downstreamBaseUrl(deps));
  if (base.protocol !== "http:" || base.hostname !== "127.0.0.1") return new Promise(() => {});
  return new Promise((settle) => {
    let server: Deno.HttpServer;
    try {
      server = Deno.serve({
        hostname: "127.0.0.1",
        port: Number(base.port),
        onListen() {},
      }, async (request) => {
        const url = new URL(request.url);
        if (url.pathname !== CALLBACK_PATH) return new Response("Not found", { status: 404 });
        try {
          const done = await finishAuthorization(deps, url.searchParams, resolve);
          // The graceful shutdown that follows still sends this response.
          setTimeout(() => settle("authorized"), 0);
          return new Response(`Authorized: the router holds a token for ${done.server}.`);
        } catch (error) {
          return new Response(errorMessage(error), { status: 400 });
        }
      });
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) return; // serve runs there: it takes it
      settle(`could not listen for the callback: ${errorMessage(error)}`);
      return;
    }
    const stop = () => void server.shutdown().catch(() => {});
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop);
  });
}

/** Resolve once the owner's tokens are newer than `before` (another process took the callback). */
async function waitForTokens(
  deps: DownstreamAuthDeps,
  serverId: string,
  owner: string,
  before: string,
  signal: AbortSignal,
): Promise<Outcome> {
  while (!signal.aborted) {
    await new Promise((r) => setTimeout(r, 1_000));
    if ((await savedAt(deps, serverId, owner)) > before) return "authorized";
  }
  return "cancelled";
}

/** Finish from a callback address pasted into stdin (a browser on another machine). */
async function pastedCallback(deps: DownstreamAuthDeps, resolve: Resolve): Promise<Outcome> {
  if (!Deno.stdin.isTerminal()) return await new Promise(() => {});
  const decoder = new TextDecoder();
  const buf = new Uint8Array(4096);
  let line = "";
  while (true) {
    const n = await Deno.stdin.read(buf);
    if (n === null) return await new Promise(() => {});
    line += decoder.decode(buf.subarray(0, n));
    const newline = line.indexOf("\n");
    if (newline < 0) continue;
    const text = line.slice(0, newline).trim();
    line = line.slice(newline + 1);
    try {
      await finishAuthorization(deps, new URL(text).searchParams, resolve);
      return "authorized";
    } catch (error) {
      err(`that did not work: ${errorMessage(error)}; paste the whole address`);
    }
  }
}

function timeout(ms: number, signal: AbortSignal): Promise<Outcome> {
  return new Promise((settle) => {
    const timer = setTimeout(() => settle("no callback within ten minutes; run it again"), ms);
    Deno.unrefTimer(timer);
    signal.addEventListener("abort", () => clearTimeout(timer));
  });
}
