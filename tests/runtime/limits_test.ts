import assert from "node:assert/strict";
import {
  decideLimits,
  limitFields,
  limitsInForce,
  ROOTLESS_V1_REASON,
} from "../../runtime/limits.ts";
import { USERNS_AUTO_SIZE } from "../../runtime/userns.ts";
import { engineInfoFrom } from "../../runtime/podman/backend.ts";
import { InfoReplySchema } from "../../runtime/podman/schemas.ts";

// Trimmed `/libpod/info` replies as recorded from Podman 4.3.
const ROOTLESS_V1 = {
  host: {
    cgroupManager: "cgroupfs",
    cgroupVersion: "v1",
    cgroupControllers: [],
    security: { rootless: true, seccompEnabled: true },
  },
  store: { graphDriverName: "overlay" },
  version: { APIVersion: "4.3.1", Version: "4.3.1" },
};
/** The rootless mapping of a user with the 65536 subordinate ids `useradd` hands out. */
const IDS = {
  uidmap: [
    { container_id: 0, host_id: 1001, size: 1 },
    { container_id: 1, host_id: 100000, size: 65536 },
  ],
  gidmap: [
    { container_id: 0, host_id: 1001, size: 1 },
    { container_id: 1, host_id: 100000, size: 65536 },
  ],
};
const ROOTLESS_V1_AUTO = { ...ROOTLESS_V1, host: { ...ROOTLESS_V1.host, idMappings: IDS } };
const ROOTLESS_V2_DELEGATED = {
  host: {
    cgroupManager: "systemd",
    cgroupVersion: "v2",
    cgroupControllers: ["cpu", "io", "memory", "pids"],
    security: { rootless: true },
  },
  store: { graphDriverName: "overlay" },
  version: { Version: "4.9.3" },
};
const ROOTLESS_V2_MEMORY_PIDS = {
  ...ROOTLESS_V2_DELEGATED,
  host: { ...ROOTLESS_V2_DELEGATED.host, cgroupControllers: ["memory", "pids"] },
};
const ROOTFUL_V1 = {
  ...ROOTLESS_V1,
  host: { ...ROOTLESS_V1.host, cgroupControllers: null, security: { rootless: false } },
};

const info = (raw: unknown) => engineInfoFrom(InfoReplySchema.parse(raw));

Deno.test("limits - rootless on cgroups v1 enforces nothing and says why", () => {
  const e = info(ROOTLESS_V1);
  assert.equal(e.limits, `unsupported: ${ROOTLESS_V1_REASON}`);
  assert.deepEqual(e.enforcedLimits, []);
  assert.equal(e.rootless, true);
  assert.equal(e.cgroupVersion, "v1");
  assert.equal(e.version, "4.3.1");
});

Deno.test("limits - cgroups v2 with delegated controllers is enforced", () => {
  const e = info(ROOTLESS_V2_DELEGATED);
  assert.equal(e.limits, "enforced");
  assert.deepEqual(e.enforcedLimits, ["memory", "pids", "cpu"]);
});

Deno.test("limits - cgroups v2 missing cpu delegation is reported with what holds", () => {
  const e = info(ROOTLESS_V2_MEMORY_PIDS);
  assert.match(e.limits, /^unsupported: .*cpu/);
  assert.deepEqual(e.enforcedLimits, ["memory", "pids"]);
});

Deno.test("limits - rootful cgroups v1 is enforced", () => {
  const e = info(ROOTFUL_V1);
  assert.equal(e.limits, "enforced");
  assert.deepEqual(e.enforcedLimits, ["memory", "pids", "cpu"]);
});

Deno.test("limits - what is in force: cgroup limits that hold, else rlimits stand in", () => {
  const [nofile, nproc] = limitsInForce(info(ROOTLESS_V1), { containerPids: 256 });
  assert.equal(nofile, "nofile (rlimit)");
  // no subordinate ids reported: no userns=auto, so the shared budget (256 × 16) and why
  assert.match(
    nproc,
    /^nproc 4096 \(rlimit, one budget shared by all containers; .*subordinate ids/,
  );
  assert.deepEqual(limitsInForce(info(ROOTLESS_V2_DELEGATED)), [
    "memory (cgroup)",
    "pids (cgroup)",
    "cpu (cgroup)",
    "nofile (rlimit)",
  ]);
});

Deno.test("limits - with userns=auto nproc is a per-container limit, and health says so", () => {
  const e = info(ROOTLESS_V1_AUTO);
  assert.deepEqual(e.userns, { mode: "auto", size: USERNS_AUTO_SIZE, capacity: 32 });
  const fields = limitFields({ pids: 256, nofile: 1024 }, e);
  assert.deepEqual(fields.r_limits, [
    { type: "nofile", soft: 1024, hard: 1024 },
    { type: "nproc", soft: 256, hard: 256 },
  ]);
  assert.deepEqual(limitsInForce(e, { containerPids: 256 }), [
    "nofile (rlimit)",
    "nproc 256 per container (rlimit; own uid range, userns=auto, room for 32 containers)",
  ]);
  // with the pids cgroup in force too, the per-container rlimit is kept (it cannot starve others)
  const v2 = info({
    ...ROOTLESS_V2_DELEGATED,
    host: { ...ROOTLESS_V2_DELEGATED.host, idMappings: IDS },
  });
  assert.ok(
    limitFields({ pids: 256 }, v2).r_limits?.some((r) => r.type === "nproc" && r.soft === 256),
  );
});

Deno.test("limits - the egress policy is stated as far as it holds", () => {
  const e = info(ROOTLESS_V1_AUTO);
  const blocked = limitsInForce({
    ...e,
    egress: { hostBlocked: true, detail: "OCI hook /x.json" },
  });
  assert.ok(blocked.includes("egress servers: host addresses refused (OCI hook /x.json)"));
  const open = limitsInForce({
    ...e,
    egress: { hostBlocked: false, detail: "hook not installed" },
  });
  assert.ok(open.includes("egress servers: host loopback refused only; hook not installed"));
});

Deno.test("limits - unknown cgroup version is unsupported", () => {
  const e = decideLimits({
    version: "5",
    rootless: true,
    cgroupVersion: "v3",
    cgroupControllers: [],
  });
  assert.match(e.limits, /^unsupported/);
});

Deno.test("limits - limitFields keeps only enforced cgroup limits, always rlimits", () => {
  const limits = { memoryBytes: 512 * 1024 * 1024, pids: 256, cpus: 1.5, nofile: 4096 };
  const none = limitFields(limits, info(ROOTLESS_V1));
  assert.equal(none.resource_limits, undefined);
  assert.deepEqual(none.r_limits, [
    { type: "nofile", soft: 4096, hard: 4096 },
    { type: "nproc", soft: 4096, hard: 4096 }, // shared budget: 256 × 16
  ]);
  const all = limitFields(limits, info(ROOTLESS_V2_DELEGATED));
  assert.deepEqual(all.resource_limits, {
    memory: { limit: 536870912, swap: 536870912 },
    pids: { limit: 256 },
    cpu: { quota: 150000, period: 100000 },
  });
  assert.deepEqual(limitFields({}, info(ROOTLESS_V2_DELEGATED)), {});
  // with the pids cgroup in force there is no need for the shared RLIMIT_NPROC
  assert.ok(!all.r_limits?.some((r) => r.type === "nproc"));
});
