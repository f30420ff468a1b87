/**
 * @module A real router for tests: `main.ts serve` as a subprocess on a free loopback port, over
 * a given data dir, with its output kept for failure messages.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));

import type { Requester } from "./hostile/helpers.ts";

/** Options of {@linkcode startRouter}. */
export interface StartOptions {
  /** More environment variables (settings) for the router. */
  env?: Record<string, string>;
  /** The address it listens on (default 127.0.0.1). */
  host?: string;
  /** The address tests connect to (default 127.0.0.1). */
  connect?: string;
}

/** A router subprocess on a loopback port. */
export interface RouterProcess {
  child: Deno.ChildProcess;
  base: string;
  port: number;
  pid: number;
  request: Requester;
  /** Last lines of its output (for failure messages). */
  output(): string;
  /** SIGTERM and wait (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function drain(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  sink: string[],
): Promise<void> {
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    sink.push(chunk);
    if (sink.length > 200) sink.splice(0, sink.length - 200);
  }
}

/**
 * Start `main.ts serve` and wait until `/healthz` answers.
 * @param dataDir the data dir (kept across restarts)
 * @param socket Podman socket; without a live one PATH holds only deno so no service is started
 */
export async function startRouter(
  dataDir: string,
  socket?: string,
  options: StartOptions = {},
): Promise<RouterProcess> {
  const port = freePort();
  const env: Record<string, string> = {
    MCP_ROUTER_DATA: dataDir,
    MCP_ROUTER_PODMAN_SOCKET: socket ?? `${dataDir}/none.sock`,
    MCP_ROUTER_LOG_LEVEL: "warn",
    ...options.env,
  };
  if (!socket) env.PATH = dirname(Deno.execPath());
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${REPO}/deno.json`,
      `${REPO}/main.ts`,
      "serve",
      "--port",
      String(port),
      "--host",
      options.host ?? "127.0.0.1",
    ],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const drained = Promise.all([drain(child.stdout, lines), drain(child.stderr, lines)]);
  const base = `http://${options.connect ?? "127.0.0.1"}:${port}`;
  const router: RouterProcess = {
    child,
    base,
    port,
    pid: child.pid,
    request: (path, init) => fetch(`${base}${path}`, init),
    output: () => lines.join("").slice(-3000),
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // gone
        }
      }, 20_000);
      await child.status;
      clearTimeout(timer);
      await drained.catch(() => {});
    },
  };
  const deadline = Date.now() + 90_000;
  while (true) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res) {
      await res.body?.cancel();
      if (res.ok) return router;
    }
    if (Date.now() > deadline) {
      await router.stop();
      throw new Error(`router did not start: ${router.output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A JSON request to the router that must answer `status`; the failure message carries the
 * response and the router's last output.
 * @param router the router process
 * @param path the path
 * @param init request options
 * @param status the expected HTTP status
 */
export async function callJson<T>(
  router: RouterProcess,
  path: string,
  init?: RequestInit,
  status = 200,
): Promise<T> {
  const res = await router.request(path, init);
  const text = await res.text();
  if (res.status !== status) {
    throw new Error(
      `${init?.method ?? "GET"} ${path} → ${res.status} (expected ${status}): ${
        text.slice(0, 800)
      }\n${router.output()}`,
    );
  }
  return JSON.parse(text) as T;
}

/**
 * Add a server as a user would — analyze `source`, patch the plan, save it — then test it.
 * @param router the router process
 * @param source `npx:PKG`, `uvx:PKG`, a URL…
 * @param patch plan fields to override
 * @param added collects the new server's id (for clean-up)
 * @returns the server id and the test report
 */
export async function addAndTest<Report>(
  router: RouterProcess,
  source: string,
  patch: Record<string, unknown> = {},
  added?: string[],
): Promise<{ id: string; report: Report }> {
  const json = { "content-type": "application/json" };
  const plan = await callJson<Record<string, unknown>>(router, "/api/servers/analyze", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ source }),
  });
  const saved = await callJson<{ id: string }>(router, "/api/servers", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ ...plan, ...patch }),
  }, 201);
  added?.push(saved.id);
  const report = await callJson<Report>(router, `/api/servers/${saved.id}/test`, {
    method: "POST",
  });
  return { id: saved.id, report };
}
