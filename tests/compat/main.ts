/**
 * @module `deno task compat`: the real-server compatibility suite. Starts one router on the Podman
 * socket, adds every server of `servers.ts` as a user would, prints the table and
 * `compat: N of M`, writes `tests/.artifacts/compat.json`, and exits 1 when fewer than
 * {@linkcode COMPAT_MIN_PASS} pass. Arguments filter the list by substring of the source (then
 * every selected server must pass): `deno task compat filesystem uvx:mcp-server-time`.
 * Skipped (exit 0) under `MCP_ROUTER_TEST_OFFLINE=1` or without a Podman socket.
 */
import { LIVE_SOCKET } from "../runtime/podman/live.ts";
import { COMPAT_MIN_PASS, COMPAT_SERVERS } from "./servers.ts";
import { runCompat, skipReason } from "./suite.ts";
import { formatTable, summaryLine, writeArtifact } from "./report.ts";

const filters = Deno.args.filter((a) => !a.startsWith("-"));
const servers = filters.length === 0
  ? COMPAT_SERVERS
  : COMPAT_SERVERS.filter((s) => filters.some((f) => s.source.includes(f)));

const skip = skipReason(LIVE_SOCKET);
if (skip) {
  console.log(`compat: skipped (${skip})`);
  Deno.exit(0);
}
if (servers.length === 0) {
  console.error(`compat: no server matches ${filters.join(" ")}`);
  Deno.exit(2);
}

console.log(`compat: ${servers.length} servers, 2 at a time, through one router`);
const run = await runCompat({
  socket: LIVE_SOCKET!,
  servers,
  onResult: (r, done, total) =>
    console.log(
      `[${done}/${total}] ${r.source}: ${r.verdict}${
        r.failure ? ` ${r.failure.kind}: ${r.failure.line.slice(0, 200)}` : ""
      } (${r.tools} tools, ${r.seconds} s)`,
    ),
});
console.log("");
console.log(formatTable(run.results));
console.log("");
const path = await writeArtifact(run);
console.log(`results: ${path}; ${run.seconds} s in all`);
const needed = filters.length === 0 ? COMPAT_MIN_PASS : servers.length;
console.log(summaryLine(run));
if (run.results.some((r) => r.failure?.kind === "router-unreachable")) {
  console.error(`router output:\n${run.routerOutput}`);
}
if (run.passed < needed) {
  console.error(`compat: ${run.passed} passed, ${needed} needed`);
  Deno.exit(1);
}
