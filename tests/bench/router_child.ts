/**
 * @module Parent side of the benchmark router child process (`router_process.ts`): spawn it over
 * a fresh temp data dir (optionally under `--cpu-prof` or with `--expose-gc`), wait for its ready
 * line, read its memory, stop it and remove any container it left behind.
 */
import { readLines } from "../../runtime/foundation/lines.ts";
import { destroyContainer } from "../../runtime/sessions.ts";
import { PodmanBackend } from "../../runtime/podman/backend.ts";
import { type MemoryReport, MemoryReportSchema } from "./router_process.ts";
import { removeDir } from "./setup.ts";

const ENTRY = new URL("./router_process.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

/** Options of {@linkcode spawnRouter}. */
export interface SpawnOptions {
  /** Podman socket, or null (degraded runtime: no containers). */
  socket: string | null;
  /** Container caps (total and per server); default 16. */
  maxContainers?: number;
  /** Run with `--v8-flags=--expose-gc` so memory readings follow a full GC. */
  exposeGc?: boolean;
  /** Run under `--cpu-prof --cpu-prof-dir=DIR` (the profile is written when the child exits). */
  cpuProfDir?: string;
}

/** A running router child. */
export interface RouterChild {
  baseUrl: string;
  /** Bearer key of the child's `mcp` API key (null when it runs open). */
  key: string | null;
  pid: number;
  /** GC (when exposed) and read the child's memory. */
  memory(): Promise<MemoryReport>;
  /** SIGTERM, wait for exit (killed after 60 s), remove leftover containers and the data dir. */
  stop(): Promise<{ code: number; leftover_containers: number }>;
}

/**
 * Start a router child process and wait until it listens.
 * @throws when it exits or prints no ready line within 60 s
 */
export async function spawnRouter(options: SpawnOptions): Promise<RouterChild> {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-bench-child-" });
  const flags = ["run", "-A"];
  if (options.exposeGc) flags.push("--v8-flags=--expose-gc");
  if (options.cpuProfDir) flags.push("--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`);
  const config = {
    dataDir,
    socket: options.socket,
    maxContainers: options.maxContainers ?? 16,
  };
  const child = new Deno.Command(Deno.execPath(), {
    args: [...flags, ENTRY, JSON.stringify(config)],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = readLines(child.stdout);
  const timeout = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const first = await lines.next();
  clearTimeout(timeout);
  // Drain the rest of stdout so the child never blocks on a full pipe.
  void (async () => {
    for await (const _ of lines) { /* discard */ }
  })().catch(() => {});
  if (first.done) {
    await child.status;
    await removeDir(dataDir);
    throw new Error("the router child exited before it was ready");
  }
  const ready = JSON.parse(first.value) as { port: number; key: string | null; pid: number };
  const baseUrl = `http://127.0.0.1:${ready.port}`;
  return {
    baseUrl,
    key: ready.key,
    pid: child.pid,
    async memory() {
      const r = await fetch(`${baseUrl}/__bench/memory`);
      return MemoryReportSchema.parse(await r.json());
    },
    async stop() {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const status = await child.status;
      clearTimeout(killer);
      let leftover = 0;
      if (options.socket) {
        const backend = PodmanBackend.fromSettings({ podmanSocket: options.socket });
        try {
          const found = await backend.list({
            "mcp-router": "1",
            "mcp-router.owner": String(child.pid),
          });
          for (const c of found) await destroyContainer(backend, c.id, { timeoutS: 0 });
          leftover = found.length;
        } finally {
          backend.close();
        }
      }
      await removeDir(dataDir);
      return { code: status.code, leftover_containers: leftover };
    },
  };
}
