/**
 * The official MCP conformance suite against the router's `/mcp`, with the conformance fixture
 * server added as a `namespace: none` downstream (a remote streamable-HTTP server on loopback),
 * so every fixture tool, resource and prompt reaches the suite through the router.
 *
 * - `--suite all` of conformance 0.1.16 (the 2025-era suite): must stay 32/32.
 * - `--requirements 2026-07-28` and `--requirements 2025-11-25` of 0.2.0-alpha.12: compared with
 *   `tests/fixtures/conformance/expected_failures.json`; a failing scenario (not pending) that is
 *   not listed fails the test, and listed scenarios that now pass are reported.
 */
import assert from "node:assert/strict";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import {
  compareWithExpected,
  routerExpectedFailures,
} from "../fixtures/conformance/expected_failures.ts";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { readExpectedFailures, runConformance, sumChecks } from "../conformance_runner.ts";
import { addTestedRemote, quietLogs, withTmpDir } from "../helpers.ts";

const EXPECTED = new URL("../fixtures/conformance_router_expected_failures.txt", import.meta.url);

/** Start the fixture and a router with it as a `namespace: none` downstream; run `fn` on `/mcp`. */
async function throughRouter(fn: (mcpUrl: string) => Promise<void>): Promise<void> {
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
    await addTestedRemote(services, "conformance", fixture.url);
    await fn(`http://127.0.0.1:${server.addr.port}/mcp`);
  } finally {
    await app.closeSessions();
    await server.shutdown();
    await services.close();
    await fixture.shutdown();
  }
}

Deno.test("Conformance - official suite through the router's /mcp", async () => {
  await throughRouter(async (url) => {
    const result = await runConformance(url);
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
  });
});

for (const revision of ["2026-07-28", "2025-11-25"]) {
  Deno.test(`Conformance - --requirements ${revision} through the router's /mcp`, async () => {
    await throughRouter(async (url) => {
      const result = await runConformance(url, { requirements: revision, timeoutMs: 240_000 });
      const expected = await routerExpectedFailures(revision);
      const report = compareWithExpected(result.scenarios, expected);
      console.log(
        `conformance ${revision} through the router: ${result.passed}/${result.scenarios.length}` +
          ` scenarios; checks ${sumChecks(result.scenarios, "checksPassed")} passed,` +
          ` ${sumChecks(result.scenarios, "checksFailed")} failed (scored:` +
          ` ${result.scoredChecks.passed} passed, ${result.scoredChecks.failed} failed); ${report.stillFailing.length} expected failures`,
      );
      if (Deno.env.get("CONFORMANCE_VERBOSE")) {
        for (const s of result.scenarios.filter((s) => !s.ok)) {
          console.log(`  ✗ ${s.name}${s.unscored ? ` (${s.unscored})` : ""}: ${s.detail ?? ""}`);
        }
      }
      for (const gone of report.nowPassing) {
        console.log(
          `  NOW PASSING, remove from expected_failures.json (${revision}): ${gone.scenario}`,
        );
      }
      assert.equal(result.timedOut, false, "suite timed out");
      assert.ok(result.scenarios.length > 0, result.stdout.slice(-3000) + result.stderr);
      assert.deepEqual(
        report.unexpected.map((s) => `${s.name}: ${s.detail ?? ""}`),
        [],
        `new failures through the router for ${revision}`,
      );
    });
  });
}
