/**
 * The official conformance suite's client auth scenarios
 * (`@modelcontextprotocol/conformance@0.2.0-alpha.12 client --suite auth`) against the router's
 * downstream OAuth client: the CLI starts its own MCP server and authorization server per
 * scenario and runs `tests/conformance/downstream_auth_client.ts`, which connects through the
 * router's remote-server code path, authorizes headlessly and lists and calls tools.
 *
 * Scenarios (14): metadata-default, metadata-var1..3 (RFC 9728 / RFC 8414 discovery variants),
 * basic-cimd (Client ID Metadata Document), scope-from-www-authenticate, scope-from-scopes-
 * supported, scope-omitted-when-undefined, scope-step-up (403 insufficient_scope → a second
 * authorization), scope-retry-limit, token-endpoint-auth-basic/-post/-none (DCR with each
 * client authentication), pre-registration (a client id and secret entered by the admin).
 *
 * Expected failures: `tests/fixtures/conformance_downstream_auth_expected_failures.txt` (none).
 * Skipped when the npm registry cannot be reached (the CLI comes from it).
 */
import assert from "node:assert/strict";
import { conformanceCli, readExpectedFailures } from "../conformance_runner.ts";
import { withTmpDir } from "../helpers.ts";

const VERSION = "0.2.0-alpha.12";
const CLIENT = new URL("../conformance/downstream_auth_client.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const EXPECTED = new URL(
  "../fixtures/conformance_downstream_auth_expected_failures.txt",
  import.meta.url,
);
const LINE = /^([✓✗]) (\S+): (\d+) passed, (\d+) failed(?:, (\d+) warnings)?\s*$/;

const offline = await fetch("https://registry.npmjs.org/-/ping", {
  signal: AbortSignal.timeout(5_000),
}).then(async (res) => {
  await res.body?.cancel();
  return false;
}, () => true);

Deno.test({
  name: "Conformance - client auth suite against the router's downstream OAuth client",
  ignore: offline,
  fn: async () => {
    await using tmp = await withTmpDir();
    const output = await new Deno.Command(Deno.execPath(), {
      args: conformanceCli(VERSION, [
        "client",
        "--suite",
        "auth",
        "--timeout",
        "60000",
        "--command",
        `${Deno.execPath()} run -A --config ${CONFIG} ${CLIENT}`,
        "-o",
        `${tmp.path}/results`,
      ]),
      cwd: tmp.path,
      env: { DENO_TLS_CA_STORE: "system", NO_COLOR: "1", FORCE_COLOR: "0" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const summary = stdout.slice(stdout.lastIndexOf("SUITE SUMMARY"));
    const results = summary.split("\n").map((line) => LINE.exec(line.trim())).filter((m) => m)
      .map((m) => ({
        name: m![2],
        ok: m![1] === "✓" && m![4] === "0" && (m![5] ?? "0") === "0",
        line: m![0],
      }));
    assert.equal(results.length, 14, `14 scenarios in the summary:\n${stdout.slice(-3000)}`);
    const expected = new Set(await readExpectedFailures(EXPECTED));
    const unexpected = results.filter((r) => !r.ok && !expected.has(r.name));
    const fixed = results.filter((r) => r.ok && expected.has(r.name));
    assert.deepEqual(unexpected.map((r) => r.line), [], "scenarios failing unexpectedly");
    assert.deepEqual(fixed.map((r) => r.name), [], "listed as expected failures but passing");
  },
});
