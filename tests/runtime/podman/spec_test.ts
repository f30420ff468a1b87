import assert from "node:assert/strict";
import type { ContainerSpec, EngineInfo } from "../../../runtime/backend.ts";
import { parseTmpfs, TMPFS_OPTIONS, toSpecGenerator } from "../../../runtime/podman/spec.ts";

const V1: EngineInfo = {
  version: "4.3.1",
  rootless: true,
  cgroupVersion: "v1",
  limits: "unsupported: x",
  enforcedLimits: [],
};
const V2: EngineInfo = {
  ...V1,
  cgroupVersion: "v2",
  limits: "enforced",
  enforcedLimits: ["memory", "pids", "cpu"],
};

function spec(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    image: "localhost/mcp-router-node:abc",
    command: ["npx", "-y", "pkg"],
    env: { A: "1" },
    labels: { "mcp-router.server": "s1" },
    stdin: true,
    readOnlyMounts: [{
      source: "/etc/ssl/certs/ca-certificates.crt",
      destination: "/etc/ssl/certs/ca-certificates.crt",
    }],
    tmpfs: ["/tmp", "/home/mcp:rw,size=64m"],
    volumes: [{ name: "npm-cache", destination: "/home/mcp/.npm" }],
    publish: [{ containerPort: 3000, hostPort: 0 }],
    network: "default",
    limits: { memoryBytes: 1 << 30, pids: 512, cpus: 1, nofile: 1024 },
    readOnlyRoot: true,
    ...overrides,
  };
}

Deno.test("spec - hardening, mounts, ports and labels are translated", () => {
  const g = toSpecGenerator(spec({ user: "1000:1000", workdir: "/home/mcp", name: "c1" }), V1);
  assert.equal(g.image, "localhost/mcp-router-node:abc");
  assert.deepEqual(g.command, ["npx", "-y", "pkg"]);
  assert.deepEqual(g.cap_drop, ["ALL"]);
  assert.equal(g.no_new_privileges, true);
  assert.equal(g.read_only_filesystem, true);
  assert.equal(g.stdin, true);
  assert.equal(g.terminal, false);
  assert.equal(g.user, "1000:1000");
  assert.equal(g.work_dir, "/home/mcp");
  assert.equal(g.name, "c1");
  assert.equal(g.netns, undefined);
  assert.deepEqual(g.mounts, [
    {
      type: "bind",
      source: "/etc/ssl/certs/ca-certificates.crt",
      destination: "/etc/ssl/certs/ca-certificates.crt",
      options: ["ro", "rbind"],
    },
    { type: "tmpfs", source: "tmpfs", destination: "/tmp", options: TMPFS_OPTIONS },
    { type: "tmpfs", source: "tmpfs", destination: "/home/mcp", options: ["rw", "size=64m"] },
  ]);
  assert.deepEqual(g.volumes, [{ Name: "npm-cache", Dest: "/home/mcp/.npm", Options: [] }]);
  assert.deepEqual(g.portmappings, [{
    host_ip: "127.0.0.1",
    container_port: 3000,
    host_port: 0,
    protocol: "tcp",
  }]);
});

Deno.test("spec - network none sets the none namespace", () => {
  const g = toSpecGenerator(spec({ network: "none", publish: [] }), V1);
  assert.deepEqual(g.netns, { nsmode: "none" });
});

Deno.test("spec - cgroup limits only where enforced; ulimits always", () => {
  const v1 = toSpecGenerator(spec(), V1);
  assert.equal(v1.resource_limits, undefined);
  assert.deepEqual(v1.r_limits, [
    { type: "nofile", soft: 1024, hard: 1024 },
    { type: "nproc", soft: 8192, hard: 8192 }, // shared budget: 512 × 16
  ]);
  const v2 = toSpecGenerator(spec(), V2);
  assert.deepEqual(v2.resource_limits, {
    memory: { limit: 1 << 30, swap: 1 << 30 },
    pids: { limit: 512 },
    cpu: { quota: 100000, period: 100000 },
  });
});

Deno.test("spec - parseTmpfs accepts path and path:options", () => {
  assert.deepEqual(parseTmpfs("/tmp"), { destination: "/tmp", options: TMPFS_OPTIONS });
  assert.deepEqual(parseTmpfs("/x:ro, size=1m"), { destination: "/x", options: ["ro", "size=1m"] });
});

Deno.test("spec - userns=auto gives a private uid range and a per-container nproc", () => {
  const auto: EngineInfo = { ...V1, userns: { mode: "auto", size: 2048, capacity: 32 } };
  const g = toSpecGenerator(spec(), auto);
  assert.deepEqual(g.userns, { nsmode: "auto" });
  assert.deepEqual(g.idmappings, { AutoUserNs: true, AutoUserNsOpts: { Size: 2048 } });
  assert.deepEqual(g.r_limits, [
    { type: "nofile", soft: 1024, hard: 1024 },
    { type: "nproc", soft: 512, hard: 512 }, // its own: no neighbour counts against it
  ]);
  const shared = toSpecGenerator(spec(), { ...V1, userns: { mode: "shared", reason: "x" } });
  assert.equal(shared.userns, undefined);
  assert.equal(shared.idmappings, undefined);
});

Deno.test("spec - egress containers use slirp4netns without host loopback and the hook", () => {
  const engine: EngineInfo = { ...V1, slirp4netns: true };
  const g = toSpecGenerator(spec({ network: "egress" }), engine);
  assert.deepEqual(g.netns, { nsmode: "slirp4netns" });
  assert.deepEqual(g.network_options, { slirp4netns: ["allow_host_loopback=false"] });
  assert.deepEqual(g.annotations, { "io.mcp-router.egress": "no-host" });
  assert.equal(toSpecGenerator(spec(), engine).annotations, undefined, "default: unchanged");
});
