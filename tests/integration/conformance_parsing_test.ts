/**
 * Unit tests for the conformance plumbing: the CLI's "Not scored" block is parsed into scenario
 * tags, `--requirements` runs build the right command line, and a run is compared with the
 * checked-in expected-failure list (new failures, listed-but-passing, pending ignored).
 */
import assert from "node:assert/strict";
import {
  CONFORMANCE_REQUIREMENTS_VERSION,
  conformanceArgs,
  parseUnscored,
  type ScenarioResult,
} from "../conformance_runner.ts";
import {
  compareWithExpected,
  routerExpectedFailures,
} from "../fixtures/conformance/expected_failures.ts";

const STDOUT = `=== SUMMARY ===
✓ tools-list: 2 passed, 0 failed
✗ http-custom-header-server-validation: 4 passed, 6 failed

Total: 190 passed, 6 failed

Not scored for 2026-07-28: 3 scenario(s) run, 1 failing. These do not affect conformance.
  ✓ tasks-lifecycle (extension)
  ✓ json-schema-2020-12 (pending)
  ✗ http-custom-header-server-validation (pending)
`;

function scenario(name: string, ok: boolean, unscored?: string): ScenarioResult {
  return {
    name,
    ok,
    checksPassed: ok ? 1 : 0,
    checksFailed: ok ? 0 : 1,
    warnings: 0,
    ...(unscored ? { unscored } : {}),
  };
}

Deno.test("Conformance runner - the Not scored block tags extension and pending scenarios", () => {
  const tags = parseUnscored(STDOUT);
  assert.deepEqual([...tags], [
    ["tasks-lifecycle", "extension"],
    ["json-schema-2020-12", "pending"],
    ["http-custom-header-server-validation", "pending"],
  ]);
  assert.equal(parseUnscored("=== SUMMARY ===\n✓ a: 1 passed, 0 failed\n").size, 0);
});

Deno.test("Conformance runner - --requirements runs use the 0.2 CLI and no --suite", () => {
  const args = conformanceArgs("http://127.0.0.1:1/mcp", {
    outputDir: "/tmp/x",
    requirements: "2026-07-28",
  });
  assert.ok(
    args.includes(`npm:@modelcontextprotocol/conformance@${CONFORMANCE_REQUIREMENTS_VERSION}`),
  );
  assert.deepEqual(args.slice(args.indexOf("--requirements")), ["--requirements", "2026-07-28"]);
  assert.ok(!args.includes("--suite"));
});

Deno.test("Conformance expectations - new failures fail, pending is ignored, fixed ones reported", () => {
  const report = compareWithExpected([
    scenario("tools-list", true),
    scenario("caching", false),
    scenario("tasks-lifecycle", false, "extension"),
    scenario("http-header-validation", false, "pending"),
    scenario("server-stateless", false),
  ], [
    { scenario: "server-stateless", reason: "not yet" },
    { scenario: "tools-list", reason: "fixed since" },
  ]);
  assert.deepEqual(report.unexpected.map((s) => s.name), ["caching", "tasks-lifecycle"]);
  assert.deepEqual(report.nowPassing.map((e) => e.scenario), ["tools-list"]);
  assert.deepEqual(report.stillFailing.map((e) => e.scenario), ["server-stateless"]);
});

Deno.test("Conformance expectations - the checked-in list parses and explains every line", async () => {
  for (const revision of ["2026-07-28", "2025-11-25"]) {
    const expected = await routerExpectedFailures(revision);
    assert.equal(new Set(expected.map((e) => e.scenario)).size, expected.length, revision);
    for (const e of expected) assert.ok(e.reason.length >= 10, `${revision} ${e.scenario}`);
  }
  assert.deepEqual(await routerExpectedFailures("1999-01-01"), []);
});
