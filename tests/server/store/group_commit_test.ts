/** Group commit: concurrent writes share commits, each durable when its promise resolves. */
import assert from "node:assert/strict";
import { GroupCommit } from "../../../server/store/group_commit.ts";

Deno.test("group commit - concurrent writes share commits and are durable on resolve", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const g = new GroupCommit(kv);
    await g.set(["a", 0], { n: 0 });
    assert.equal(g.stats.commits, 1, "a lone write commits at once");
    await Promise.all(Array.from({ length: 50 }, (_, i) => g.set(["a", i + 1], { n: i + 1 })));
    assert.equal(g.stats.entries, 51);
    assert.ok(g.stats.commits <= 3, `50 concurrent writes took ${g.stats.commits - 1} commits`);
    for (let i = 0; i <= 50; i++) assert.deepEqual((await kv.get(["a", i])).value, { n: i });
  } finally {
    kv.close();
  }
});

Deno.test("group commit - a failed commit rejects its writers and later writes still go", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const g = new GroupCommit(kv);
    // A value KV refuses (over 64 KiB) fails its batch.
    await assert.rejects(g.set(["big"], "x".repeat(70_000), 70_000));
    await g.set(["ok"], 1);
    assert.equal((await kv.get(["ok"])).value, 1);
  } finally {
    kv.close();
  }
});
