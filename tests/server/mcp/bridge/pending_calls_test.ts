/** @module Pending bridged calls: bounded per principal, abandoned when their retry timer fires. */
import assert from "node:assert/strict";
import { PendingCalls, type PendingEntry } from "../../../../server/mcp/bridge/pending_calls.ts";

function entry(id: string, principal: string, log: string[]): PendingEntry {
  return { id, principal, abandon: () => log.push(`abandon ${id}`) };
}

Deno.test("pending calls - bounded per principal, freed on delete", () => {
  const log: string[] = [];
  const calls = new PendingCalls({ maxPerPrincipal: 2 });
  assert.ok(calls.add(entry("a1", "alice", log)));
  assert.ok(calls.add(entry("a2", "alice", log)));
  assert.equal(calls.add(entry("a3", "alice", log)), false);
  assert.ok(calls.add(entry("b1", "bob", log)));
  assert.deepEqual([calls.count("alice"), calls.count("bob"), calls.count()], [2, 1, 3]);
  calls.delete("a1");
  assert.ok(calls.add(entry("a3", "alice", log)));
  assert.equal(calls.get("a1"), undefined);
  assert.equal(calls.get("a3")?.principal, "alice");
  calls.close();
  assert.deepEqual(log.sort(), ["abandon a2", "abandon a3", "abandon b1"]);
  assert.equal(calls.count(), 0);
});

Deno.test("pending calls - an armed entry is abandoned after the timeout, a disarmed one is not", async () => {
  const log: string[] = [];
  const calls = new PendingCalls({ timeoutMs: 30 });
  calls.add(entry("x", "alice", log));
  calls.add(entry("y", "alice", log));
  calls.arm("x");
  calls.arm("y");
  calls.disarm("y");
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(log, ["abandon x"]);
  assert.equal(calls.get("x"), undefined);
  assert.ok(calls.get("y"));
  calls.delete("y");
  assert.deepEqual(log, ["abandon x"]);
});
