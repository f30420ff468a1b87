/**
 * @module HTTP downstreams: connect an SDK `Client` to a remote MCP server (streamable HTTP or
 * SSE) or to an sse/http server running in a container behind a published 127.0.0.1 port.
 *
 * Remote servers get request headers from their env values: `AUTHORIZATION` → `Authorization`
 * verbatim, `BEARER_TOKEN` / `API_TOKEN` / `ACCESS_TOKEN` → `Authorization: Bearer <v>`,
 * `API_KEY` → `X-API-Key`, `HEADER_<NAME>` → `<Name>` (underscores become dashes). `${VAR}` in the
 * URL is replaced by the env value.
 *
 * A remote server's connection goes through the {@linkcode OutboundGuard} (`guard` option): its
 * URL is checked before connecting, every request and redirect hop is checked again by the
 * guarded fetch, and failures are reported by status only (never the response body).
 */
import {
  Client,
  type ClientOptions,
  type OAuthClientProvider,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import type { RemoteAuthProvider } from "./types.ts";
import { isOAuthFailure, oauthFailureReason } from "../../downstream_auth/failure.ts";
import { DownstreamError } from "./errors.ts";
import { errorMessage } from "../../errors.ts";
import { type OutboundGuard, OutboundRefusedError } from "../../http/outbound_guard.ts";
import { createGuardedFetch } from "../../http/guarded_fetch.ts";
import { remoteFailureReason } from "./remote_failure.ts";
import { sleep } from "../../../runtime/foundation/timing.ts";
import type { Capabilities } from "../../schemas/server.ts";
import { downstreamClientOptions } from "./era.ts";
import { carryTaskResults } from "./task_results.ts";

/** Wire protocol for an HTTP downstream; `auto` tries streamable HTTP, then SSE. */
export type HttpProtocol = "http" | "sse" | "auto";

/** Request headers for a remote server derived from its env values (see module doc). */
export function headersFromEnv(env: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const upper = key.toUpperCase();
    if (upper === "AUTHORIZATION") headers["Authorization"] = value;
    else if (["BEARER_TOKEN", "API_TOKEN", "ACCESS_TOKEN", "AUTH_TOKEN"].includes(upper)) {
      headers["Authorization"] ??= `Bearer ${value}`;
    } else if (upper === "API_KEY") headers["X-API-Key"] ??= value;
    else if (upper.startsWith("HEADER_") && upper.length > 7) {
      const name = key.slice(7).split("_").filter(Boolean).map((p) =>
        p[0].toUpperCase() + p.slice(1).toLowerCase()
      ).join("-");
      headers[name] = value;
    }
  }
  return headers;
}

/** Replace `${VAR}` / `{VAR}` placeholders in a URL with (URI-encoded) env values. */
export function expandUrl(url: string, env: Record<string, string>): string {
  return url.replace(/\$?\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, key: string) => {
    const value = env[key];
    return value === undefined ? whole : encodeURIComponent(value);
  });
}

/**
 * Fill `${VAR}` (also `$VAR`, `<$VAR>`) placeholders in a plan's header templates from env
 * values; a header whose variables are not all set is left out.
 */
export function expandHeaders(
  templates: Record<string, string>,
  env: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(templates)) {
    let missing = false;
    const value = template.replace(
      /<?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?>?/g,
      (_whole, key: string) => {
        const v = env[key];
        if (v === undefined || v === "") missing = true;
        return v ?? "";
      },
    );
    if (!missing && !/[\r\n]/.test(value)) out[name] = value;
  }
  return out;
}

/**
 * Build an SDK client transport for `url`.
 * @param options wire protocol, request headers, and the fetch to use (default: global fetch)
 */
export function httpTransport(
  url: URL,
  options: {
    protocol: "http" | "sse";
    headers?: Record<string, string>;
    fetch?: typeof fetch;
    /** The router's OAuth client for this server (tokens sent, 401s answered by the SDK). */
    authProvider?: OAuthClientProvider;
  },
): Transport {
  const requestInit: RequestInit = { headers: options.headers ?? {} };
  const authProvider = options.authProvider;
  if (options.protocol === "sse") {
    // requestInit headers are sent on both the event stream and the POSTs.
    return new SSEClientTransport(url, { requestInit, fetch: options.fetch, authProvider });
  }
  return new StreamableHTTPClientTransport(url, {
    requestInit,
    fetch: options.fetch,
    authProvider,
  });
}

/** Options for {@linkcode connectHttp}. */
export interface ConnectHttpOptions {
  protocol: HttpProtocol;
  headers?: Record<string, string>;
  /** Server name, for error messages. */
  serverName: string;
  /** Give up after this many ms (covers waiting for the port and the MCP handshake). */
  timeoutMs: number;
  /** Keep retrying until the deadline (containers still starting); default false. */
  retry?: boolean;
  /** Client identity sent in `initialize`. */
  clientInfo?: { name: string; version: string };
  /** The server's cached capabilities: its remembered protocol era (else it is probed once). */
  known?: Capabilities | null;
  /** Aborts the wait (e.g. the container exited). */
  signal?: AbortSignal;
  /** URL shown in error messages (default: origin + path; pass the unexpanded template). */
  displayUrl?: string;
  /**
   * For user-supplied (remote) URLs: the URL is checked before connecting, every request and
   * redirect hop through a guarded fetch, and errors name the status only, never the body.
   * Unset for the router's own containers on 127.0.0.1.
   */
  guard?: OutboundGuard;
  /**
   * The router's OAuth client for this server: its token is sent, a 401 starts the SDK's flow
   * (refresh, or a new authorization whose URL ends the attempt as `needs_authorization`).
   */
  authProvider?: RemoteAuthProvider;
}

/** The failure of a connection that needs (another) OAuth authorization, or null. */
function authorizationNeeded(options: ConnectHttpOptions, error: unknown): DownstreamError | null {
  const provider = options.authProvider;
  if (!provider) return null;
  const url = provider.authorizationUrl;
  if (url) {
    return new DownstreamError(`${options.serverName} needs authorization: open ${url.href}`, {
      kind: "needs_authorization",
    });
  }
  if (error instanceof UnauthorizedError || isOAuthFailure(error)) {
    return new DownstreamError(
      `${options.serverName} needs authorization, but the router could not start it: ${
        oauthFailureReason(error)
      }`,
      { kind: "needs_authorization" },
    );
  }
  return null;
}

/**
 * Connect an SDK `Client` to an HTTP MCP endpoint. With `retry`, connection failures are retried
 * until the deadline (a container's server may take a while to listen).
 */
export async function connectHttp(url: URL, options: ConnectHttpOptions): Promise<Client> {
  const deadline = Date.now() + options.timeoutMs;
  const shown = options.displayUrl ?? url.origin + url.pathname;
  let fetchFn: typeof fetch | undefined;
  if (options.guard) {
    await options.guard.check(url, { stage: "connect" }).catch((error) => {
      const reason = remoteFailureReason(error);
      throw new DownstreamError(`${options.serverName} at ${shown}: ${reason}`, { kind: "config" });
    });
    fetchFn = createGuardedFetch(options.guard, { oauthErrors: !!options.authProvider });
  }
  const protocols: ("http" | "sse")[] = options.protocol === "auto"
    ? ["http", "sse"]
    : [options.protocol];
  let lastError: unknown;
  while (true) {
    for (const protocol of protocols) {
      if (options.signal?.aborted) throw abortError(options, lastError);
      const clientOptions: ClientOptions = downstreamClientOptions(options.known, "http");
      const client = new Client(
        options.clientInfo ?? { name: "mcp-router", version: "1" },
        clientOptions,
      );
      const transport = httpTransport(url, {
        protocol,
        headers: options.headers,
        fetch: fetchFn,
        authProvider: options.authProvider,
      });
      const remaining = Math.max(1, deadline - Date.now());
      try {
        await client.connect(transport, { timeout: Math.min(remaining, 30_000) });
        carryTaskResults(client);
        return client;
      } catch (error) {
        lastError = error;
        await client.close().catch(() => {});
        const needed = authorizationNeeded(options, error);
        if (needed) throw needed; // another protocol or a retry would not change that
      }
    }
    if (!options.retry || Date.now() >= deadline) break;
    // An abort ends the pause early; the loop then reports it.
    await sleep(Math.min(250, deadline - Date.now()), options.signal).catch(() => {});
  }
  if (options.signal?.aborted) throw abortError(options, lastError);
  if (options.guard) {
    // No cause: the SDK's error text may quote the response body.
    const refused = lastError instanceof OutboundRefusedError;
    throw new DownstreamError(
      `could not connect to ${options.serverName} at ${shown}: ${remoteFailureReason(lastError)}`,
      { kind: refused ? "config" : "start_failed" },
    );
  }
  throw new DownstreamError(
    `could not connect to ${options.serverName} at ${shown}: ${errorMessage(lastError)}`,
    { kind: "start_failed", cause: lastError },
  );
}

function abortError(options: ConnectHttpOptions, cause: unknown): DownstreamError {
  const reason = options.signal?.reason;
  return reason instanceof DownstreamError
    ? reason
    : new DownstreamError(`${options.serverName} stopped while connecting`, {
      kind: "start_failed",
      cause: reason ?? cause,
    });
}
