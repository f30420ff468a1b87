import assert from "node:assert/strict";
import { testSettings } from "../../../server/settings.ts";
import { DownstreamPool } from "../../../server/mcp/downstream/pool.ts";
import { DownstreamError } from "../../../server/mcp/downstream/errors.ts";
import { ContainerSlots } from "../../../runtime/sessions.ts";
import { registry } from "../../../server/observability/metrics.ts";
import { registerCapacityGauges } from "../../../server/observability/capacity_metrics.ts";
import { recordAuthFailure } from "../../../server/observability/auth_metrics.ts";
import { toolErrorKind } from "../../../server/observability/error_kinds.ts";
import { SandboxError } from "../../../sandbox/errors.ts";
import { AppError } from "../../../server/errors.ts";
import { echoRecord, ProcessBackend } from "../mcp/downstream/process_backend.ts";

const server = echoRecord();

Deno.test("Capacity metrics - pool containers go starting, idle, busy, stopping", async () => {
  const pool = new DownstreamPool({
    settings: testSettings({ startTimeoutMs: 20_000, callTimeoutMs: 10_000 }),
    backend: new ProcessBackend(),
  });
  try {
    const ready = pool.get("s1", server, {});
    assert.equal(pool.containerStates().starting, 1);
    const conn = await ready;
    assert.deepEqual(pool.containerStates(), { starting: 0, busy: 0, idle: 1, stopping: 0 });
    await conn.run(() => {
      assert.equal(pool.containerStates().busy, 1);
      return Promise.resolve();
    });
    const closing = pool.endSession("s1");
    assert.equal(pool.containerStates().stopping, 1);
    await closing;
    assert.deepEqual(pool.containerStates(), { starting: 0, busy: 0, idle: 0, stopping: 0 });
  } finally {
    await pool.shutdown();
  }
});

Deno.test("Capacity metrics - slot waits are observed and waiters counted", async () => {
  const waits: [number, boolean][] = [];
  const slots = new ContainerSlots(1, 1, { waited: (s, ok) => waits.push([s, ok]) });
  const held = slots.tryAcquire("a")!;
  assert.ok(await slots.acquire("b", { waitMs: 0 }) === null);
  const waiting = slots.acquire("b", { waitMs: 2_000 });
  assert.equal(slots.waiting, 1);
  registerCapacityGauges(() => ({
    states: { starting: 0, busy: 1, idle: 2, stopping: 0 },
    waiting: slots.waiting,
  }));
  const text = await registry.metrics();
  assert.match(text, /mcp_router_slot_waiters 1/);
  assert.match(text, /mcp_router_containers\{state="idle"\} 2/);
  assert.match(text, /mcp_router_containers\{state="stopping"\} 0/);
  held();
  const release = await waiting;
  assert.ok(release);
  release!();
  assert.equal(slots.waiting, 0);
  assert.equal(waits.length, 2);
  assert.equal(waits[0][1], false, "the zero wait got no slot");
  assert.equal(waits[1][1], true);
  assert.ok(await slots.acquire("c", { waitMs: 100 }), "a free slot is taken at once");
  assert.equal(waits.length, 2, "taking a free slot is not a wait");
});

Deno.test("Capacity metrics - auth failure reasons start at zero", async () => {
  recordAuthFailure("invalid_key");
  const text = await registry.metrics();
  assert.match(text, /mcp_router_auth_failures_total\{reason="bad_login"\} 0/);
  assert.match(text, /mcp_router_auth_failures_total\{reason="invalid_key"\} [1-9]/);
});

Deno.test("Error kinds - thrown failures map to a bounded kind", () => {
  assert.equal(toolErrorKind(new DownstreamError("x", { kind: "timeout" })), "timeout");
  assert.equal(toolErrorKind(new DownstreamError("x", { kind: "capacity" })), "capacity");
  assert.equal(toolErrorKind(new SandboxError("invalid_input", "x")), "invalid_params");
  assert.equal(toolErrorKind(new SandboxError("unavailable", "x")), "start_failed");
  assert.equal(toolErrorKind(new AppError("rate_limited", 429, "x")), "rate_limited");
  assert.equal(toolErrorKind(new AppError("validation_failed", 400, "x")), "config");
  assert.equal(toolErrorKind(new Error("boom")), "internal");
  assert.equal(toolErrorKind("not even an error"), "internal");
});
