import assert from "node:assert/strict";
import { PodmanClient } from "../../../runtime/podman/client.ts";
import { PodmanError } from "../../../runtime/podman/errors.ts";
import { engineInfoFrom } from "../../../runtime/podman/backend.ts";
import { setLogSink } from "../../../runtime/foundation/log.ts";
import { BASE_IMAGE, LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN, RUN_ID } from "./live.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function client(): PodmanClient {
  return new PodmanClient(LIVE_SOCKET!, { timeoutMs: 20_000 });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += dec.decode(chunk);
  return out;
}

Deno.test({
  name: `podman client - info${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const c = client();
    try {
      const info = await c.info();
      assert.match(info.version.Version, /^\d+\.\d+/);
      assert.ok(["v1", "v2"].includes(info.host.cgroupVersion));
      assert.ok(await c.imageExists(BASE_IMAGE), `base image ${BASE_IMAGE} missing: build it`);
      assert.equal(await c.imageExists("localhost/definitely-not-here:nope"), false);
    } finally {
      c.close();
    }
  },
});

Deno.test({
  name: `podman client - cat container: attach, stdin, half-close, exit 0, logs, list${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const c = client();
    const labels = { "mcp-router.test": RUN_ID, "mcp-router.case": "cat" };
    const id = await c.createContainer({
      image: BASE_IMAGE,
      command: ["cat"],
      stdin: true,
      labels,
      netns: { nsmode: "none" },
      cap_drop: ["ALL"],
      no_new_privileges: true,
    });
    try {
      const s = await c.attach(id);
      await c.startContainer(id);
      const out = readAll(s.stdout);
      const err = readAll(s.stderr);
      const w = s.stdin.getWriter();
      await w.write(enc.encode("hello\n"));
      await w.write(enc.encode("world\n"));
      await w.close(); // half-close: cat sees EOF
      assert.equal(await out, "hello\nworld\n");
      assert.equal(await err, "");
      assert.equal(await c.waitContainer(id), 0);
      s.close();

      const logs = await c.logs(id);
      assert.deepEqual(logs.map((l) => l.line), ["hello", "world"]);
      const listed = await c.listContainers(labels);
      assert.deepEqual(listed.map((e) => e.Id), [id]);
      assert.equal(listed[0].State, "exited");
      assert.equal((await c.listContainers({ "mcp-router.test": `${RUN_ID}-none` })).length, 0);
      const inspected = await c.inspectContainer(id);
      assert.equal(inspected.State.Running, false);
      assert.equal(inspected.State.ExitCode, 0);
    } finally {
      await c.removeContainer(id, { force: true });
      c.close();
    }
  },
});

Deno.test({
  name: `podman client - missing image is a PodmanError with Podman's message${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const c = client();
    try {
      await assert.rejects(
        c.createContainer({ image: "localhost/no-such-image:missing", command: ["true"] }),
        (err: unknown) => {
          assert.ok(err instanceof PodmanError);
          assert.ok(err.status >= 400, `status ${err.status}`);
          assert.match(err.message, /no-such-image/);
          return true;
        },
      );
      await assert.rejects(c.inspectContainer("no-such-container-xyz"), (err: unknown) => {
        assert.ok(err instanceof PodmanError && err.notFound);
        return true;
      });
      await assert.rejects(c.attach("no-such-container-xyz"), (err: unknown) => {
        assert.ok(err instanceof PodmanError && err.notFound, String(err));
        return true;
      });
    } finally {
      c.close();
    }
  },
});

Deno.test({
  name: `podman client - calls time out${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const c = client();
    const id = await c.createContainer({
      image: BASE_IMAGE,
      command: ["sleep", "30"],
      labels: { "mcp-router.test": RUN_ID, "mcp-router.case": "timeout" },
      netns: { nsmode: "none" },
    });
    try {
      await c.startContainer(id);
      const started = Date.now();
      await assert.rejects(c.waitContainer(id, { timeoutMs: 300 }), (err: unknown) => {
        assert.ok(err instanceof PodmanError);
        assert.equal(err.kind, "timeout");
        return true;
      });
      assert.ok(Date.now() - started < 5000);
    } finally {
      await c.removeContainer(id, { force: true });
      c.close();
    }
  },
});

Deno.test({
  name: "podman client - unreachable socket is a PodmanError",
  sanitizeResources: false,
  fn: async () => {
    const c = new PodmanClient("/nonexistent/podman.sock", { timeoutMs: 2000 });
    try {
      await assert.rejects(c.info(), (err: unknown) => {
        assert.ok(err instanceof PodmanError);
        assert.equal(err.kind, "unreachable");
        return true;
      });
    } finally {
      c.close();
    }
  },
});

Deno.test({
  name:
    `podman client - the limits decision agrees with Podman, whose create warnings are logged${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const c = client();
    const lines: string[] = [];
    const previous = setLogSink((line) => lines.push(line));
    let id = "";
    try {
      const engine = engineInfoFrom(await c.info());
      id = await c.createContainer({
        image: BASE_IMAGE,
        command: ["true"],
        labels: { "mcp-router.test": RUN_ID, "mcp-router.case": "limits" },
        netns: { nsmode: "none" },
        resource_limits: { memory: { limit: 64 * 1024 * 1024 }, pids: { limit: 64 } },
      });
      const warned = lines.filter((l) => l.includes("podman create warnings"));
      if (engine.enforcedLimits.includes("memory")) {
        assert.deepEqual(warned, [], "Podman ignored limits the router thinks hold");
      } else {
        // Where the router says limits do not hold, Podman says so too, and the log shows it.
        assert.match(engine.limits, /^unsupported: /);
        assert.equal(warned.length, 1, lines.join("\n"));
        assert.match(warned[0], /ignored|not supported/i);
      }
    } finally {
      setLogSink(previous);
      if (id) await c.removeContainer(id, { force: true });
      c.close();
    }
  },
});
