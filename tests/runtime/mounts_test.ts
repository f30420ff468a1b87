/**
 * Host-folder mounts, unit level: path rules (segments, not string prefixes), container target
 * rules, host-side resolution against roots and private paths on a real temp tree, and the
 * bind options that reach the libpod SpecGenerator.
 */
import assert from "node:assert/strict";
import { absolutePathProblem, isWithin, targetProblem } from "../../runtime/mount_paths.ts";
import {
  type MountPolicy,
  MountRefusedError,
  type MountRequest,
  resolveMounts,
} from "../../runtime/mounts.ts";
import { buildLaunchSpec, CA_MOUNT, CONTAINER_HOME } from "../../runtime/launch_spec.ts";
import { toSpecGenerator } from "../../runtime/podman/spec.ts";
import { MountSchema, PlanSchema } from "../../server/schemas/server.ts";
import { testSettings } from "../../server/settings.ts";
import { serverRecord, withTmpDir } from "../helpers.ts";

Deno.test("Mounts - paths compare by segments, not by string prefix", () => {
  assert.equal(isWithin("/home/alice/x", "/home/alice"), true);
  assert.equal(isWithin("/home/alice", "/home/alice"), true);
  assert.equal(isWithin("/home/alice", "/home/al"), false);
  assert.equal(isWithin("/home/al", "/home/alice"), false);
  assert.equal(isWithin("/anything", "/"), true);
  assert.equal(absolutePathProblem("/a/b"), null);
  for (const bad of ["a/b", "./a", "/a/../b", "/a/./b", "/a//b", "/a/", "", "/a\nb", "/a\0"]) {
    assert.ok(absolutePathProblem(bad), bad);
  }
});

Deno.test("Mounts - container targets stay out of the system and the router's own paths", () => {
  for (const ok of ["/data", "/workspace/repo", "/tmp/data", "/mnt/x", "/srv"]) {
    assert.equal(targetProblem(ok), null, ok);
  }
  for (
    const bad of [
      "/",
      "/etc",
      "/etc/passwd",
      CA_MOUNT,
      "/usr/local/bin",
      "/proc/self",
      "/sys",
      "/dev/shm",
      "/bin",
      "/lib",
      "/run/secrets",
      "/var/run",
      "/opt/server",
      "/opt/server/node_modules",
      "/opt",
      "/opt/uv/tools",
      CONTAINER_HOME,
      `${CONTAINER_HOME}/data`,
      "/home",
      "/tmp",
      "relative/path",
      "/data/../etc",
    ]
  ) {
    assert.ok(targetProblem(bad), `${bad} refused`);
  }
});

Deno.test("Mounts - the plan schema tidies paths, defaults readonly, refuses duplicate targets", () => {
  assert.deepEqual(MountSchema.parse({ source: "/srv//a/", target: "/data/" }), {
    source: "/srv/a",
    target: "/data",
    readonly: true,
  });
  const base = { name: "m", runtime: "npx", command: "npx", args: [] };
  const dup = PlanSchema.safeParse({
    ...base,
    mounts: [{ source: "/a", target: "/data" }, { source: "/b", target: "/data/" }],
  });
  assert.equal(dup.success, false);
  assert.deepEqual(dup.error!.issues[0].path, ["mounts", 1, "target"]);
  for (
    const bad of [
      { source: "relative", target: "/data" },
      { source: "/a/../../etc", target: "/data" },
      { source: "/a", target: "/" },
      { source: "/a", target: "/data", extra: 1 },
    ]
  ) {
    assert.equal(
      PlanSchema.safeParse({ ...base, mounts: [bad] }).success,
      false,
      JSON.stringify(bad),
    );
  }
  // Where a target may land is the runtime's rule, checked at save and at launch.
  assert.match(targetProblem("/etc/x") ?? "", /must not be in \/etc/);
  assert.deepEqual(PlanSchema.parse(base).mounts, []);
  const remote = PlanSchema.safeParse({
    name: "r",
    runtime: "remote",
    url: "https://mcp.example.com/mcp",
    mounts: [{ source: "/a", target: "/data" }],
  });
  assert.equal(remote.success, false, "remote servers have no container to mount into");
});

/** A temp tree: roots `al` and `alice`, an outside folder, a data dir and a socket folder. */
async function tree(path: string) {
  const p = (rel: string) => `${path}/${rel}`;
  for (const d of ["alice/project", "al", "outside", "data", "podman", "alice/private"]) {
    await Deno.mkdir(p(d), { recursive: true });
  }
  await Deno.writeTextFile(p("alice/project/notes.txt"), "hello");
  await Deno.writeTextFile(p("outside/secret.txt"), "no");
  await Deno.chmod(path, 0o755);
  for (const d of ["alice", "alice/project", "al", "outside", "data", "podman"]) {
    await Deno.chmod(p(d), 0o755);
  }
  await Deno.chmod(p("alice/private"), 0o700);
  await Deno.symlink(p("outside"), p("alice/link-out"));
  await Deno.symlink(p("data"), p("alice/link-data"));
  await Deno.symlink("/proc", p("alice/link-proc"));
  const listener = Deno.listen({ transport: "unix", path: p("podman/podman.sock") });
  const policy: MountPolicy = {
    roots: [p("alice"), "/nonexistent-root"],
    rootsSetting: "MCP_ROUTER_MOUNT_ROOTS",
    privatePaths: [
      { path: p("data"), what: "the router's data dir" },
      { path: p("podman"), what: "the Podman socket's folder" },
    ],
    podmanUser: null,
  };
  return { p, policy, listener };
}

async function refusal(mounts: MountRequest[], policy: MountPolicy): Promise<MountRefusedError> {
  const error = await resolveMounts(mounts, policy).then(() => null, (e) => e);
  assert.ok(error instanceof MountRefusedError, `refused: ${JSON.stringify(mounts)}`);
  return error;
}

Deno.test("Mounts - sources resolve inside a root; everything else is refused with the rule", async () => {
  await using tmp = await withTmpDir();
  const { p, policy, listener } = await tree(tmp.path);
  try {
    const ok = await resolveMounts([
      { source: p("alice/project"), target: "/data" },
      { source: p("alice/project/notes.txt"), target: "/notes.txt", readonly: false },
    ], policy);
    assert.deepEqual(ok, [
      { source: await Deno.realPath(p("alice/project")), target: "/data", readonly: true },
      {
        source: await Deno.realPath(p("alice/project/notes.txt")),
        target: "/notes.txt",
        readonly: false,
      },
    ]);
    const cases: [string, MountRequest, RegExp, string][] = [
      [
        "outside",
        { source: p("outside"), target: "/d" },
        /MCP_ROUTER_MOUNT_ROOTS/,
        "outside_roots",
      ],
      ["dot-dot", { source: `${p("alice")}/../outside`, target: "/d" }, /'\.\.'/, "bad_source"],
      ["relative", { source: "alice/project", target: "/d" }, /absolute/, "bad_source"],
      [
        "prefix",
        { source: p("al"), target: "/d" },
        /outside MCP_ROUTER_MOUNT_ROOTS/,
        "outside_roots",
      ],
      [
        "symlink out",
        { source: p("alice/link-out"), target: "/d" },
        /resolves to/,
        "outside_roots",
      ],
      ["symlink data", { source: p("alice/link-data"), target: "/d" }, /data dir/, "forbidden"],
      ["symlink /proc", { source: p("alice/link-proc"), target: "/d" }, /\/proc/, "forbidden"],
      ["/proc", { source: "/proc", target: "/d" }, /system folder/, "forbidden"],
      ["/proc/self", { source: "/proc/self/root", target: "/d" }, /system folder/, "forbidden"],
      ["/sys", { source: "/sys/kernel", target: "/d" }, /system folder/, "forbidden"],
      ["/dev", { source: "/dev", target: "/d" }, /system folder/, "forbidden"],
      ["/run", { source: "/run", target: "/d" }, /system folder/, "forbidden"],
      ["/", { source: "/", target: "/d" }, /root folder/, "forbidden"],
      ["data dir", { source: p("data"), target: "/d" }, /data dir/, "forbidden"],
      ["socket", { source: p("podman/podman.sock"), target: "/d" }, /Podman socket/, "forbidden"],
      [
        "around data",
        { source: tmp.path, target: "/d" },
        /contains the router's data/,
        "forbidden",
      ],
      ["missing", { source: p("alice/nope"), target: "/d" }, /does not exist/, "missing"],
      ["0700", { source: p("alice/private"), target: "/d" }, /chmod o\+rx/, "unreadable"],
      ["target /etc", { source: p("alice/project"), target: "/etc" }, /\/etc/, "bad_target"],
    ];
    for (const [label, mount, message, reason] of cases) {
      const error = await refusal([mount], policy);
      assert.equal(error.reason, reason, `${label}: ${error.message}`);
      assert.match(error.message, message, label);
    }
    // A socket inside a root is refused as a non-folder (here: the socket is also private).
    const sockInRoot = { ...policy, privatePaths: [] };
    const l2 = Deno.listen({ transport: "unix", path: p("alice/other.sock") });
    try {
      const error = await refusal([{ source: p("alice/other.sock"), target: "/d" }], sockInRoot);
      assert.match(error.message, /not a socket/);
    } finally {
      l2.close();
    }
    // A root that contains the data dir does not make the data dir mountable.
    const wide = { ...policy, roots: [tmp.path] };
    assert.equal((await refusal([{ source: p("data"), target: "/d" }], wide)).reason, "forbidden");
    // No roots: refused, naming the setting.
    const none = await refusal([{ source: p("alice/project"), target: "/d" }], {
      ...policy,
      roots: [],
    });
    assert.equal(none.reason, "no_roots");
    assert.match(none.message, /set MCP_ROUTER_MOUNT_ROOTS/);
    // Duplicate targets, and which mount it was.
    const dup = await refusal([
      { source: p("alice/project"), target: "/d" },
      { source: p("alice/project"), target: "/d" },
    ], policy);
    assert.deepEqual([dup.reason, dup.where.index], ["duplicate_target", 1]);
  } finally {
    listener.close();
  }
});

Deno.test("Mounts - the Podman user must reach the source", async () => {
  await using tmp = await withTmpDir();
  const { p, policy, listener } = await tree(tmp.path);
  try {
    await Deno.chmod(p("alice"), 0o750);
    const owner = (await Deno.stat(p("alice"))).uid!;
    const stranger = { uid: owner + 4242, gid: 4242 };
    const error = await refusal([{ source: p("alice/project"), target: "/d" }], {
      ...policy,
      podmanUser: stranger,
    });
    assert.equal(error.reason, "unreadable");
    assert.match(error.message, /Podman user .* is mode 0750/);
    // Its owner reaches it (the owner's x bit counts).
    const mine = await resolveMounts([{ source: p("alice/project"), target: "/d" }], {
      ...policy,
      podmanUser: { uid: owner, gid: 4242 },
    });
    assert.equal(mine.length, 1);
  } finally {
    listener.close();
  }
});

Deno.test("Mounts - launch specs bind resolved sources with nodev,nosuid and ro by default", () => {
  const server = serverRecord({
    mounts: [{ source: "/srv/a", target: "/data" }, {
      source: "/srv/b",
      target: "/out",
      readonly: false,
    }],
  });
  const options = { env: {}, settings: testSettings(), sessionId: "s", image: "img" };
  assert.throws(() => buildLaunchSpec(server, options), /not resolved/);
  const spec = buildLaunchSpec(server, {
    ...options,
    mounts: [
      { source: "/real/a", target: "/data", readonly: true },
      { source: "/real/b", target: "/out", readonly: false },
    ],
  });
  const body = toSpecGenerator(spec, {
    version: "4.3.1",
    rootless: true,
    cgroupVersion: "v1",
    limits: "enforced",
    enforcedLimits: [],
  });
  const binds = (body.mounts as { source: string; destination: string; options: string[] }[])
    .filter((m) => m.source.startsWith("/real/"));
  assert.deepEqual(binds, [
    {
      type: "bind",
      source: "/real/a",
      destination: "/data",
      options: ["bind", "nodev", "nosuid", "ro"],
    },
    {
      type: "bind",
      source: "/real/b",
      destination: "/out",
      options: ["bind", "nodev", "nosuid", "rw"],
    },
  ]);
  // A server without mounts gets none.
  const plain = buildLaunchSpec(serverRecord(), options);
  assert.equal(plain.bindMounts, undefined);
});
