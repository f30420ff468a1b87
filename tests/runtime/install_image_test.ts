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

Deno.test("install image - npx recipe installs at build time and links the entry", () => {
  const r = serverImageRecipe(record({}), { fromImage: "localhost/mcp-router-node:abc" });
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
    { fromImage: "localhost/mcp-router-uv:abc" },
  );
  assert.match(r.containerfile, /uv tool install mcp-server-time/);
  assert.match(
    r.containerfile,
    /ENV PATH=\/opt\/server\/bin:\/opt\/uv\/tools\/mcp-server-time\/bin:\$PATH/,
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
    { fromImage: "base" },
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
