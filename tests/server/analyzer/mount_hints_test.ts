/**
 * Mount hints: README placeholder and home-folder paths in a plan's args get a warning naming
 * the mount to add and the container path to use; container paths and flags do not.
 */
import assert from "node:assert/strict";
import { hostPathArgs, withMountHints } from "../../../server/analyzer/mount_hints.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";

Deno.test("Mount hints - host paths in args are found, container paths are not", () => {
  const found = hostPathArgs([
    "-y",
    "@modelcontextprotocol/server-filesystem",
    "/Users/username/Desktop",
    "/path/to/other/allowed/dir",
    "--repository=~/code/site",
    "/tmp",
    "/data",
    "C:\\Users\\me\\Documents",
  ]);
  assert.deepEqual(found.map((f) => [f.index, f.target]), [
    [2, "/data/Desktop"],
    [3, "/data/dir"],
    [4, "/data/site"],
    [7, "/data/Documents"],
  ]);
});

Deno.test("Mount hints - a plan gets one warning per host path, none once it mounts folders", () => {
  const plan = PlanSchema.parse({
    name: "fs",
    runtime: "npx",
    command: "npx",
    args: ["-y", "@modelcontextprotocol/server-filesystem", "/Users/username/Desktop"],
  });
  const hinted = withMountHints(plan);
  assert.equal(hinted.warnings.length, 1);
  assert.match(hinted.warnings[0], /MCP_ROUTER_MOUNT_ROOTS.*\/data\/Desktop/);
  const mounted = { ...plan, mounts: [{ source: "/srv/x", target: "/data", readonly: true }] };
  assert.equal(withMountHints(mounted).warnings.length, 0);
});
