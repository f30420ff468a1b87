/**
 * @module The admin pages in process with a real router session (store, pool, hub) and the
 * conformance fixture added as remote server `conf`: for tests that call tools, read resources and
 * get prompts through the pages (`app.request`).
 */
import { createApp } from "../../server/app/app.ts";
import { mountPages, type PagesServices } from "../../server/pages/mount.ts";
import { quietLogs } from "../helpers.ts";
import { testSettings } from "../../server/settings.ts";
import { KvStore } from "../../server/store/kv_store.ts";
import { DownstreamPool } from "../../server/mcp/downstream/pool.ts";
import { PoolRuntime } from "../../server/services/runtime_service.ts";
import { SessionHub } from "../../server/mcp/hub.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import type { VersionedServer } from "../../server/schemas/records.ts";
import { planFromSource } from "../../server/analyzer/source_plan.ts";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";

const BASE = "http://localhost";

/** A form body of `fields`. */
export function form(fields: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

/** What {@linkcode startPagesWithFixture} gives. */
export interface PagesWithFixture extends AsyncDisposable {
  store: KvStore;
  /** The conformance fixture as remote server `conf` (not yet tested). */
  server: VersionedServer;
  /** A request to the pages app, `path` from the root. */
  req(path: string, init?: RequestInit): Promise<Response>;
  /** A form POST to `/servers/<conf id><path>` (as htmx unless `htmx` is false). */
  post(path: string, fields?: Record<string, string>, htmx?: boolean): Promise<Response>;
}

/** Start the pages with a router session and the conformance fixture added as `conf`. */
export async function startPagesWithFixture(): Promise<PagesWithFixture> {
  quietLogs();
  const fixture = await serveConformanceHttp({ port: 0 });
  const settings = testSettings();
  const store = await KvStore.open({ dataDir: ":memory:" });
  const pool = new DownstreamPool({ settings, backend: null });
  const runtime = new PoolRuntime({ settings, store, backend: null, pool });
  const hub = new SessionHub({ settings, store, downstream: pool, builtins: [] });
  const services: PagesServices = {
    settings,
    store,
    runtime,
    analyze: (input) => Promise.resolve(planFromSource(input.source)),
    hub,
  };
  let pages: { close(): Promise<void> } | null = null;
  const app = createApp(services, { extend: (a) => void (pages = mountPages(a, services)) });
  const server = await store.createServer(PlanSchema.parse({
    name: "conf",
    runtime: "remote",
    transport: "http",
    url: fixture.url,
  }));
  const req = async (path: string, init?: RequestInit) => await app.request(`${BASE}${path}`, init);
  return {
    store,
    server,
    req,
    post: (path, fields = {}, htmx = true) =>
      req(`/servers/${server.id}${path}`, {
        method: "POST",
        headers: htmx ? { "hx-request": "true" } : {},
        body: form(fields),
      }),
    async [Symbol.asyncDispose]() {
      await (pages as { close(): Promise<void> } | null)?.close();
      await hub.closeAll();
      await pool.shutdown();
      store.close();
      await fixture.shutdown();
    },
  };
}
