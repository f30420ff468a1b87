import { exitCodeOf } from "../../runtime/sessions.ts";
import assert from "node:assert/strict";
import {
  BUILD_CA_FILE,
  contentTag,
  ensureImageFromContainerfile,
  ensureRuntimeImage,
  repoOf,
  runtimeImageTag,
} from "../../runtime/images.ts";
import { PodmanBackend } from "../../runtime/podman/backend.ts";
import { PodmanClient } from "../../runtime/podman/client.ts";
import { testSettings } from "../../server/settings.ts";
import { initializeRequest } from "../helpers.ts";
import {
  BASE_IMAGE,
  LIVE_NOTE,
  LIVE_OPTS,
  LIVE_SOCKET,
  NO_PODMAN,
  RUN_ID,
  testContainerSpec,
} from "./podman/live.ts";

Deno.test("images - repoOf strips tags and digests but not registry ports", () => {
  assert.equal(repoOf("localhost/a:1"), "localhost/a");
  assert.equal(repoOf("localhost:5000/a"), "localhost:5000/a");
  assert.equal(repoOf("localhost:5000/a:tag"), "localhost:5000/a");
  assert.equal(repoOf("docker.io/library/debian@sha256:abc"), "docker.io/library/debian");
});

Deno.test("images - content tag is stable and covers text, files and args, not the CA", async () => {
  const req = {
    name: "localhost/x:old",
    containerfile: "FROM a\nRUN true\n",
    contextFiles: { "f.txt": "1", [BUILD_CA_FILE]: "ca-one" },
    buildArgs: { BASE_IMAGE: "localhost/base:1" },
  };
  const tag = await contentTag(req);
  assert.match(tag, /^localhost\/x:[0-9a-f]{12}$/);
  assert.equal(await contentTag({ ...req }), tag);
  assert.equal(
    await contentTag({ ...req, contextFiles: { "f.txt": "1", [BUILD_CA_FILE]: "ca-2" } }),
    tag,
  );
  assert.notEqual(await contentTag({ ...req, containerfile: "FROM a\nRUN false\n" }), tag);
  assert.notEqual(await contentTag({ ...req, contextFiles: { "f.txt": "2" } }), tag);
  assert.notEqual(await contentTag({ ...req, buildArgs: { BASE_IMAGE: "localhost/base:2" } }), tag);
  // Key order does not matter.
  assert.equal(
    await contentTag({ ...req, contextFiles: { b: "1", a: "2" } }),
    await contentTag({ ...req, contextFiles: { a: "2", b: "1" } }),
  );
});

Deno.test("images - runtime image tags depend on the base image setting", async () => {
  const a = await runtimeImageTag("node", testSettings());
  const b = await runtimeImageTag(
    "node",
    testSettings({ baseImage: "docker.io/library/debian:bookworm-slim" }),
  );
  assert.match(a, /^localhost\/mcp-router-node:[0-9a-f]{12}$/);
  assert.notEqual(a, b);
  assert.match(await runtimeImageTag("uv", testSettings()), /^localhost\/mcp-router-uv:/);
});

Deno.test({
  name:
    `images - build from a Containerfile, reuse when unchanged, rebuild when changed${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const settings = testSettings({ podmanSocket: LIVE_SOCKET, baseImage: BASE_IMAGE });
    const client = new PodmanClient(LIVE_SOCKET!);
    const deps = { settings, client };
    const containerfile = (n: number) =>
      `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nCOPY hello.txt /hello.txt\n` +
      `RUN --mount=type=bind,source=${BUILD_CA_FILE},target=/tmp/ca.crt test -f /tmp/ca.crt && cat /hello.txt && echo step-${n}\n`;
    const name = `localhost/mcp-router-selftest-${RUN_ID}`;
    const tags: string[] = [];
    try {
      const logs: string[] = [];
      const tag = await ensureImageFromContainerfile(deps, {
        name,
        containerfile: containerfile(1),
        contextFiles: { "hello.txt": `hello ${RUN_ID}\n` },
      }, { onLog: (l) => logs.push(l) });
      tags.push(tag);
      assert.ok(tag.startsWith(`${name}:`));
      assert.ok(await client.imageExists(tag));
      assert.ok(logs.some((l) => l.includes(`hello ${RUN_ID}`)), logs.join("\n"));
      assert.ok(logs.some((l) => l.trim() === "step-1"));

      const again: string[] = [];
      const same = await ensureImageFromContainerfile(deps, {
        name,
        containerfile: containerfile(1),
        contextFiles: { "hello.txt": `hello ${RUN_ID}\n` },
      }, { onLog: (l) => again.push(l) });
      assert.equal(same, tag);
      assert.deepEqual(again, [], "an unchanged Containerfile must not rebuild");

      const changed = await ensureImageFromContainerfile(deps, {
        name,
        containerfile: containerfile(2),
        contextFiles: { "hello.txt": `hello ${RUN_ID}\n` },
      });
      tags.push(changed);
      assert.notEqual(changed, tag);
      assert.ok(await client.imageExists(changed));

      await assert.rejects(
        ensureImageFromContainerfile(deps, {
          name,
          containerfile: `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nRUN exit 3\n`,
        }),
        /build .*(exit|status)/i,
      );
    } finally {
      for (const t of tags) await client.removeImage(t, { force: true }).catch(() => {});
      client.close();
    }
  },
});

Deno.test({
  name: `images - node runtime image has Node >= 20 and npm; uv image has uv${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const settings = testSettings({ podmanSocket: LIVE_SOCKET, baseImage: BASE_IMAGE });
    const b = PodmanBackend.fromSettings(settings);
    const deps = { settings, client: b.client };
    try {
      for (
        const [kind, cmd, pattern] of [
          [
            "node",
            "node --version && npm --version && id -un",
            /^v(\d+)\.\d+\.\d+\n\d+\.\d+\.\d+\nmcp\n$/,
          ],
          [
            "uv",
            "uv --version && uvx --version && python3 --version",
            /^uv 0\.\d+.*\nuv(x)? .*\nPython 3\.\d+/,
          ],
        ] as const
      ) {
        const tag = await ensureRuntimeImage(kind, deps);
        assert.equal(tag, await runtimeImageTag(kind, settings));
        const id = await b.create(testContainerSpec({ image: tag, command: ["sh", "-c", cmd] }));
        try {
          await b.start(id);
          assert.equal(await exitCodeOf(b, id, { waitMs: 600_000 }), 0);
          const out = (await b.logs(id)).join("\n") + "\n";
          const m = pattern.exec(out);
          assert.ok(m, `${kind}: ${out}`);
          if (kind === "node") assert.ok(Number(m[1]) >= 20, out);
        } finally {
          await b.remove(id);
        }
      }
    } finally {
      b.close();
    }
  },
});

Deno.test({
  name:
    `images - npx and uvx MCP servers answer initialize in hardened runtime containers${LIVE_NOTE}`,
  ignore: NO_PODMAN || Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1",
  ...LIVE_OPTS,
  fn: async () => {
    const settings = testSettings({ podmanSocket: LIVE_SOCKET, baseImage: BASE_IMAGE });
    const b = PodmanBackend.fromSettings(settings);
    const ca = settings.caBundle;
    const init = JSON.stringify(initializeRequest()) + "\n";
    try {
      for (
        const [kind, command, serverName] of [
          ["node", ["npx", "-y", "@modelcontextprotocol/server-everything"], /everything/],
          ["uv", ["uvx", "mcp-server-time"], /time/],
        ] as const
      ) {
        const image = await ensureRuntimeImage(kind, { settings, client: b.client });
        const id = await b.create({
          image,
          command: [...command],
          env: { NODE_EXTRA_CA_CERTS: ca, SSL_CERT_FILE: ca, REQUESTS_CA_BUNDLE: ca },
          labels: { "mcp-router.test": RUN_ID },
          stdin: true,
          user: "1000:1000",
          readOnlyMounts: [{ source: ca, destination: "/etc/ssl/certs/ca-certificates.crt" }],
          tmpfs: ["/tmp", "/home/mcp"],
          volumes: [],
          publish: [],
          network: "default",
          limits: { nofile: 4096, pids: 512 },
          readOnlyRoot: true,
        });
        try {
          const s = await b.attach(id);
          await b.start(id);
          s.stderr.cancel();
          const w = s.stdin.getWriter();
          await w.write(new TextEncoder().encode(init));
          let text = "";
          const reader = s.stdout.getReader();
          const deadline = Date.now() + 90_000;
          while (!text.includes("\n") && Date.now() < deadline) {
            const { value, done } = await reader.read();
            if (done) break;
            text += new TextDecoder().decode(value);
          }
          const reply = JSON.parse(text.split("\n")[0]);
          assert.equal(reply.id, 1, text);
          assert.match(reply.result.serverInfo.name, serverName);
          s.close();
        } finally {
          await b.remove(id);
        }
      }
    } finally {
      b.close();
    }
  },
});
