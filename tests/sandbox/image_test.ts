/**
 * @module Sandbox image recipe tests: inputs, build args and content-hash tag.
 */
import assert from "node:assert/strict";
import { testSettings } from "../../server/settings.ts";
import { KERNEL_MODULES, sandboxImageRequest, sandboxImageTag } from "../../sandbox/image.ts";

Deno.test("Sandbox image - the request carries the kernel package and the build args", async () => {
  const settings = testSettings();
  const req = await sandboxImageRequest(settings);
  assert.equal(req.name, "localhost/mcp-router-sandbox");
  assert.match(req.containerfile, /^FROM \$\{BASE_IMAGE\}$/m);
  assert.match(req.containerfile, /^USER 1000:1000$/m);
  assert.match(String(req.contextFiles?.["kernel/protocol.py"]), /class Kernel/);
  assert.match(String(req.contextFiles?.["kernel/__main__.py"]), /def main/);
  assert.equal(req.buildArgs?.BASE_IMAGE, settings.baseImage);
  assert.equal(req.buildArgs?.DEBIAN_MIRROR, settings.debianMirror);
});

Deno.test("Sandbox image - the tag changes with the base image", async () => {
  const a = await sandboxImageTag(testSettings());
  const b = await sandboxImageTag(
    testSettings({ baseImage: "docker.io/library/debian:bookworm-slim" }),
  );
  assert.match(a, /^localhost\/mcp-router-sandbox:[0-9a-f]{12}$/);
  assert.notEqual(a, b);
  assert.equal(a, await sandboxImageTag(testSettings()));
});

Deno.test("Sandbox image - every module of the kernel package is in the build context", async () => {
  const onDisk: string[] = [];
  for await (const entry of Deno.readDir(new URL("../../sandbox/kernel/", import.meta.url))) {
    if (entry.isFile && entry.name.endsWith(".py")) onDisk.push(entry.name);
  }
  assert.deepEqual([...KERNEL_MODULES].sort(), onDisk.sort());
  const req = await sandboxImageRequest(testSettings());
  assert.deepEqual(
    Object.keys(req.contextFiles ?? {}).sort(),
    onDisk.map((name) => `kernel/${name}`).sort(),
  );
});
