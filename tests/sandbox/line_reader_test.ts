/**
 * @module BoundedLineReader tests: splitting across chunks, trailing partial lines, the cap.
 */
import assert from "node:assert/strict";
import { BoundedLineReader, LineTooLongError } from "../../sandbox/line_reader.ts";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

Deno.test("Sandbox line reader - lines split across and within chunks", async () => {
  const r = new BoundedLineReader(streamOf(["ab", "c\nde", "f\ng\n\nh"]), { maxLineBytes: 100 });
  const lines: (string | null)[] = [];
  for (let i = 0; i < 6; i++) lines.push(await r.next());
  assert.deepEqual(lines, ["abc", "def", "g", "", "h", null]);
});

Deno.test("Sandbox line reader - multi-byte characters split between chunks", async () => {
  const bytes = new TextEncoder().encode("héllo\n");
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.subarray(0, 2));
      c.enqueue(bytes.subarray(2));
      c.close();
    },
  });
  const r = new BoundedLineReader(stream, { maxLineBytes: 100 });
  assert.equal(await r.next(), "héllo");
});

Deno.test("Sandbox line reader - a line past the cap fails without buffering it", async () => {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024).fill(120);
  const endless = new ReadableStream<Uint8Array>({
    pull(c) {
      pulled++;
      c.enqueue(chunk);
    },
  });
  const r = new BoundedLineReader(endless, { maxLineBytes: 1024 * 1024 });
  await assert.rejects(r.next(), LineTooLongError);
  assert.ok(pulled < 40, `read ${pulled} chunks`);
});

Deno.test("Sandbox line reader - a short line before a long one is still returned", async () => {
  const r = new BoundedLineReader(streamOf(["ok\n" + "x".repeat(50)]), { maxLineBytes: 10 });
  assert.equal(await r.next(), "ok");
  await assert.rejects(r.next(), LineTooLongError);
});
