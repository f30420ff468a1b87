/** @module Tests for deterministic plans from npx/uvx/image/URL sources. */
import assert from "node:assert/strict";
import {
  classifySource,
  planFromSource,
  SourceError,
} from "../../../server/analyzer/source_plan.ts";
import { deriveServerNames } from "../../../server/analyzer/server_names.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";

Deno.test("source_plan - classifies sources", () => {
  assert.equal(classifySource("https://github.com/a/b"), "github");
  assert.equal(classifySource("github.com/a/b"), "github");
  assert.equal(classifySource("git@github.com:a/b.git"), "github");
  assert.equal(classifySource("npx:@scope/pkg"), "npx");
  assert.equal(classifySource("uvx:mcp-server-fetch"), "uvx");
  assert.equal(classifySource("image:ghcr.io/x/y:1"), "image");
  assert.equal(classifySource("https://mcp.neon.tech/mcp"), "remote");
  assert.equal(classifySource("ftp://x"), "invalid");
  assert.equal(classifySource(""), "invalid");
  assert.equal(classifySource("hello"), "invalid");
});

Deno.test("source_plan - npx scoped package with version and args", () => {
  const plan = planFromSource("npx:@modelcontextprotocol/server-everything@1.2.0 --flag x");
  assert.equal(plan.runtime, "npx");
  assert.equal(plan.command, "npx");
  assert.deepEqual(plan.args, [
    "-y",
    "@modelcontextprotocol/server-everything@1.2.0",
    "--flag",
    "x",
  ]);
  assert.equal(plan.package, "@modelcontextprotocol/server-everything@1.2.0");
  assert.equal(plan.name, "everything");
  assert.equal(plan.display_name, "Everything");
  assert.equal(plan.source, "deterministic");
  assert.deepEqual(plan.origin, {
    kind: "npx",
    ref: "npx:@modelcontextprotocol/server-everything@1.2.0 --flag x",
  });
  PlanSchema.parse(plan);
});

Deno.test("source_plan - uvx package", () => {
  const plan = planFromSource("uvx:mcp-server-fetch");
  assert.equal(plan.runtime, "uvx");
  assert.equal(plan.command, "uvx");
  assert.deepEqual(plan.args, ["mcp-server-fetch"]);
  assert.equal(plan.package, "mcp-server-fetch");
  assert.equal(plan.name, "fetch");
  assert.equal(plan.display_name, "Fetch");
});

Deno.test("source_plan - image reference", () => {
  const plan = planFromSource("image:docker.io/sonarsource/sonarqube-mcp:1.2");
  assert.equal(plan.runtime, "image");
  assert.equal(plan.image, "docker.io/sonarsource/sonarqube-mcp:1.2");
  assert.equal(plan.command, null);
  assert.equal(plan.name, "sonarqube");
  assert.equal(plan.display_name, "SonarQube");
  PlanSchema.parse(plan);
});

Deno.test("source_plan - remote URLs pick http or sse", () => {
  const http = planFromSource("https://mcp.neon.tech/mcp");
  assert.equal(http.runtime, "remote");
  assert.equal(http.transport, "http");
  assert.equal(http.url, "https://mcp.neon.tech/mcp");
  assert.equal(http.command, null);
  assert.equal(http.name, "neon");
  const sse = planFromSource("https://example.com/sse/");
  assert.equal(sse.transport, "sse");
});

Deno.test("source_plan - rejects invalid sources with SourceError", () => {
  for (
    const bad of [
      "",
      "npx:",
      "npx:bad$name",
      "uvx:??",
      "image:UPPER/Case",
      "ftp://x",
      "https://github.com/a/b",
      "https://u:p@x.io/mcp",
    ]
  ) {
    assert.throws(() => planFromSource(bad), SourceError, bad);
  }
});

Deno.test("source_plan - derived names are valid server names", () => {
  const npm = (spec: string) => deriveServerNames({ kind: "npm", spec }).name;
  assert.equal(npm("@scope/Some_Pkg@2"), "some-pkg");
  assert.equal(npm("x".repeat(80)).length, 48);
  assert.equal(npm("___"), "server");
});
