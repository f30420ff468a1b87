import assert from "node:assert/strict";
import { SessionCounter, ToolCallLimiter } from "../../../server/mcp/limits.ts";

Deno.test("Limits - tool calls per minute per actor", () => {
  const limiter = new ToolCallLimiter(3);
  const t = 1_000_000;
  assert.ok(limiter.take("key:a", t));
  assert.ok(limiter.take("key:a", t + 1));
  assert.ok(limiter.take("key:a", t + 2));
  assert.equal(limiter.take("key:a", t + 3), false);
  assert.ok(limiter.take("key:b", t + 3), "other actors have their own budget");
  assert.ok(limiter.take("key:a", t + 60_001), "the window slides");
});

Deno.test("Limits - sessions per key; local sessions are not counted", () => {
  const counter = new SessionCounter(2);
  assert.ok(counter.acquire("k"));
  assert.ok(counter.acquire("k"));
  assert.equal(counter.acquire("k"), false);
  counter.release("k");
  assert.ok(counter.acquire("k"));
  for (let i = 0; i < 10; i++) assert.ok(counter.acquire(null));
});
