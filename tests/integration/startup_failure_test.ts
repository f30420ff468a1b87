/**
 * Start-up failures explain themselves, end to end: real npm/PyPI servers added to a real router
 * (`main.ts serve`) the way a user adds them, then tested in real Podman containers without what
 * they need — a key, an argument, or being an MCP server at all. The report says which in one
 * line, keeps the last log lines, records `failed` health, and the server page shows the cause
 * next to the Test button.
 */
import assert from "node:assert/strict";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN } from "../runtime/podman/live.ts";
import {
  addAndTest as addAndTestServer,
  callJson,
  type RouterProcess,
  startRouter,
} from "../router_process.ts";

const OFFLINE = Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1";

interface Report {
  ok: boolean;
  error: string | null;
  logs: string[];
  failure: { kind: string; summary: string; subject: string | null; evidence: string | null };
}

const call = callJson;

/** Add `source` as a user would and test it (see `addAndTest`). */
const addAndTest = (
  router: RouterProcess,
  source: string,
  patch: Record<string, unknown> = {},
  added?: string[],
) => addAndTestServer<Report>(router, source, patch, added);

function assertOneLine(report: Report, kind: string, summary: RegExp): void {
  assert.equal(report.ok, false);
  assert.equal(report.failure?.kind, kind, report.error ?? "");
  assert.equal(report.error, report.failure.summary, "the cause comes first in error");
  assert.match(report.error!, summary);
  assert.ok(!report.error!.includes("\n"), "one line");
  assert.ok(report.logs.length > 0 && report.logs.length <= 20, `${report.logs.length} log lines`);
}

Deno.test({
  name: `Start-up failures - real servers without their key, argument or MCP say which${LIVE_NOTE}`,
  // The servers' install images are built from the npm registry and PyPI.
  ignore: NO_PODMAN || OFFLINE,
  ...LIVE_OPTS,
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-startup-" });
    const router = await startRouter(dataDir, LIVE_SOCKET);
    try {
      // A key the plan declares, left empty: the server exits 1 saying so.
      const brave = await addAndTest(router, "npx:@modelcontextprotocol/server-brave-search", {
        env: [{ key: "BRAVE_API_KEY", description: "Brave Search API key", secret: true }],
      });
      assertOneLine(
        brave.report,
        "missing_env",
        /^exited during start-up \(code 1\): required env var BRAVE_API_KEY is empty — set it in the server's env$/,
      );
      assert.equal(brave.report.failure.subject, "BRAVE_API_KEY");
      assert.ok(
        brave.report.logs.some((l) => /BRAVE_API_KEY environment variable is required/.test(l)),
      );

      // A required command-line argument left out: argparse's usage error, exit 2. (The plan from
      // the package's README carries `--db-path`; the user removed it.)
      const duckdb = await addAndTest(router, "uvx:mcp-server-duckdb", {
        args: ["mcp-server-duckdb"],
      });
      assertOneLine(
        duckdb.report,
        "missing_argument",
        /^exited during start-up \(code 2\): missing required argument --db-path — add it to the plan's args$/,
      );

      // Not an MCP server at all: it prints to stdout and exits 0; its stdout is in the logs.
      const cow = await addAndTest(router, "npx:cowsay hello");
      assertOneLine(
        cow.report,
        "not_mcp",
        /^exited during start-up \(code 0\): not an MCP server on stdio: it wrote non-JSON to stdout \(_+ \| < hello >/,
      );
      assert.ok(
        cow.report.logs.some((l) => l.includes("[stdout] < hello >")),
        cow.report.logs.join("\n"),
      );

      // Health records the failure; the page shows the cause next to the Test button.
      const record = await call<{ health: { ok: boolean; error: string } }>(
        router,
        `/api/servers/${brave.id}`,
      );
      assert.equal(record.health.ok, false);
      assert.equal(record.health.error, brave.report.error);
      const page = await (await router.request(`/servers/${brave.id}`)).text();
      const row = page.match(/<div class="test-row">[\s\S]*?<\/section>/)?.[0] ?? "";
      assert.match(row, /<button type="submit" class="primary">Test<\/button>/);
      assert.match(row, /Last test failed:/);
      assert.match(row, /required env var BRAVE_API_KEY is empty/);
    } finally {
      await router.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
