/**
 * @module Benchmark router child process: the real router app (`createRouterApp` over
 * `openServices`, as `serve` runs it) in its own Deno process, so load generators and profilers
 * see the router alone. Started by `router_child.ts` with one JSON argument (see
 * {@linkcode ChildConfigSchema}); prints one ready line `{"port","key","pid"}` on stdout and stops
 * (sessions ended, containers removed) on SIGTERM or SIGINT.
 *
 * Bench-only extra route, answered before the router app: `GET /__bench/memory` → a full GC
 * (when started with `--v8-flags=--expose-gc`) then `Deno.memoryUsage()` and `VmRSS` in bytes.
 */
import { z } from "zod";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { benchSettings, everythingPlan } from "./router_config.ts";

/** The child's one argument. */
export const ChildConfigSchema = z.object({
  dataDir: z.string().min(1),
  socket: z.string().nullable(),
  /** Container caps (total and per server). */
  maxContainers: z.number().int().positive().default(16),
  /** Register the server-everything plan as `everything`. */
  seedEverything: z.boolean().default(true),
  /** Create an `mcp` API key (so every request is authenticated, as in a remote deployment). */
  apiKey: z.boolean().default(true),
});

/** Parsed child configuration. */
export type ChildConfig = z.infer<typeof ChildConfigSchema>;

/** What `GET /__bench/memory` answers. */
export const MemoryReportSchema = z.object({
  gc: z.boolean(),
  rss: z.number(),
  heap_total: z.number(),
  heap_used: z.number(),
  external: z.number(),
  vm_rss: z.number().nullable(),
});

/** One memory reading of the child. */
export type MemoryReport = z.infer<typeof MemoryReportSchema>;

function vmRss(): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function memory(): Promise<MemoryReport> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    // Let pending closes settle, then collect twice (weak callbacks run between passes).
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 20));
      gc();
    }
  }
  const m = Deno.memoryUsage();
  return {
    gc: !!gc,
    rss: m.rss,
    heap_total: m.heapTotal,
    heap_used: m.heapUsed,
    external: m.external,
    vm_rss: vmRss(),
  };
}

async function main(): Promise<void> {
  const config = ChildConfigSchema.parse(JSON.parse(Deno.args[0] ?? "{}"));
  if (!Deno.env.get("LOG")) setLogSink(() => {});
  const settings = benchSettings(config.dataDir, {
    socket: config.socket,
    overrides: {
      maxContainers: config.maxContainers,
      maxContainersPerServer: config.maxContainers,
    },
  });
  const services = await openServices(settings, { startPodman: false, sweepOrphans: false });
  if (config.seedEverything) await services.store.createServer(everythingPlan());
  const key = config.apiKey ? (await createApiKey(services.store, "bench")).key : null;
  const app = createRouterApp(services);
  const ready = Promise.withResolvers<number>();
  const http = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: ({ port }) => ready.resolve(port) },
    async (request, info) => {
      if (new URL(request.url).pathname === "/__bench/memory") {
        return Response.json(await memory());
      }
      return await app.fetch(request, info);
    },
  );
  const port = await ready.promise;
  console.log(JSON.stringify({ port, key, pid: Deno.pid }));
  const stop = Promise.withResolvers<void>();
  Deno.addSignalListener("SIGTERM", () => stop.resolve());
  Deno.addSignalListener("SIGINT", () => stop.resolve());
  await stop.promise;
  await app.closeSessions().catch(() => {});
  await services.close().catch(() => {});
  await http.shutdown().catch(() => {});
  Deno.exit(0);
}

if (import.meta.main) await main();
