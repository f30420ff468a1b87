import assert from "node:assert/strict";
import { createdTaskId, TaskRoutes } from "../../../../server/mcp/bridge/task_routes.ts";

const route = { serverId: "s1", serverName: "conformance", sessionId: "unit-a" };

Deno.test("TaskRoutes - a task is found only by the principal that created it", () => {
  const routes = new TaskRoutes();
  routes.remember("key:a", "t1", route, 60_000);
  assert.deepEqual(routes.find("key:a", "t1"), route);
  assert.equal(routes.find("key:b", "t1"), undefined);
  assert.equal(routes.find("local", "t1"), undefined);
  assert.equal(routes.find("key:a", "t2"), undefined);
});

Deno.test("TaskRoutes - entries expire after the task's ttl (plus grace), capped", () => {
  let now = 0;
  const routes = new TaskRoutes({ now: () => now, maxTtlMs: 120_000, defaultTtlMs: 5_000 });
  routes.remember("p", "short", route, 1_000);
  routes.remember("p", "long", route, 10_000_000);
  routes.remember("p", "unnamed", route);
  now = 5_001;
  assert.equal(routes.find("p", "unnamed"), undefined, "default ttl");
  assert.ok(routes.find("p", "short"), "ttl plus a minute of grace");
  now = 61_001;
  assert.equal(routes.find("p", "short"), undefined);
  assert.ok(routes.find("p", "long"));
  now = 120_001;
  assert.equal(routes.find("p", "long"), undefined, "capped at maxTtlMs");
});

Deno.test("TaskRoutes - bounded: the oldest entries go first; over-long ids are not kept", () => {
  const routes = new TaskRoutes({ maxEntries: 2 });
  routes.remember("p", "a", route);
  routes.remember("p", "b", route);
  routes.remember("p", "c", route);
  assert.equal(routes.size, 2);
  assert.equal(routes.find("p", "a"), undefined);
  assert.ok(routes.find("p", "c"));
  routes.remember("p", "x".repeat(600), route);
  assert.equal(routes.find("p", "x".repeat(600)), undefined);
});

Deno.test("createdTaskId - only a CreateTaskResult names a task", () => {
  assert.equal(createdTaskId({ resultType: "task", taskId: "t1", status: "working" }), "t1");
  assert.equal(createdTaskId({ resultType: "complete", taskId: "t1" }), undefined);
  assert.equal(createdTaskId({ resultType: "task", taskId: "" }), undefined);
  assert.equal(createdTaskId({ content: [] }), undefined);
  assert.equal(createdTaskId(null), undefined);
});
