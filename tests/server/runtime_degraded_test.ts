/**
 * A missing or dead Podman socket: health says degraded with the reason, `test` answers 503,
 * the MCP side reports a clear tool error, and nothing crashes.
 */
import assert from "node:assert/strict";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { quietLogs, withTmpDir } from "../helpers.ts";

const JSON_HEADERS = { "content-type": "application/json" };

async function check(socketPath: string, tmp: string) {
  const settings = loadSettings({ HOME: tmp }, { dataDir: tmp, podmanSocket: socketPath });
  const services = await openServices(settings);
  const app = createRouterApp(services);
  try {
    const health = await (await app.request("/api/health")).json();
    assert.equal(health.status, "degraded");
    assert.equal(health.podman.ok, false);
    assert.match(health.podman.reason, /podman/);
    assert.match(health.limits, /^unsupported/);
    assert.deepEqual(health.limits_in_force, [], "nothing is claimed without an engine");
    const created = await app.request("/api/servers", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: "mem", runtime: "npx", command: "npx", args: ["-y", "x"] }),
    });
    assert.equal(created.status, 201);
    const test = await app.request("/api/servers/mem/test", { method: "POST" });
    assert.equal(test.status, 503);
    assert.equal((await test.json()).error.code, "runtime_unavailable");
    // the analyzer still works without containers
    const plan = await app.request("/api/servers/analyze", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ source: "uvx:mcp-server-time" }),
    });
    assert.equal(plan.status, 200);
    assert.equal((await app.request("/api/servers")).status, 200);
  } finally {
    await app.closeSessions();
    await services.close();
  }
}

Deno.test("Degraded runtime - podman socket missing", async () => {
  quietLogs();
  await using tmp = await withTmpDir();
  await check(`${tmp.path}/missing.sock`, tmp.path);
});

Deno.test("Degraded runtime - dead podman socket (nobody listening)", async () => {
  quietLogs();
  await using tmp = await withTmpDir();
  const path = `${tmp.path}/dead.sock`;
  const listener = Deno.listen({ transport: "unix", path });
  listener.close(); // the socket file stays, nobody answers
  await check(path, tmp.path);
});
