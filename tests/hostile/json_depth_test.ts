/**
 * Hostile input - the JSON nesting guard and the limited body reader.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { jsonDepthExceeds } from "../../server/http/json_depth.ts";
import { readJsonBody, readLimitedText } from "../../server/http/json_body.ts";

function depthOf(value: unknown): number {
  // Reference implementation (recursive; only used on small generated values).
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === "object") {
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  }
  return 0;
}

Deno.test("Hostile - jsonDepthExceeds counts nesting and ignores brackets inside strings", () => {
  assert.equal(jsonDepthExceeds("{}", 1), false);
  assert.equal(jsonDepthExceeds("[[]]", 1), true);
  assert.equal(jsonDepthExceeds('{"a":"[[[[[[[[[["}', 1), false);
  assert.equal(jsonDepthExceeds('{"a":"\\"[[[["}', 1), false);
  assert.equal(jsonDepthExceeds('["\\\\",[[]]]', 2), true);
  assert.equal(jsonDepthExceeds("]]]]]][", 1), false, "stray closers never go negative");
  assert.equal(jsonDepthExceeds("[".repeat(1_000_000), 64), true);
  assert.equal(jsonDepthExceeds('{"a":'.repeat(10_000) + "1" + "}".repeat(10_000), 64), true);
  assert.equal(jsonDepthExceeds("[".repeat(64) + "]".repeat(64), 64), false);
  assert.equal(jsonDepthExceeds("[".repeat(65) + "]".repeat(65), 64), true);
});

Deno.test("Hostile - jsonDepthExceeds agrees with a reference depth on generated JSON", () => {
  let runs = 0;
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 14 }), (value, max) => {
      runs++;
      const text = JSON.stringify(value);
      assert.equal(jsonDepthExceeds(text, max), depthOf(value) > max, text);
    }),
    { numRuns: 300 },
  );
  console.log(`jsonDepthExceeds property: ${runs} generated values`);
});

Deno.test("Hostile - readLimitedText stops at the byte limit, with or without content-length", async () => {
  const big = "x".repeat(2000);
  assert.equal(
    await readLimitedText(new Request("http://l/", { method: "POST", body: big }), 1000),
    null,
  );
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode(big));
      c.close();
    },
  });
  assert.equal(
    await readLimitedText(new Request("http://l/", { method: "POST", body: stream }), 5000),
    null,
  );
  assert.equal(
    await readLimitedText(new Request("http://l/", { method: "POST", body: "ok" }), 5000),
    "ok",
  );
  const deep = await readJsonBody(
    new Request("http://l/", { method: "POST", body: "[".repeat(99) }),
    {
      maxBytes: 1000,
      maxDepth: 8,
    },
  );
  assert.deepEqual(deep.ok ? null : [deep.status, deep.rpcCode], [400, -32600]);
  const bad = await readJsonBody(new Request("http://l/", { method: "POST", body: "{" }), {
    maxBytes: 1000,
    maxDepth: 8,
  });
  assert.deepEqual(bad.ok ? null : [bad.status, bad.rpcCode], [400, -32700]);
});
