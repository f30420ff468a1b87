/**
 * The official MCP conformance suite against the router's `/mcp`, with the conformance fixture
 * server added as a `namespace: none` downstream (a remote streamable-HTTP server on loopback),
 * so every fixture tool, resource and prompt reaches the suite through the router.
 */
import assert from "node:assert/strict";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { readExpectedFailures, runConformance } from "../conformance_runner.ts";
import { quietLogs, withTmpDir } from "../helpers.ts";

const EXPECTED = new URL("../fixtures/conformance_router_expected_failures.txt", import.meta.url);

Deno.test("Conformance - official suite through the router's /mcp", async () => {
  quietLogs();
  await using tmp = await withTmpDir();
  const fixture = await serveConformanceHttp({ port: 0 });
  const settings = loadSettings({ HOME: tmp.path }, {
    dataDir: tmp.path,
    podmanSocket: `${tmp.path}/no-podman.sock`,
  });
  const services = await openServices(settings);
  const app = createRouterApp(services);
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  try {
    const record = await services.store.createServer(PlanSchema.parse({
      name: "conformance",
      runtime: "remote",
      transport: "http",
      url: fixture.url,
      namespace: "none",
    }));
    const report = await services.runtime.test(record, {});
    assert.ok(report.ok, report.error ?? "");
    const result = await runConformance(`http://127.0.0.1:${server.addr.port}/mcp`);
    const expected = await readExpectedFailures(EXPECTED.pathname);
    const failing = result.scenarios.filter((s) => !s.ok).map((s) => s.name).sort();
    console.log(`conformance through the router: ${result.passed} passed, ${result.failed} failed`);
    assert.deepEqual(
      failing,
      [...expected].sort(),
      JSON.stringify(result.scenarios.filter((s) => !s.ok)),
    );
    assert.equal(result.passed, result.scenarios.length - expected.length);
    assert.ok(result.scenarios.length >= 32);
  } finally {
    await app.closeSessions();
    await server.shutdown();
    await services.close();
    await fixture.shutdown();
  }
});
