/**
 * @module Open one downstream: start the server's container (or reach its remote URL) and connect
 * an SDK `Client` to it within the start deadline. Caching, caps and lifecycles live in
 * `pool.ts`; this module makes exactly one connection and knows how to tear it down.
 */
import { DOWNSTREAM_CLIENT_OPTIONS } from "../client_options.ts";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { ContainerBackend } from "../../../runtime/backend.ts";
import { buildLaunchSpec } from "../../../runtime/launch_spec.ts";
import { appendLog, getLogs, lineSplitter } from "../../../runtime/log_buffer.ts";
import {
  destroyContainer,
  exitCodeOf,
  launchContainer,
  watchExit,
} from "../../../runtime/sessions.ts";
import { registerSecret } from "../../../runtime/foundation/log.ts";
import type { ServerRecord } from "../../schemas/server.ts";
import type { Settings } from "../../settings.ts";
import { ContainerStdioTransport } from "./container_stdio_transport.ts";
import { DownstreamError, logsHint } from "./errors.ts";
import { connectHttp, expandHeaders, expandUrl, headersFromEnv } from "./remote.ts";
import { errorMessage } from "../../errors.ts";
import { createOutboundGuard, type OutboundGuard } from "../../http/outbound_guard.ts";
import { checkPlanMounts } from "../../mounts/policy.ts";
import { classifyStartupFailure, type StartupObservation } from "./startup_failure.ts";
import { STDOUT_PREFIX, type StdoutNoiseWatch, watchStdoutNoise } from "./stdout_noise.ts";

/** Resolves (building if needed) the image a server runs from. */
export type ImageResolver = (
  server: ServerRecord,
  options: { onLog: (line: string) => void },
) => Promise<string>;

/** How a connection ended. */
export interface ExitInfo {
  /** Container exit code, when known. */
  exitCode: number | null;
  /** True when it ended on its own (crash/exit), false when the router closed it. */
  unexpected: boolean;
}

/** One live downstream connection (before pooling). */
export interface OpenedDownstream {
  client: Client;
  containerId: string | null;
  /** Resolves once the connection is gone, for whatever reason. */
  ended: Promise<ExitInfo>;
  /** Whether the connection has ended. */
  readonly isEnded: boolean;
  /** Close the client and destroy the container; idempotent. */
  close(): Promise<ExitInfo>;
}

/** What {@linkcode openDownstream} needs. */
export interface OpenContext {
  backend: ContainerBackend | null;
  settings: Settings;
  sessionId: string;
  resolveImage: ImageResolver;
  clientInfo: { name: string; version: string };
  /**
   * Judges remote servers' URLs at connect time (keys may have been created, DNS may have
   * changed since the plan was saved). Default: a guard over `settings` that counts no keys.
   */
  outboundGuard?: OutboundGuard;
}

/** Log lines of a failed attempt the start-up classifier reads. */
const STARTUP_LINES = 300;

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
  const client = await connectHttp(url, {
    displayUrl: server.url,
    protocol: server.transport === "stdio" ? "auto" : server.transport,
    headers: { ...headersFromEnv(env), ...expandHeaders(server.headers ?? {}, env) },
    serverName: server.name,
    timeoutMs: ctx.settings.startTimeoutMs,
    clientInfo: ctx.clientInfo,
    guard: ctx.outboundGuard ?? createOutboundGuard(ctx.settings),
  }).catch((error) => {
    throw withServer(error, server);
  });
  appendLog(server.id, `connected to remote ${new URL(server.url).origin}`, { source: "router" });
  return wrap(client, null, () => Promise.resolve({ exitCode: null }));
}

async function openContainer(
  server: ServerRecord,
  env: Record<string, string>,
  ctx: OpenContext,
): Promise<OpenedDownstream> {
  const backend = ctx.backend;
  if (!backend) {
    throw new DownstreamError("container runtime unavailable", {
      kind: "start_failed",
      serverId: server.id,
    });
  }
  const note = (line: string) => appendLog(server.id, line, { source: "router" });
  // Judged again at each launch: the host's folders may have changed since the plan was saved.
  const mounts = await checkPlanMounts(ctx.settings, server).catch((error) => {
    throw new DownstreamError(`cannot launch ${server.name}: ${errorMessage(error)}`, {
      kind: "config",
      serverId: server.id,
      cause: error,
    });
  });
  for (const m of mounts) note(`mount ${m.source} at ${m.target} (${m.readonly ? "ro" : "rw"})`);
  const attemptAt = new Date();
  const observe = (
    part: Pick<
      StartupObservation,
      "phase" | "exitCode" | "timedOut" | "stdoutNoise" | "command" | "error"
    >,
  ): StartupObservation => ({
    timeoutMs: ctx.settings.startTimeoutMs,
    lines: getLogs(server.id, { since: attemptAt, lines: STARTUP_LINES }).map((l) => l.line),
    declaredEnv: server.env.map((e) => e.key),
    givenEnv: Object.keys(env).filter((k) => env[k] !== ""),
    network: server.network,
    ...part,
  });
  let image: string;
  try {
    image = await ctx.resolveImage(server, { onLog: note });
  } catch (error) {
    const startup = classifyStartupFailure(
      observe({ phase: "install", exitCode: null, error: errorMessage(error) }),
    );
    note(`install failed: ${startup.summary}`);
    throw new DownstreamError(`${server.name} ${startup.summary}; ${logsHint(server.id)}`, {
      kind: "start_failed",
      serverId: server.id,
      startup,
      cause: error,
    });
  }
  const spec = (() => {
    try {
      return buildLaunchSpec(server, {
        env,
        settings: ctx.settings,
        sessionId: ctx.sessionId,
        image,
        nameSuffix: crypto.randomUUID().slice(0, 8),
        owner: String(Deno.pid),
        mounts,
      });
    } catch (error) {
      throw new DownstreamError(`cannot launch ${server.name}: ${errorMessage(error)}`, {
        kind: "config",
        serverId: server.id,
        cause: error,
      });
    }
  })();
  const launched = await launchContainer(backend, spec, { attach: true }).catch((error) => {
    throw new DownstreamError(
      `could not start the container for ${server.name}: ${errorMessage(error)}`,
      { kind: "start_failed", serverId: server.id, cause: error },
    );
  });
  const id = launched.id;
  note(`started container ${id.slice(0, 12)} (session ${ctx.sessionId})`);
  const destroy = async () => {
    const { exitCode } = await destroyContainer(backend, id, { timeoutS: 2 });
    return { exitCode };
  };
  let noise: StdoutNoiseWatch | null = null;
  const failStart = async (error: unknown): Promise<never> => {
    const exitCode = await exitCodeOf(backend, id, { waitMs: 500 });
    await destroyContainer(backend, id, { timeoutS: 0 }).catch(() => {});
    noise?.stop();
    const startup = classifyStartupFailure(
      observe({
        phase: "start",
        exitCode,
        timedOut: exitCode === null,
        stdoutNoise: noise?.lines,
        command: spec.command?.[0],
      }),
    );
    note(`startup failed: ${startup.summary}`);
    throw new DownstreamError(`${server.name} ${startup.summary}; ${logsHint(server.id)}`, {
      kind: "start_failed",
      serverId: server.id,
      startup,
      cause: error,
    });
  };

  if (server.transport === "stdio") {
    if (!launched.streams) return await failStart(new Error("not attached"));
    noise = watchStdoutNoise(launched.streams, {
      onLine: (line) => appendLog(server.id, `${STDOUT_PREFIX}${line}`),
    });
    const transport = new ContainerStdioTransport(noise.streams, { serverId: server.id });
    const client = new Client(ctx.clientInfo, DOWNSTREAM_CLIENT_OPTIONS);
    try {
      await client.connect(transport, { timeout: ctx.settings.startTimeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      return await failStart(error);
    }
    noise.stop();
    return wrap(client, id, destroy, async () => ({
      exitCode: await exitCodeOf(backend, id, { waitMs: 2_000 }),
    }));
  }

  // sse / http: capture output for logs, watch the container, connect over the published port.
  if (launched.streams) pumpLogs(launched.streams, server.id);
  const stopWatch = new AbortController();
  const exited = watchExit(backend, id, { signal: stopWatch.signal, intervalMs: 500 });
  const connectAbort = new AbortController();
  exited.then((code) => {
    if (code !== null || !stopWatch.signal.aborted) connectAbort.abort();
  });
  const path = server.path || (server.transport === "sse" ? "/sse" : "/mcp");
  const url = new URL(path, `http://127.0.0.1:${launched.hostPort}`);
  let client: Client;
  try {
    client = await connectHttp(url, {
      protocol: server.transport,
      serverName: server.name,
      timeoutMs: ctx.settings.startTimeoutMs,
      retry: true,
      clientInfo: ctx.clientInfo,
      signal: connectAbort.signal,
    });
  } catch (error) {
    stopWatch.abort();
    try {
      launched.streams?.close();
    } catch {
      // ignore
    }
    return await failStart(error);
  }
  const opened = wrap(client, id, async () => {
    stopWatch.abort();
    try {
      launched.streams?.close();
    } catch {
      // ignore
    }
    return await destroy();
  });
  exited.then(async (code) => {
    if (stopWatch.signal.aborted) return;
    (opened as Wrapped).markExit({ exitCode: code, unexpected: true });
    await client.close().catch(() => {});
  });
  return opened;
}

interface Wrapped extends OpenedDownstream {
  markExit(info: ExitInfo): void;
}

/** Tie a client, its container and its teardown together. */
function wrap(
  client: Client,
  containerId: string | null,
  destroy: () => Promise<{ exitCode: number | null }>,
  onUnexpectedClose?: () => Promise<{ exitCode: number | null }>,
): Wrapped {
  let resolveEnded!: (info: ExitInfo) => void;
  const ended = new Promise<ExitInfo>((r) => (resolveEnded = r));
  let isEnded = false;
  let closing: Promise<ExitInfo> | null = null;
  let closeRequested = false;
  const markExit = (info: ExitInfo) => {
    if (isEnded) return;
    isEnded = true;
    resolveEnded(info);
  };
  client.onclose = () => {
    if (closeRequested || isEnded) return;
    // The server went away on its own (stdout closed / container exited).
    isEnded = true;
    (async () => {
      const { exitCode } = onUnexpectedClose ? await onUnexpectedClose() : { exitCode: null };
      resolveEnded({ exitCode, unexpected: true });
    })();
  };
  return {
    client,
    containerId,
    ended,
    get isEnded() {
      return isEnded;
    },
    markExit,
    close() {
      if (closing) return closing;
      closeRequested = true;
      const wasEnded = isEnded;
      closing = (async () => {
        await client.close().catch(() => {});
        const { exitCode } = await destroy().catch(() => ({ exitCode: null }));
        const info = { exitCode, unexpected: false };
        if (!wasEnded) markExit(info);
        return wasEnded ? await ended : info;
      })();
      return closing;
    },
  };
}

function pumpLogs(
  streams: { stdout: ReadableStream<Uint8Array>; stderr: ReadableStream<Uint8Array> },
  serverId: string,
): void {
  for (const stream of [streams.stdout, streams.stderr]) {
    const splitter = lineSplitter((line) => appendLog(serverId, line));
    (async () => {
      try {
        for await (const chunk of stream) splitter.push(chunk);
      } catch {
        // attach dropped
      } finally {
        splitter.flush();
      }
    })();
  }
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
