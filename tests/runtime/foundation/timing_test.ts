/**
 * @module Timing tests: the abortable sleep and the poll loop's deadline, attempts and abort.
 */
import assert from "node:assert/strict";
import { pollUntil, sleep } from "../../../runtime/foundation/timing.ts";

Deno.test("timing - sleep waits about the given time", async () => {
  const started = performance.now();
  await sleep(30);
  assert.ok(performance.now() - started >= 25);
  await sleep(-5); // negative counts as zero
});

Deno.test("timing - sleep rejects with the signal's reason, also when already aborted", async () => {
  const ctrl = new AbortController();
  const waiting = sleep(10_000, ctrl.signal);
  ctrl.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
  await assert.rejects(sleep(10, ctrl.signal), /stop/);
});

Deno.test("timing - pollUntil returns the first defined result, null included", async () => {
  let calls = 0;
  const value = await pollUntil(() => ++calls >= 3 ? "ready" : undefined, { intervalMs: 1 });
  assert.equal(value, "ready");
  assert.equal(calls, 3);
  assert.equal(await pollUntil(() => null, { intervalMs: 1 }), null);
  assert.equal(await pollUntil(async () => await Promise.resolve(0), { intervalMs: 1 }), 0);
});

Deno.test("timing - pollUntil gives up after the attempts or the deadline", async () => {
  let calls = 0;
  const none = await pollUntil(() => {
    calls++;
    return undefined;
  }, { intervalMs: 1, attempts: 4 });
  assert.equal(none, undefined);
  assert.equal(calls, 4);

  const started = Date.now();
  calls = 0;
  const late = await pollUntil(() => {
    calls++;
    return undefined;
  }, { intervalMs: 10, timeoutMs: 50 });
  assert.equal(late, undefined);
  assert.ok(Date.now() - started >= 50);
  assert.ok(calls >= 2 && calls <= 10, `${calls} probes`);
});

Deno.test("timing - pollUntil stops on abort, cutting the pause short", async () => {
  const ctrl = new AbortController();
  let calls = 0;
  setTimeout(() => ctrl.abort(), 20);
  const started = Date.now();
  const out = await pollUntil(() => {
    calls++;
    return undefined;
  }, { intervalMs: 10_000, signal: ctrl.signal });
  assert.equal(out, undefined);
  assert.equal(calls, 1);
  assert.ok(Date.now() - started < 5_000);
  assert.equal(await pollUntil(() => "x", { intervalMs: 1, signal: ctrl.signal }), undefined);
});

Deno.test("timing - pollUntil with delayFirst pauses before the first probe", async () => {
  const started = performance.now();
  let firstAt = 0;
  await pollUntil(() => {
    firstAt = performance.now() - started;
    return true;
  }, { intervalMs: 30, delayFirst: true });
  assert.ok(firstAt >= 25, `first probe after ${firstAt} ms`);
});

Deno.test("timing - pollUntil lets probe errors through", async () => {
  await assert.rejects(
    pollUntil(() => {
      throw new Error("broken");
    }, { intervalMs: 1 }),
    /broken/,
  );
});
