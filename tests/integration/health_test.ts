/**
 * @module `/api/health` against the real Podman socket: limits are never claimed beyond what the
 * engine enforces, and what does bound containers is listed.
 */
import assert from "node:assert/strict";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN } from "../runtime/podman/live.ts";
import { tmpRouter } from "../helpers.ts";

Deno.test({
  name: `health - limits in force match the engine's decision${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    await using router = await tmpRouter({ podmanSocket: LIVE_SOCKET });
    const health = await (await router.app.request("/api/health")).json();
    assert.equal(health.podman.ok, true);
    const inForce: string[] = health.limits_in_force;
    assert.ok(inForce.includes("nofile (rlimit)"), inForce.join("; "));
    assert.ok(inForce.some((l) => l.startsWith("call timeout ")));
    const cgroup = inForce.filter((l) => l.endsWith("(cgroup)"));
    if (health.limits === "enforced") assert.equal(cgroup.length, 3);
    else {
      assert.match(health.limits, /^unsupported: /);
      assert.ok(cgroup.length < 3, "an unsupported host never lists every cgroup limit");
      if (!cgroup.includes("pids (cgroup)")) assert.ok(inForce.some((l) => l.startsWith("nproc")));
    }
  },
});
