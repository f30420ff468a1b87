import assert from "node:assert/strict";
import {
  carriedTaskResult,
  carryTaskResponse,
} from "../../../../server/mcp/downstream/task_results.ts";

Deno.test("task results - a CreateTaskResult response is carried as complete and recovered", () => {
  const task = { resultType: "task", taskId: "t1", status: "working", ttlMs: 1000 };
  const carried = carryTaskResponse({ jsonrpc: "2.0", id: 3, result: task }) as {
    id: number;
    result: Record<string, unknown>;
  };
  assert.equal(carried.id, 3);
  assert.equal(carried.result.resultType, "complete");
  assert.deepEqual(carried.result.content, []);
  // What the SDK client hands back (resultType lifted off) still yields the original.
  const { resultType: _r, ...asReturned } = carried.result;
  assert.deepEqual(carriedTaskResult(asReturned), task);
});

Deno.test("task results - other messages and results pass unchanged", () => {
  const complete = { jsonrpc: "2.0", id: 1, result: { resultType: "complete", content: [] } };
  assert.equal(carryTaskResponse(complete), complete);
  const notification = { jsonrpc: "2.0", method: "notifications/tasks/status", params: {} };
  assert.equal(carryTaskResponse(notification), notification);
  const error = { jsonrpc: "2.0", id: 2, error: { code: -32602, message: "x" } };
  assert.equal(carryTaskResponse(error), error);
  // A server cannot forge the carrier: only this process knows its key.
  const forged = { content: [], _meta: { "mcp-router/carried-task": { resultType: "task" } } };
  assert.equal(carriedTaskResult(forged), forged);
});
