import assert from "node:assert/strict";
import { asOfDate, asOfResolution, excludeNewerOf } from "../../runtime/install_resolution.ts";
import { pythonOfImage, suiteOfImage } from "../../runtime/debian_suite.ts";

Deno.test("install resolution - as-of dates come from upload times (UTC)", () => {
  assert.equal(asOfResolution("2025-12-31T13:24:01.189Z"), "as-of 2025-12-31");
  assert.equal(asOfResolution("2025-12-31T23:30:00-02:00"), "as-of 2026-01-01");
  assert.throws(() => asOfResolution("yesterday"), RangeError);
  assert.equal(asOfDate("as-of 2025-03-14"), "2025-03-14");
  assert.equal(asOfDate("fresh"), null);
});

Deno.test("install resolution - uv's cut-off is the end of that UTC day, as a timestamp", () => {
  assert.equal(excludeNewerOf("as-of 2025-12-31"), "2026-01-01T00:00:00Z");
  assert.equal(excludeNewerOf("as-of 2024-02-28"), "2024-02-29T00:00:00Z");
  assert.equal(excludeNewerOf(null), null);
  assert.equal(excludeNewerOf(undefined), null);
});

Deno.test("debian suite - read from the base image tag", () => {
  assert.equal(suiteOfImage("localhost/mcp-router-base:trixie"), "trixie");
  assert.equal(suiteOfImage("docker.io/library/debian:bookworm-slim"), "bookworm");
  assert.equal(suiteOfImage("docker.io/library/debian:13-slim"), "trixie");
  assert.equal(suiteOfImage("debian:12.5"), "bookworm");
  assert.equal(suiteOfImage("localhost:5000/debian"), null);
  assert.equal(suiteOfImage("docker.io/library/python:3.12-slim"), null);
  assert.equal(pythonOfImage("localhost/mcp-router-base:trixie"), "3.13.5");
  assert.equal(pythonOfImage("localhost/mcp-router-base:bookworm"), "3.11.2");
  assert.equal(pythonOfImage("registry.example/custom:latest"), null);
});
