/**
 * @module Open one container downstream: check its mounts, resolve (build) its image, launch the
 * hardened container, connect an SDK client over its stdio or published port within the start
 * deadline, and explain a failed start from what the container printed.
 */
import { downstreamClientOptions, refusesInitialize } from "./era.ts";
import { carryTaskResults } from "./task_results.ts";
import { Client, ProtocolError } from "@modelcontextprotocol/client";
import { buildLaunchSpec } from "../../../runtime/launch_spec.ts";
import { appendLog, getLogs, lineSplitter } from "../../../runtime/log_buffer.ts";
import {
  destroyContainer,
  exitCodeOf,
  launchContainer,
  watchExit,
} from "../../../runtime/sessions.ts";
import { CapabilitiesSchema, type ProtocolEra, type ServerRecord } from "../../schemas/server.ts";
import { errorMessage } from "../../errors.ts";
import { checkPlanMounts } from "../../mounts/policy.ts";
import { ContainerStdioTransport } from "./container_stdio_transport.ts";
import { DownstreamError, logsHint } from "./errors.ts";
import { wrapOpened } from "./opened.ts";
import { connectHttp } from "./remote.ts";
import { classifyStartupFailure, type StartupObservation } from "./startup_failure.ts";
import { STDOUT_PREFIX, type StdoutNoiseWatch, watchStdoutNoise } from "./stdout_noise.ts";
import type { OpenContext, OpenedDownstream } from "./types.ts";

/** Log lines of a failed attempt the start-up classifier reads. */
const STARTUP_LINES = 300;

/**
 * Start `server`'s container and connect to it over stdio or its published port; a failed start
 * is classified from the container's output and exit code. A stdio server of unknown era that
 * dies on the `server/discover` probe (older Python SDKs exit on a method they cannot parse) is
 * started once more and spoken to with `initialize` only; the cache then remembers it as 2025.
 * One that answered the probe too late and then refused `initialize` (it serves 2026-07-28 only)
 * is started once more as a 2026 server, its probe given the whole start deadline.
 * @throws {DownstreamError} `start_failed` or `config`, with a message fit for the user
 */
export async function openContainer(
  server: ServerRecord,
  env: Record<string, string>,
  ctx: OpenContext,
): Promise<OpenedDownstream> {
  const attemptAt = new Date();
  try {
    return await openContainerOnce(server, env, ctx);
  } catch (error) {
    if (lateModern(server, error)) {
      appendLog(
        server.id,
        "it answered the protocol probe late and refuses initialize (it serves 2026-07-28): " +
          "starting it again as a 2026-07-28 server",
        { source: "router" },
      );
      return await openContainerOnce(withEra(server, "modern"), env, ctx);
    }
    if (!diedOnProbe(server, error, attemptAt)) throw error;
    appendLog(
      server.id,
      "it exited on the protocol probe (server/discover): starting it again with initialize",
      { source: "router" },
    );
    return await openContainerOnce(withEra(server, "legacy"), env, ctx);
  }
}

/** Whether a failed first start was a 2026-only stdio server refusing the fallback initialize. */
function lateModern(server: ServerRecord, error: unknown): boolean {
  return server.transport === "stdio" && server.capabilities?.protocol_era !== "modern" &&
    error instanceof DownstreamError && error.kind === "start_failed" && refusesInitialize(error);
}

/** Whether a failed first start was a stdio server of unknown era dying on the discover probe. */
function diedOnProbe(server: ServerRecord, error: unknown, since: Date): boolean {
  if (server.transport !== "stdio" || server.capabilities?.protocol_era === "legacy") return false;
  if (!(error instanceof DownstreamError) || error.kind !== "start_failed") return false;
  return getLogs(server.id, { since, lines: STARTUP_LINES }).some((l) =>
    l.source === "stderr" && l.line.includes("server/discover")
  );
}

/** The record with its remembered era set to `era`, whatever its cache said. */
function withEra(server: ServerRecord, era: ProtocolEra): ServerRecord {
  const known = server.capabilities ??
    CapabilitiesSchema.parse({ fetched_at: new Date().toISOString() });
  return { ...server, capabilities: { ...known, protocol_era: era } };
}

async function openContainerOnce(
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
  const resolve = async (): Promise<string> => {
    try {
      return await ctx.resolveImage(server, { onLog: note });
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
  };
  const specFor = (image: string) => {
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
  };
  const launchFailed = (error: unknown): never => {
    throw new DownstreamError(
      `could not start the container for ${server.name}: ${errorMessage(error)}`,
      { kind: "start_failed", serverId: server.id, cause: error },
    );
  };
  // The image it runs from once built is tried first, with no engine round trip before the
  // create; it is resolved (checked, built when missing) only when the engine lacks it.
  const presumed = await ctx.resolveImage(server, { onLog: note, presume: true })
    .catch(() => null);
  let spec = specFor(presumed ?? await resolve());
  let launched = await launchContainer(backend, spec, { attach: true }).catch((error) =>
    presumed !== null && (error as { imageMissing?: unknown }).imageMissing === true
      ? null
      : launchFailed(error)
  );
  if (!launched) {
    spec = specFor(await resolve());
    launched = await launchContainer(backend, spec, { attach: true }).catch(launchFailed);
  }
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
    // Still running but the handshake failed: a timeout only when the error says so (a server
    // that answered wrongly is not one that never answered).
    const timedOut = exitCode === null && isTimeout(error);
    const startup = classifyStartupFailure(
      observe({
        phase: "start",
        exitCode,
        timedOut,
        stdoutNoise: noise?.lines,
        command: spec.command?.[0],
        ...(exitCode === null && !timedOut ? { error: errorMessage(error) } : {}),
        // (A JSON-RPC error answer: the server spoke MCP, whatever its exit code after.)
        ...(error instanceof ProtocolError ? { refusal: `${error.code}: ${error.message}` } : {}),
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
    const client = new Client(
      ctx.clientInfo,
      downstreamClientOptions(server.capabilities, "stdio"),
    );
    try {
      await client.connect(transport, { timeout: ctx.settings.startTimeoutMs });
      carryTaskResults(client);
    } catch (error) {
      await client.close().catch(() => {});
      return await failStart(error);
    }
    noise.stop();
    return wrapOpened(client, id, destroy, async () => ({
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
      known: server.capabilities,
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
  const opened = wrapOpened(client, id, async () => {
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
    opened.markExit({ exitCode: code, unexpected: true });
    await client.close().catch(() => {});
  });
  return opened;
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

/** Whether a failed handshake timed out (the SDK's request timeout, an abort by deadline). */
function isTimeout(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  return e?.code === -32001 || e?.name === "TimeoutError" ||
    /\b(timed? ?out|timeout)\b/i.test(String(e?.message ?? ""));
}
