/**
 * @module Warm `tools/call echo` over upstream stdio, fast path against SDK path in one run: the
 * router's `serveStdio` runs in this process on in-memory streams (as `main.ts stdio` does on the
 * process's own), one 2025-11-25 session calls server-everything's `echo` in its container,
 * alternating plain calls (the fast path) with calls carrying a `_meta` key the fast path does
 * not know (the SDK path). Prints p50/p95 of each. Needs `MCP_ROUTER_PODMAN_SOCKET`.
 *
 * Usage: `deno run -A tests/bench/stdio_warm.ts [calls per side, default 1000]`
 */
import { serveStdio } from "../../server/mcp/stdio.ts";
import { destroyContainer } from "../../runtime/sessions.ts";
import type { PodmanBackend } from "../../runtime/podman/backend.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import {
  everythingPlan,
  openBenchServices,
  probeSocket,
  removeDir,
  routerContainers,
} from "./setup.ts";
import { summarize } from "./stats.ts";

type Msg = Record<string, unknown>;

/** A line-framed JSON-RPC client on the router's stdin/stdout streams. */
function lineClient(input: WritableStream<Uint8Array>, output: ReadableStream<Uint8Array>) {
  const writer = input.getWriter();
  const waiters = new Map<unknown, (m: Msg) => void>();
  const encoder = new TextEncoder();
  void (async () => {
    let buffered = "";
    const decoder = new TextDecoder();
    for await (const chunk of output) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const m = JSON.parse(buffered.slice(0, nl)) as Msg;
        buffered = buffered.slice(nl + 1);
        waiters.get(m.id)?.(m);
      }
    }
  })();
  return {
    request(m: Msg): Promise<Msg> {
      const reply = new Promise<Msg>((r) => waiters.set(m.id, r));
      void writer.write(encoder.encode(JSON.stringify(m) + "\n"));
      return reply;
    },
    notify: (m: Msg) => writer.write(encoder.encode(JSON.stringify(m) + "\n")),
    close: () => writer.close(),
  };
}

async function main(): Promise<number> {
  const calls = Number(Deno.args[0] ?? "1000");
  const { socket, reason } = probeSocket();
  if (!socket) {
    console.error(`stdio_warm: ${reason}`);
    return 1;
  }
  if (!Deno.env.get("LOG")) setLogSink(() => {});
  const dir = await Deno.makeTempDir({ prefix: "mcp-router-bench-stdio-" });
  const services = await openBenchServices(dir, { socket });
  await services.store.createServer(everythingPlan());
  const toRouter = new TransformStream<Uint8Array, Uint8Array>();
  const fromRouter = new TransformStream<Uint8Array, Uint8Array>();
  const served = serveStdio(services.hub, {
    streams: { input: toRouter.readable, output: fromRouter.writable },
  });
  const client = lineClient(toRouter.writable, fromRouter.readable);
  let id = 0;
  const echo = async (sdkPath: boolean) => {
    const meta = sdkPath ? { _meta: { "mcp-router-bench/sdk-path": true } } : {};
    const reply = await client.request({
      jsonrpc: "2.0",
      id: ++id,
      method: "tools/call",
      params: {
        name: "everything",
        arguments: { tool: "echo", arguments: { message: `m${id}` } },
        ...meta,
      },
    });
    const text = (reply.result as { content?: { text?: string }[] } | undefined)?.content?.[0]
      ?.text;
    if (text !== `Echo: m${id}`) {
      throw new Error(`echo failed: ${JSON.stringify(reply).slice(0, 300)}`);
    }
  };
  try {
    await client.request({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "bench", version: "1" },
      },
    });
    await client.notify({ jsonrpc: "2.0", method: "notifications/initialized" });
    await echo(false); // starts the container (untimed)
    const fast: number[] = [];
    const sdk: number[] = [];
    const warmup = Math.min(200, calls);
    for (let i = 0; i < warmup + calls; i++) {
      for (const sdkPath of i % 2 ? [true, false] : [false, true]) {
        const t0 = performance.now();
        await echo(sdkPath);
        if (i >= warmup) (sdkPath ? sdk : fast).push(performance.now() - t0);
      }
    }
    console.log(JSON.stringify({ fast_path_ms: summarize(fast), sdk_path_ms: summarize(sdk) }));
    return 0;
  } finally {
    await client.close().catch(() => {});
    await served;
    await services.hub.closeAll();
    const backend = services.backend as PodmanBackend;
    for (const c of await routerContainers(backend)) {
      if (c.labels["mcp-router.owner"] === String(Deno.pid)) {
        await destroyContainer(backend, c.id, { timeoutS: 0 });
      }
    }
    await services.close();
    await removeDir(dir);
  }
}

if (import.meta.main) Deno.exit(await main());
