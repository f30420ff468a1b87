/**
 * @module Where the router's HTTP exchange spends its time: median round trip (sequential,
 * keep-alive `fetch`) of a bare `Deno.serve` echo, a bare hono app, and the real router app
 * (`createRouterApp`) on `GET /healthz` and on a `/mcp` POST with an unknown session id (every
 * guard, an API key's bearer, then a 404), and on the same POST to a router with no key at all (no
 * bearer: whether any key is active decides). No containers needed.
 *
 * Usage: `deno run -A tests/bench/http_gap.ts [--n 3000]`
 */
import { parseArgs } from "node:util";
import { Hono } from "hono";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { percentile } from "./stats.ts";

type Handler = (req: Request) => Response | Promise<Response>;

async function timeServer(handler: Handler, n: number, init: () => Request): Promise<number> {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  try {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const req = init();
      const url = new URL(req.url);
      url.port = String(server.addr.port);
      const t = performance.now();
      const res = await fetch(new Request(url, req));
      await res.arrayBuffer();
      times.push(performance.now() - t);
    }
    return percentile(times.slice(Math.floor(n / 5)).sort((a, b) => a - b), 0.5);
  } finally {
    await server.shutdown();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: Deno.args, options: { n: { type: "string" } } });
  const n = Number(values.n ?? "3000");
  setLogSink(() => {});
  const dir = await Deno.makeTempDir();
  const services = await openServices(
    loadSettings({ HOME: dir }, { dataDir: dir, podmanSocket: `${dir}/no-podman.sock` }),
  );
  // With a key, as in the warm bench: auth finds it by digest (cached), no KV scan per request.
  const { key } = await createApiKey(services.store, "bench");
  const app = createRouterApp(services);
  const keylessDir = await Deno.makeTempDir();
  const keyless = await openServices(
    loadSettings({ HOME: keylessDir }, {
      dataDir: keylessDir,
      podmanSocket: `${keylessDir}/no-podman.sock`,
    }),
  );
  const keylessApp = createRouterApp(keyless);
  const hono = new Hono();
  hono.get("/healthz", (c) => c.json({ ok: true }));
  hono.post("/mcp", async (c) => c.json(await c.req.json(), 404));
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: {} });
  const get = () => new Request("http://127.0.0.1:1/healthz");
  const postWith = (bearer: Record<string, string>) => () =>
    new Request("http://127.0.0.1:1/mcp", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": "nope",
        ...bearer,
      },
      body,
    });
  const post = postWith({ authorization: `Bearer ${key}` });
  const rows: [string, Handler, () => Request][] = [
    ["bare Deno.serve GET", () => new Response('{"ok":true}'), get],
    ["bare Deno.serve POST", async (r) => new Response(await r.text()), post],
    ["bare hono GET /healthz", hono.fetch, get],
    ["bare hono POST /mcp", hono.fetch, post],
    ["router GET /healthz", app.fetch, get],
    ["router POST /mcp (404)", app.fetch, post],
    ["router, no keys, POST /mcp", keylessApp.fetch, postWith({})],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [name, handler, init] of rows) {
      const ms = await timeServer(handler, n, init);
      console.log(`${name.padEnd(28)} p50 ${(ms * 1000).toFixed(0)} µs`);
    }
  }
  await app.closeSessions();
  await keylessApp.closeSessions();
  await services.close();
  await keyless.close();
}

if (import.meta.main) await main();
