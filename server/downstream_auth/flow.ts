/**
 * @module Authorizing the router at a remote server's authorization server, start to finish:
 * whose tokens a principal uses (its own, or the server's shared set when the admin chose it),
 * the router's callback and Client ID Metadata Document URLs, starting an authorization (the
 * URL the user must open) and finishing it from the callback's query (code exchange through the
 * SDK's `auth`). Every request goes through the fetch it is given (the SSRF-checked one).
 */
import { auth, extractWWWAuthenticateParams, type FetchLike } from "@modelcontextprotocol/client";
import type { DownstreamAuthStore, EnvStore } from "../store/store.ts";
import type { ServerRecord } from "../schemas/server.ts";
import { resolveLaunchEnv } from "../services/launch_env.ts";
import { expandUrl } from "../mcp/downstream/remote.ts";
import type { Settings } from "../settings.ts";
import { type DownstreamAuthConfig, SHARED_OWNER } from "../schemas/downstream_auth.ts";
import { publicMcpUrl } from "../config/public_origin.ts";
import { AppError } from "../errors.ts";
import { OAUTH_PATHS } from "../oauth/paths.ts";
import { type ProviderOptions, StoreOAuthProvider } from "./provider.ts";
import type { RemoteAuthFactory } from "../mcp/downstream/types.ts";
import { oauthFailureReason } from "./failure.ts";
import { routerOutboundGuard } from "../http/router_outbound_guard.ts";
import { createGuardedFetch } from "../http/guarded_fetch.ts";

/** The router's callback path for downstream authorizations. */
export const CALLBACK_PATH = OAUTH_PATHS.downstreamCallback;
/** Where the router serves its own Client ID Metadata Document. */
export const CLIENT_METADATA_PATH = OAUTH_PATHS.downstreamClientMetadata;
export { ADMIN_PRINCIPAL } from "./principal.ts";

/** What the flow needs. */
export interface DownstreamAuthDeps {
  store: DownstreamAuthStore;
  settings: Pick<Settings, "host" | "port" | "allowedHosts">;
  /** The fetch for every OAuth and probe request (the SSRF-checked one in the router). */
  fetch: FetchLike;
  /** The router's public origin (default: from the settings, see {@linkcode downstreamBaseUrl}). */
  baseUrl?: string;
  /** Its Client ID Metadata Document URL (default: {@linkcode CLIENT_METADATA_PATH} on an https origin). */
  clientMetadataUrl?: string;
}

/** The server a flow is for. */
export interface FlowServer {
  id: string;
  name: string;
}

/**
 * The router's origin as the user's browser reaches it: the first public name of
 * `MCP_ROUTER_ALLOWED_HOSTS` (https), a concrete listen address, else `http://127.0.0.1:PORT`.
 */
export function downstreamBaseUrl(deps: Pick<DownstreamAuthDeps, "settings" | "baseUrl">): string {
  if (deps.baseUrl) return deps.baseUrl.replace(/\/+$/, "");
  const loopback = `http://127.0.0.1:${deps.settings.port}`;
  const mcp = publicMcpUrl(new Request(`${loopback}/`), deps.settings);
  return mcp ? mcp.replace(/\/mcp$/, "") : loopback;
}

/** Whose tokens `principal` uses for a server with this setting. */
export function ownerOf(config: Pick<DownstreamAuthConfig, "mode">, principal: string): string {
  return config.mode === "shared" ? SHARED_OWNER : principal;
}

/**
 * The provider for `principal` at `server` (its owner, callback, CIMD URL when the router's
 * origin is https, the hand-entered client when there is one).
 * @param fixed for a callback leg: the owner and callback the flow started with, and its state
 */
export async function providerFor(
  deps: DownstreamAuthDeps,
  server: FlowServer,
  principal: string,
  fixed: Partial<Pick<ProviderOptions, "owner" | "redirectUrl" | "resume">> = {},
): Promise<StoreOAuthProvider> {
  const config = await deps.store.getConfig(server.id);
  const base = downstreamBaseUrl(deps);
  const secret = config.client_id ? await deps.store.clientSecret(server.id) : null;
  const owner = fixed.owner ?? ownerOf(config, principal);
  // Tokens are refreshed (and renewed) through the callback, hence the registration, they were
  // obtained with; a new authorization from the admin UI comes back where the browser is.
  const held = fixed.redirectUrl || deps.baseUrl
    ? null
    : (await deps.store.getTokens(server.id, owner))?.redirect_uri;
  return new StoreOAuthProvider({
    store: deps.store,
    serverId: server.id,
    owner,
    redirectUrl: fixed.redirectUrl ?? held ?? `${base}${CALLBACK_PATH}`,
    resume: fixed.resume,
    clientMetadataUrl: deps.clientMetadataUrl ??
      (base.startsWith("https://") ? `${base}${CLIENT_METADATA_PATH}` : undefined),
    clientName: `MCP Router (${server.name})`,
    manualClient: config.client_id
      ? { client_id: config.client_id, ...(secret ? { client_secret: secret } : {}) }
      : null,
  });
}

/**
 * The router's OAuth client factory for remote connections (`OpenContext.remoteAuth`): a
 * provider per (server, principal) over the store.
 */
export function remoteAuthOf(deps: DownstreamAuthDeps): RemoteAuthFactory {
  return (server, principal) => providerFor(deps, server, principal);
}

/**
 * A remote server's URL with its env placeholders filled.
 * @throws {AppError} 400 when the server is not a remote one
 */
export async function remoteUrlOf(
  store: Pick<EnvStore, "getEnvValues">,
  server: ServerRecord,
): Promise<URL> {
  if (server.runtime !== "remote" || !server.url) {
    throw new AppError("bad_request", 400, `${server.name} is not a remote server`);
  }
  const { env } = await resolveLaunchEnv(store, server);
  return new URL(expandUrl(server.url, env));
}

/** What the resource's 401 challenge says (RFC 9728 metadata URL, scope), or null when open. */
async function probeChallenge(
  fetchFn: FetchLike,
  serverUrl: URL,
): Promise<{ resourceMetadataUrl?: URL; scope?: string } | null> {
  const res = await fetchFn(serverUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "mcp-router", version: "1" },
      },
    }),
  });
  await res.body?.cancel().catch(() => {});
  if (res.status !== 401) return null;
  const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(res);
  return { resourceMetadataUrl, scope };
}

/** The result of {@linkcode startAuthorization}. */
export type StartResult =
  | { status: "authorized" }
  | { status: "open" }
  | { status: "redirect"; url: string };

/**
 * Start (or renew) `principal`'s authorization at a server: `authorized` when its tokens still
 * work or were refreshed, `open` when the server asks for none, else the URL to open.
 * @throws {AppError} 502 naming why the authorization server could not be used
 */
export async function startAuthorization(
  deps: DownstreamAuthDeps,
  server: FlowServer,
  serverUrl: URL,
  principal: string,
): Promise<StartResult> {
  const provider = await providerFor(deps, server, principal);
  try {
    const challenge = await probeChallenge(deps.fetch, serverUrl);
    if (!challenge && !(await provider.tokens())) return { status: "open" };
    const result = await auth(provider, {
      serverUrl,
      resourceMetadataUrl: challenge?.resourceMetadataUrl,
      scope: challenge?.scope,
      fetchFn: deps.fetch,
    });
    if (result === "AUTHORIZED") return { status: "authorized" };
    const url = provider.authorizationUrl;
    if (!url) throw new Error("the SDK asked for a redirect without a URL");
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new AppError("bad_request", 400, "the authorization endpoint is not an http(s) URL");
    }
    return { status: "redirect", url: url.href };
  } catch (error) {
    throw new AppError(
      "upstream_failed",
      502,
      `${server.name}: could not start the authorization: ${oauthFailureReason(error)}`,
    );
  }
}

/**
 * Finish an authorization from the callback's query (`code`, `state`, `iss`, or `error`).
 * @param resolve the server and its URL (env placeholders filled) by server id, or null
 * @returns the server's name and whose tokens were saved
 * @throws {AppError} 400 for an unknown/expired state or a refusal, 502 when the exchange failed
 */
export async function finishAuthorization(
  deps: DownstreamAuthDeps,
  params: URLSearchParams,
  resolve: (serverId: string) => Promise<{ server: FlowServer; url: URL } | null>,
): Promise<{ server: string; owner: string }> {
  const state = params.get("state") ?? "";
  const flow = /^[0-9a-f]{48}$/.test(state) ? await deps.store.takeFlow(state) : null;
  if (!flow) {
    throw new AppError(
      "bad_request",
      400,
      "unknown or expired authorization (it is valid for ten minutes, once); start it again",
    );
  }
  const target = await resolve(flow.server_id);
  if (!target) throw new AppError("not_found", 404, "the server of this authorization is gone");
  const refused = params.get("error");
  if (refused !== null) {
    const code = /^[a-z_]{1,64}$/.test(refused) ? refused : "error";
    throw new AppError(
      "bad_request",
      400,
      `${target.server.name}: the authorization server did not authorize the router (${code})`,
    );
  }
  const code = params.get("code");
  if (!code) throw new AppError("bad_request", 400, "the callback carries no code");
  const provider = await providerFor(deps, target.server, flow.owner, {
    owner: flow.owner,
    redirectUrl: flow.redirect_uri,
    resume: { codeVerifier: flow.code_verifier, discovery: flow.discovery as never },
  });
  try {
    await auth(provider, {
      serverUrl: target.url,
      authorizationCode: code,
      iss: params.get("iss") ?? undefined,
      fetchFn: deps.fetch,
    });
  } catch (error) {
    throw new AppError(
      "upstream_failed",
      502,
      `${target.server.name}: the code exchange failed: ${oauthFailureReason(error)}`,
    );
  }
  return { server: target.server.name, owner: flow.owner };
}

/**
 * The flow's dependencies in the router: its store, settings and the SSRF-checked fetch (with
 * the live API-key count), keeping OAuth error codes.
 */
export function routerDownstreamAuth(
  settings: Settings,
  store: { downstreamAuth: DownstreamAuthStore } & Parameters<typeof routerOutboundGuard>[1],
): DownstreamAuthDeps {
  return {
    store: store.downstreamAuth,
    settings,
    fetch: createGuardedFetch(routerOutboundGuard(settings, store), { oauthErrors: true }),
  };
}
