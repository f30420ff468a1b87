import assert from "node:assert/strict";
import { ContainerSlots } from "../../runtime/sessions.ts";

Deno.test("sessions - slots enforce total and per-server caps", async () => {
  const slots = new ContainerSlots(3, 2);
  const a1 = slots.tryAcquire("a")!;
  const a2 = slots.tryAcquire("a")!;
  assert.equal(slots.tryAcquire("a"), null);
  const b1 = slots.tryAcquire("b")!;
  assert.equal(slots.tryAcquire("c"), null);
  assert.equal(slots.count(), 3);
  assert.equal(await slots.acquire("c", { waitMs: 50 }), null);
  const waiting = slots.acquire("c", { waitMs: 2_000 });
  a1();
  a1(); // double release is harmless
  const c1 = await waiting;
  assert.ok(c1);
  assert.equal(slots.count(), 3);
  assert.equal(slots.count("a"), 1);
  a2();
  b1();
  c1!();
  assert.equal(slots.count(), 0);
});
