/**
 * @module Edge error mapper tests: every typed error of the layers below becomes one HTTP error.
 */
import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { errorResponse, toHttpError } from "../../../server/app/error_response.ts";
import { AppError } from "../../../server/errors.ts";
import { PodmanError } from "../../../runtime/podman/errors.ts";
import { SandboxError } from "../../../sandbox/errors.ts";
import { DownstreamError } from "../../../server/mcp/downstream/errors.ts";

Deno.test("error response - podman errors map to app errors", () => {
  assert.equal(toHttpError(new PodmanError("gone", { kind: "unreachable" })).status, 503);
  assert.equal(toHttpError(new PodmanError("slow", { kind: "timeout" })).status, 504);
  assert.equal(toHttpError(new PodmanError("nope", { status: 404 })).code, "not_found");
  const other = toHttpError(new PodmanError("boom", { status: 500 }));
  assert.equal(other.status, 502);
  assert.equal(other.code, "upstream_failed");
});

Deno.test("error response - podman messages and details", () => {
  const gone = toHttpError(new PodmanError("no socket", { kind: "unreachable" }));
  assert.equal(gone.code, "runtime_unavailable");
  assert.equal(gone.message, "container runtime unavailable: no socket");
  const slow = toHttpError(new PodmanError("GET /x", { kind: "timeout" }));
  assert.equal(slow.code, "upstream_failed");
  assert.equal(slow.message, "container runtime timed out: GET /x");
  assert.deepEqual(toHttpError(new PodmanError("boom", { status: 500 })).details, { status: 500 });
});

Deno.test("error response - sandbox errors map by kind", () => {
  const issues = [{ path: "code", message: "required" }];
  const bad = toHttpError(new SandboxError("invalid_input", "invalid args", { details: issues }));
  assert.equal(bad.status, 400);
  assert.equal(bad.code, "validation_failed");
  assert.deepEqual(bad.details, issues);
  const raced = toHttpError(new SandboxError("conflict", "session ended"));
  assert.equal(raced.status, 409);
  assert.equal(raced.code, "conflict");
  const down = toHttpError(new SandboxError("unavailable", "sandbox is shut down"));
  assert.equal(down.status, 503);
  assert.equal(down.code, "runtime_unavailable");
  assert.equal(down.message, "sandbox is shut down");
});

Deno.test("error response - downstream errors map by kind", () => {
  const slow = toHttpError(new DownstreamError("late", { kind: "timeout", serverId: "s1" }));
  assert.equal(slow.status, 504);
  assert.equal(slow.code, "upstream_failed");
  assert.deepEqual(slow.details, { kind: "timeout", serverId: "s1" });
  assert.equal(toHttpError(new DownstreamError("full", { kind: "capacity" })).status, 503);
  assert.equal(toHttpError(new DownstreamError("bad", { kind: "config" })).status, 400);
});

Deno.test("error response - app, zod and hono errors; anything else is a bare 500", async () => {
  const own = new AppError("conflict", 409, "taken");
  assert.equal(toHttpError(own), own);
  const zod = z.object({ a: z.string() }).safeParse({});
  assert.ok(!zod.success);
  const invalid = toHttpError(zod.error);
  assert.equal(invalid.status, 400);
  assert.equal(invalid.code, "validation_failed");
  assert.deepEqual((invalid.details as { path: string }[]).map((i) => i.path), ["a"]);
  assert.equal(
    toHttpError(new HTTPException(413, { message: "too big" })).code,
    "payload_too_large",
  );
  assert.equal(
    toHttpError(new HTTPException(400, { message: "Malformed JSON" })).code,
    "invalid_json",
  );
  const res = errorResponse(new Error("secret detail"));
  assert.equal(res.status, 500);
  const body = await res.json();
  assert.deepEqual(body, { error: { code: "internal", message: "internal error" } });
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
});
