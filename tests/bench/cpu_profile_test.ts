/**
 * Unit tests of the profile summary and the lean wire client's reply parsing.
 */
import assert from "node:assert/strict";
import { groupOf, shortUrl, summarizeProfile } from "./cpu_profile.ts";
import { parseReply } from "./mcp_wire.ts";

const ROOT = "file:///repo/";

function frame(functionName: string, url = "", lineNumber = 0) {
  return { functionName, url, lineNumber, columnNumber: 0 };
}

Deno.test("Bench profile - self time per function, idle apart, window and inclusive time", () => {
  const profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 4] },
      { id: 2, callFrame: frame("handle", `${ROOT}server/mcp/router.ts`, 9), children: [3] },
      {
        id: 3,
        callFrame: frame("parse", `${ROOT}node_modules/.deno/zod@4/node_modules/zod/v4/a.js`, 0),
      },
      { id: 4, callFrame: frame("(idle)") },
    ],
    samples: [2, 3, 3, 4, 2],
    timeDeltas: [0, 1000, 2000, 1000, 4000],
    startTime: 0,
    endTime: 10_000,
  };
  const s = summarizeProfile(profile, { root: ROOT });
  // sample i ran for timeDeltas[i + 1]: handle 1 ms (+0 for the last), parse 2 + 1 ms, idle 4 ms
  assert.equal(s.idle_ms, 4);
  assert.equal(s.busy_ms, 4);
  assert.deepEqual(s.top.map((f) => [f.function, f.self_ms]), [["parse", 3], ["handle", 1]]);
  assert.equal(s.top[1].where, "server/mcp/router.ts:10");
  assert.equal(s.top[0].group, "npm:zod");
  assert.deepEqual(s.inclusive.map((f) => [f.function, f.total_ms]), [["handle", 4]]);
  const windowed = summarizeProfile(profile, {
    root: ROOT,
    window: { fromUs: 2500, toUs: 10_000 },
  });
  assert.equal(windowed.busy_ms, 1); // only the sample at t=3000 (parse, 1 ms) and idle remain
});

Deno.test("Bench profile - short URLs and module groups", () => {
  const npm = shortUrl(
    `${ROOT}node_modules/.deno/@modelcontextprotocol+server@2.4.0/node_modules/@modelcontextprotocol/server/dist/index.mjs`,
    ROOT,
  );
  assert.equal(npm, "npm:@modelcontextprotocol/server/dist/index.mjs");
  assert.equal(groupOf(npm), "npm:@modelcontextprotocol/server");
  assert.equal(groupOf("server/mcp/router.ts"), "server/mcp");
  assert.equal(groupOf("ext:deno_kv/01_db.ts"), "ext:deno_kv/01_db.ts");
});

Deno.test("Bench wire - the reply with the request's id, from JSON or an event stream", () => {
  const sse = [
    "event: message",
    'data: {"jsonrpc":"2.0","id":0,"method":"roots/list"}',
    "",
    "event: message",
    'data: {"jsonrpc":"2.0","id":7,"result":{"ok":true}}',
    "",
  ].join("\n");
  assert.deepEqual(parseReply(sse, "text/event-stream", 7).result, { ok: true });
  assert.throws(() => parseReply(sse, "text/event-stream", 8));
  assert.deepEqual(
    parseReply('{"jsonrpc":"2.0","id":1,"error":{"code":1}}', "application/json", 1).error,
    { code: 1 },
  );
});
