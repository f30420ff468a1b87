/**
 * The real-server compatibility suite as a Deno test: ignored unless `MCP_ROUTER_COMPAT=1` (it
 * installs some thirty packages from npm and PyPI and takes minutes; `deno task compat` runs the
 * same suite with its table), and skipped with a message under `MCP_ROUTER_TEST_OFFLINE=1` or
 * without a Podman socket.
 */
import assert from "node:assert/strict";
import { LIVE_OPTS, LIVE_SOCKET } from "../runtime/podman/live.ts";
import { COMPAT_MIN_PASS } from "./servers.ts";
import { runCompat, skipReason } from "./suite.ts";
import { formatTable, summaryLine, writeArtifact } from "./report.ts";

const enabled = Deno.env.get("MCP_ROUTER_COMPAT") === "1";
const skip = enabled ? skipReason(LIVE_SOCKET) : "set MCP_ROUTER_COMPAT=1 or run deno task compat";

Deno.test({
  name: `Compat - ${COMPAT_MIN_PASS}+ popular npm and PyPI servers test, list and call${
    skip ? ` (ignored: ${skip})` : ""
  }`,
  ignore: skip !== null,
  ...LIVE_OPTS,
  async fn() {
    const run = await runCompat({ socket: LIVE_SOCKET! });
    await writeArtifact(run);
    console.log(`\n${formatTable(run.results)}\n${summaryLine(run)}`);
    const serverErrors = run.results.flatMap((r) =>
      r.server_errors.map((e) => `${r.source}: ${e}`)
    );
    assert.deepEqual(serverErrors, [], "no request got a 5xx");
    assert.ok(
      run.passed >= COMPAT_MIN_PASS,
      `${summaryLine(run)}; at least ${COMPAT_MIN_PASS} must pass`,
    );
  },
});
