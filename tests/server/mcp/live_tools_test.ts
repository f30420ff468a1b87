import assert from "node:assert/strict";
import type { Tool } from "@modelcontextprotocol/server";
import { LiveToolLists } from "../../../server/mcp/live_tools.ts";
import type { LinkedConnection } from "../../../server/mcp/contracts.ts";
import { type ServerRecord, ServerRecordSchema } from "../../../server/schemas/server.ts";

const conn = {} as LinkedConnection;

function record(cached: string[] | null, lifecycle = "session"): ServerRecord {
  return ServerRecordSchema.parse({
    id: "srv-a",
    name: "a",
    display_name: "a",
    description: "",
    source: { kind: "image", ref: "x" },
    runtime: "image",
    image: "localhost/x",
    lifecycle,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    capabilities: cached === null ? null : {
      tools: cached.map((name) => ({ name, inputSchema: { type: "object" } })),
      fetched_at: "2025-01-01T00:00:00Z",
    },
  });
}

/** Lists whose snapshots are logged in `log` and answer `live` after a turn of the loop. */
function lists(live: string[], log: string[]) {
  let n = 0;
  return new LiveToolLists(new Map(), async () => {
    const i = ++n;
    log.push(`snapshot ${i}`);
    await new Promise((r) => setTimeout(r, 5));
    return live.map((name) => ({ name, inputSchema: { type: "object" } }) as Tool);
  });
}

function textOf(result: { content: unknown[] }): string {
  return (result.content as { text?: string }[]).map((c) => c.text ?? "").join("");
}

const ok = { content: [{ type: "text" as const, text: "done" }] };

Deno.test("LiveToolLists - a burst of list changes costs one snapshot plus one", async () => {
  const log: string[] = [];
  const l = lists(["echo"], log);
  for (let i = 0; i < 4; i++) l.changed(record(null), conn);
  await l.settled("srv-a");
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(log, ["snapshot 1", "snapshot 2"]);
});

Deno.test("LiveToolLists - a change heard during a call is read after it", async () => {
  const log: string[] = [];
  const l = lists(["echo"], log);
  await l.during("a", () => {
    l.changed(record(null), conn);
    l.changed(record(null), conn);
    log.push("call");
    return Promise.resolve();
  });
  assert.deepEqual(log, ["call", "snapshot 1"]);
  assert.deepEqual((await l.settled("srv-a"))?.map((t) => t.name), ["echo"]);
});

Deno.test("LiveToolLists - a name the cache knows is sent first, the live list read after", async () => {
  const log: string[] = [];
  const l = lists(["echo"], log);
  const server = record(["echo"]);
  const result = await l.during(server.name, () =>
    l.call(server, conn, "echo", () => {
      log.push("call");
      return Promise.resolve(ok);
    }));
  assert.deepEqual(result, ok);
  assert.deepEqual(log, ["call", "snapshot 1"]);
  assert.deepEqual((await l.settled(server.id))?.map((t) => t.name), ["echo"]);
});

Deno.test("LiveToolLists - an unknown name is checked live first and named in the error", async () => {
  const log: string[] = [];
  const l = lists(["echo", "add"], log);
  const result = await l.call(record(["echo"]), conn, "nope", () => {
    log.push("call");
    return Promise.resolve(ok);
  });
  assert.deepEqual(log, ["snapshot 1"]);
  assert.equal(result.isError, true);
  assert.match(textOf(result), /has no tool 'nope'. Valid tools: echo, add/);
});

Deno.test("LiveToolLists - a failed call to a tool gone from the live list gets that error", async () => {
  const log: string[] = [];
  const l = lists(["add"], log);
  const failed = { content: [{ type: "text" as const, text: "unknown tool" }], isError: true };
  const result = await l.call(record(["echo"]), conn, "echo", () => Promise.resolve(failed));
  assert.match(textOf(result), /has no tool 'echo'. Valid tools: add/);
  // The live list is known now: the name is checked before anything is sent.
  let sent = false;
  const again = await l.call(record(["echo"]), conn, "echo", () => {
    sent = true;
    return Promise.resolve(ok);
  });
  assert.equal(sent, false);
  assert.match(textOf(again), /has no tool 'echo'/);
});

Deno.test("LiveToolLists - a call-lifecycle server's list is read before the call returns", async () => {
  const log: string[] = [];
  const l = lists(["echo"], log);
  const server = record(["echo"], "call");
  await l.call(server, conn, "echo", () => {
    log.push("call");
    return Promise.resolve(ok);
  });
  assert.deepEqual(log, ["call", "snapshot 1"]);
  assert.ok(l.get(server.id));
});
