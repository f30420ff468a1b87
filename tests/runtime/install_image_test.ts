import assert from "node:assert/strict";
import {
  installHash,
  runtimeKindFor,
  serverImageRecipe,
  serverImageTag,
  shellQuote,
} from "../../runtime/install_image.ts";
import type { ServerRecord } from "../../server/schemas/server.ts";
import { serverRecord } from "../helpers.ts";
import { testSettings } from "../../server/settings.ts";

function record(overrides: Record<string, unknown>): ServerRecord {
  return serverRecord({ args: ["-y", "@modelcontextprotocol/server-memory"], ...overrides });
}

const NODE_IMAGES = {
  fromImage: "localhost/mcp-router-node:abc",
  toolchainImage: "localhost/mcp-router-node-build:def",
};
const UV_IMAGES = {
  fromImage: "localhost/mcp-router-uv:abc",
  toolchainImage: "localhost/mcp-router-uv-build:def",
};

/** The two stages of a recipe: the install (toolchain) and the runtime. */
function stages(containerfile: string): { install: string; runtime: string } {
  const [install, runtime, ...rest] = containerfile.split(/^(?=FROM )/m).filter((s) =>
    s.startsWith("FROM ")
  );
  assert.equal(rest.length, 0, containerfile);
  return { install, runtime };
}

Deno.test("install image - npx recipe installs at build time and links the entry", () => {
  const r = serverImageRecipe(record({}), NODE_IMAGES);
  assert.equal(r.name, "localhost/mcp-router-srv-demo");
  assert.match(r.containerfile, /^FROM localhost\/mcp-router-node:abc$/m);
  assert.match(
    r.containerfile,
    /npm install --prefix \/opt\/server .* @modelcontextprotocol\/server-memory/,
  );
  assert.match(r.containerfile, /resolve-bin\.cjs @modelcontextprotocol\/server-memory/);
  assert.match(r.containerfile, /--mount=type=bind,source=build-ca\.crt/);
  assert.match(r.containerfile, /^USER 1000:1000$/m);
  assert.ok("resolve-bin.cjs" in r.contextFiles);
});

Deno.test("install image - uvx recipe uses uv tool install", () => {
  const r = serverImageRecipe(
    record({ runtime: "uvx", command: "uvx", args: ["mcp-server-time"] }),
    UV_IMAGES,
  );
  assert.match(r.containerfile, /uv tool install mcp-server-time/);
  assert.match(
    r.containerfile,
    /ENV PATH=\/opt\/server\/bin:\/opt\/uv\/tools\/mcp-server-time\/bin:\$PATH/,
  );
});

Deno.test("install image - a uvx plan running `python -m mod` finds the package's venv python first", () => {
  const r = serverImageRecipe(
    record({
      runtime: "uvx",
      command: "python",
      args: ["-m", "mcp_simple_pubmed"],
      package: "mcp-simple-pubmed",
    }),
    UV_IMAGES,
  );
  assert.match(r.containerfile, /uv tool install mcp-simple-pubmed/);
  assert.match(
    r.containerfile,
    /ENV PATH=\/opt\/server\/bin:\/opt\/uv\/tools\/mcp-simple-pubmed\/bin:\$PATH/,
  );
});

Deno.test("install image - source recipe runs each install step (multi-line kept intact)", () => {
  const r = serverImageRecipe(
    record({
      runtime: "source",
      command: "node",
      args: ["index.js"],
      install: ["npm ci", "if true; then\n  echo ok\nfi"],
    }),
    { fromImage: "base", toolchainImage: "base-build" },
  );
  assert.match(r.containerfile, /WORKDIR \/opt\/server/);
  const runs = r.containerfile.split("\n").filter((l) => l.includes('["/bin/sh","-c"'));
  assert.equal(runs.length, 2);
  assert.ok(runs[1].includes("if true; then\\n  echo ok\\nfi"));
});

Deno.test("install image - runtime kind for source plans", () => {
  assert.equal(runtimeKindFor(record({ runtime: "source", command: "node", install: [] })), "node");
  assert.equal(runtimeKindFor(record({ runtime: "source", command: "python", install: [] })), "uv");
  assert.equal(
    runtimeKindFor(record({ runtime: "source", command: "./srv", install: ["make"] })),
    "base",
  );
  assert.throws(() => runtimeKindFor(record({ runtime: "image", image: "x", command: null })));
});

Deno.test("install image - editing the plan changes the tag; same plan same tag", async () => {
  const settings = testSettings();
  const a = await serverImageTag(record({}), settings);
  const b = await serverImageTag(record({}), settings);
  const c = await serverImageTag(
    record({ args: ["-y", "@modelcontextprotocol/server-memory@1.0.0"] }),
    settings,
  );
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.match(a, /^localhost\/mcp-router-srv-demo:[0-9a-f]{12}$/);
  assert.notEqual(installHash(record({})), installHash(record({ args: ["-y", "other"] })));
});

Deno.test("install image - shell quoting", () => {
  assert.equal(shellQuote("@a/b@1.2"), "@a/b@1.2");
  assert.equal(shellQuote("a b"), "'a b'");
  assert.equal(shellQuote("it's"), `'it'"'"'s'`);
});

Deno.test("install image - the install runs in the toolchain, the result runs on the runtime", () => {
  for (
    const [server, images] of [
      [record({}), NODE_IMAGES],
      [record({ runtime: "uvx", command: "uvx", args: ["mcp-server-git"] }), UV_IMAGES],
      [
        record({ runtime: "source", command: "node", args: ["x.js"], install: ["npm ci"] }),
        NODE_IMAGES,
      ],
    ] as const
  ) {
    const { install, runtime } = stages(serverImageRecipe(server, images).containerfile);
    assert.match(install, new RegExp(`^FROM ${images.toolchainImage} AS install$`, "m"));
    assert.match(install, /npm install|uv tool install|npm ci/);
    // The install lists the Debian packages of the libraries its native code links against …
    assert.match(install, /xargs -0 -r ldd .* dpkg -S .*> \/opt\/mcp-router\/runtime-packages/);
    // … and the runtime stage copies /opt and installs only the missing ones, nothing else.
    assert.match(runtime, new RegExp(`^FROM ${images.fromImage}$`, "m"));
    assert.match(runtime, /^COPY --from=install \/opt \/opt$/m);
    assert.match(runtime, /dpkg-query -W -f='\$\{Status\}\\n' "\$p"/);
    assert.doesNotMatch(runtime, /npm install|uv tool install|npm ci|build-essential/);
    assert.match(runtime, /^USER 1000:1000$/m);
    assert.match(runtime, /^LABEL mcp-router=1 /m);
  }
});

Deno.test("install image - an as-of resolution sets uv's exclude-newer cut-off and a new tag", async () => {
  const fresh = record({ runtime: "uvx", command: "uvx", args: ["mcp-server-git"] });
  const asOf = { ...fresh, install_resolution: "as-of 2025-12-31" };
  assert.doesNotMatch(serverImageRecipe(fresh, UV_IMAGES).containerfile, /EXCLUDE_NEWER/);
  assert.match(
    serverImageRecipe(asOf, UV_IMAGES).containerfile,
    /UV_EXCLUDE_NEWER=2026-01-01T00:00:00Z uv tool install mcp-server-git/,
  );
  const settings = testSettings();
  assert.notEqual(await serverImageTag(fresh, settings), await serverImageTag(asOf, settings));
  assert.notEqual(installHash(fresh), installHash(asOf));
  // Records without the field keep the hash they had.
  assert.equal(installHash(fresh), installHash({ ...fresh, install_resolution: null }));
});

Deno.test("install image - the tag follows the toolchain and runtime images", async () => {
  const server = record({});
  const a = await serverImageTag(server, testSettings());
  const b = await serverImageTag(
    server,
    testSettings({ baseImage: "localhost/other-base:trixie" }),
  );
  assert.notEqual(a, b);
});
