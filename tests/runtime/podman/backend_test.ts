import { exitCodeOf } from "../../../runtime/sessions.ts";
import assert from "node:assert/strict";
import { ROOTLESS_V1_REASON } from "../../../runtime/limits.ts";
import { PodmanBackend } from "../../../runtime/podman/backend.ts";
import { testSettings } from "../../../server/settings.ts";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN, RUN_ID, testContainerSpec } from "./live.ts";

const dec = new TextDecoder();

function backend(): PodmanBackend {
  return PodmanBackend.fromSettings(testSettings({ podmanSocket: LIVE_SOCKET ?? "/nonexistent" }));
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += dec.decode(chunk);
  return out;
}

Deno.test({
  name: `podman backend - info reports what the host enforces${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const b = backend();
    try {
      const info = await b.info();
      assert.match(info.version, /^\d+\.\d+/);
      if (info.cgroupVersion === "v1" && info.rootless) {
        assert.equal(info.limits, `unsupported: ${ROOTLESS_V1_REASON}`);
        assert.deepEqual(info.enforcedLimits, []);
      } else {
        assert.ok(info.limits === "enforced" || info.limits.startsWith("unsupported: "));
      }
    } finally {
      b.close();
    }
  },
});

Deno.test({
  name:
    `podman backend - hardened container: ro root, tmpfs, ro CA mount, ulimits, env${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const b = backend();
    const labels = { "mcp-router.test": RUN_ID, "mcp-router.case": "hardened" };
    const script = [
      "echo tmp > /tmp/f && cat /tmp/f",
      "if touch /rootfile 2>/dev/null; then echo rw-root; else echo ro-root; fi",
      "test -s /etc/ssl/certs/ca-certificates.crt && echo ca-ok",
      "if echo x >> /etc/ssl/certs/ca-certificates.crt 2>/dev/null; then echo ca-rw; else echo ca-ro; fi",
      'echo "nofile=$(ulimit -n) uid=$(id -u) greeting=$GREETING"',
      "grep -q '^CapEff:.0000000000000000' /proc/self/status && echo nocaps",
      "cat", // then echo stdin back until EOF
    ].join("; ");
    const id = await b.create(testContainerSpec({
      command: ["sh", "-c", script],
      env: { GREETING: "hi there" },
      labels,
      stdin: true,
      user: "1000:1000",
      tmpfs: ["/tmp"],
      readOnlyMounts: [{
        source: "/etc/ssl/certs/ca-certificates.crt",
        destination: "/etc/ssl/certs/ca-certificates.crt",
      }],
      limits: { nofile: 1024, pids: 256, memoryBytes: 256 << 20, cpus: 1 },
    }));
    try {
      const s = await b.attach(id);
      await b.start(id);
      const out = readAll(s.stdout);
      const w = s.stdin.getWriter();
      await w.write(new TextEncoder().encode("from-stdin\n"));
      await w.close();
      assert.deepEqual((await out).trim().split("\n"), [
        "tmp",
        "ro-root",
        "ca-ok",
        "ca-ro",
        "nofile=1024 uid=1000 greeting=hi there",
        "nocaps",
        "from-stdin",
      ]);
      assert.equal(await exitCodeOf(b, id, { waitMs: 600_000 }), 0);
      s.close();
      const state = await b.inspect(id);
      assert.equal(state.running, false);
      assert.equal(state.exitCode, 0);
      assert.deepEqual(state.labels, labels);
      const listed = await b.list(labels);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].id, id);
      assert.equal(listed[0].exitCode, 0);
      assert.deepEqual(await b.logs(id, { tail: 1 }), ["from-stdin"]);
    } finally {
      await b.remove(id);
      b.close();
    }
  },
});

Deno.test({
  name:
    `podman backend - stop is quick (init handles SIGTERM); remove/stop of a gone id is fine${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const b = backend();
    const id = await b.create(testContainerSpec({ command: ["sleep", "300"] }));
    try {
      await b.start(id);
      const running = await b.inspect(id);
      assert.equal(running.running, true);
      assert.equal(running.exitCode, null);
      const t0 = Date.now();
      await b.stop(id, { timeoutS: 10 });
      assert.ok(Date.now() - t0 < 5000, `stop took ${Date.now() - t0} ms`);
      assert.equal((await b.inspect(id)).running, false);
    } finally {
      await b.remove(id);
      await b.remove(id);
      await b.stop(id);
      b.close();
    }
  },
});

Deno.test({
  name: `podman backend - published port is reachable on 127.0.0.1${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const b = backend();
    // The base image has no server: use the uv image's python when present.
    const uvTag = Deno.env.get("MCP_ROUTER_TEST_UV_IMAGE");
    const image = uvTag ?? await findImage(b, "localhost/mcp-router-uv");
    if (!image) {
      console.warn("no uv image: skipping published port check");
      b.close();
      return;
    }
    const id = await b.create(testContainerSpec({
      image,
      command: ["python3", "-m", "http.server", "8000", "--bind", "0.0.0.0"],
      network: "default",
      publish: [{ containerPort: 8000, hostPort: 0 }],
      tmpfs: ["/tmp"],
    }));
    try {
      await b.start(id);
      const state = await b.inspect(id);
      const port = state.ports[8000];
      assert.ok(port > 0, `no host port: ${JSON.stringify(state.ports)}`);
      let body = "";
      for (let i = 0; i < 50 && !body; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/`);
          body = await res.text();
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      assert.match(body, /Directory listing/);
      const listed = await b.list({ "mcp-router.test": RUN_ID });
      assert.equal(listed.find((c) => c.id === id)?.ports[8000], port);
    } finally {
      await b.remove(id);
      b.close();
    }
  },
});

async function findImage(b: PodmanBackend, repo: string): Promise<string | null> {
  const res = await b.client.request("GET", "/images/json", {
    query: { filters: JSON.stringify({ reference: [repo] }) },
  });
  const list = await res.json() as { RepoTags?: string[] | null; Created?: number }[];
  list.sort((x, y) => (y.Created ?? 0) - (x.Created ?? 0));
  return list.flatMap((i) => i.RepoTags ?? []).find((t) => t.startsWith(`${repo}:`)) ?? null;
}
