/**
 * @module Line splitting tests: the splitter's three overflow modes, the text helpers, and the
 * bounded pull reader (splitting across chunks, trailing partial lines, the cap).
 */
import assert from "node:assert/strict";
import {
  BoundedLineReader,
  LineSplitter,
  LineTooLongError,
  readLines,
  textLineSplitter,
} from "../../../runtime/foundation/lines.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

function collect(options: { maxLineBytes?: number; overflow?: "flush" | "skip" | "throw" } = {}) {
  const events: string[] = [];
  const splitter = new LineSplitter({
    ...options,
    onLine: (line) => events.push(dec.decode(line)),
    onTooLong: () => events.push("<too long>"),
  });
  return { events, splitter };
}

Deno.test("lines - splits across and within chunks; flush passes the unterminated tail", () => {
  const { events, splitter } = collect();
  for (const c of ["ab", "c\nde", "f\ng\n\nh"]) splitter.push(enc.encode(c));
  assert.deepEqual(events, ["abc", "def", "g", ""]);
  splitter.flush();
  assert.deepEqual(events, ["abc", "def", "g", "", "h"]);
  splitter.flush(); // nothing held: nothing more
  assert.equal(events.length, 5);
});

Deno.test("lines - \\r is kept, strings are taken as UTF-8", () => {
  const { events, splitter } = collect();
  splitter.push("a\r\nb");
  splitter.push("é\n");
  assert.deepEqual(events, ["a\r", "bé"]);
});

Deno.test("lines - flush overflow passes a long unterminated line on as it stands", () => {
  const { events, splitter } = collect({ maxLineBytes: 4 });
  splitter.push(enc.encode("123456789\nab"));
  assert.deepEqual(events, ["123456789"], "complete lines are passed whole");
  splitter.push(enc.encode("cde"));
  assert.deepEqual(events, ["123456789", "abcde"], "held bytes past the limit are passed on");
  splitter.push(enc.encode("f\n"));
  assert.deepEqual(events, ["123456789", "abcde", "f"]);
});

Deno.test("lines - skip overflow drops the line through its newline and reports it once", () => {
  const { events, splitter } = collect({ maxLineBytes: 4, overflow: "skip" });
  splitter.push(enc.encode("ok\n123456\nab"));
  assert.deepEqual(events, ["ok", "<too long>"]);
  splitter.push(enc.encode("cde"));
  splitter.push(enc.encode("fgh"));
  assert.deepEqual(events, ["ok", "<too long>", "<too long>"]);
  splitter.push(enc.encode("ij\nnext\n1234"));
  splitter.flush();
  assert.deepEqual(events, ["ok", "<too long>", "<too long>", "next", "1234"]);
  const skipped = collect({ maxLineBytes: 2, overflow: "skip" });
  skipped.splitter.push(enc.encode("abc"));
  skipped.splitter.flush();
  assert.deepEqual(skipped.events, ["<too long>"], "a skipped tail is not flushed");
});

Deno.test("lines - throw overflow passes earlier lines, then throws", () => {
  const { events, splitter } = collect({ maxLineBytes: 3, overflow: "throw" });
  assert.throws(() => splitter.push(enc.encode("abc\nabcd\n")), LineTooLongError);
  assert.deepEqual(events, ["abc"]);
  assert.throws(() => splitter.push(enc.encode("xyzw")), (e: unknown) => {
    return e instanceof LineTooLongError && e.limit === 3;
  });
});

Deno.test("lines - a multi-byte character split between chunks decodes whole", () => {
  const lines: string[] = [];
  const s = textLineSplitter((l) => lines.push(l));
  const bytes = enc.encode("héllo\nwörld");
  s.push(bytes.subarray(0, 2));
  s.push(bytes.subarray(2, 9));
  s.push(bytes.subarray(9));
  s.flush();
  assert.deepEqual(lines, ["héllo", "wörld"]);
});

Deno.test("lines - readLines yields every line of a stream", async () => {
  const lines: string[] = [];
  for await (const line of readLines(streamOf(["a\nb", "c\n", "\n", "tail"]))) lines.push(line);
  assert.deepEqual(lines, ["a", "bc", "", "tail"]);
  const none: string[] = [];
  for await (const line of readLines(streamOf([]))) none.push(line);
  assert.deepEqual(none, []);
});

Deno.test("lines - bounded reader: lines split across and within chunks", async () => {
  const r = new BoundedLineReader(streamOf(["ab", "c\nde", "f\ng\n\nh"]), { maxLineBytes: 100 });
  const lines: (string | null)[] = [];
  for (let i = 0; i < 6; i++) lines.push(await r.next());
  assert.deepEqual(lines, ["abc", "def", "g", "", "h", null]);
});

Deno.test("lines - bounded reader: multi-byte characters split between chunks", async () => {
  const bytes = enc.encode("héllo\n");
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

Deno.test("lines - bounded reader: a line past the cap fails without buffering it", async () => {
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

Deno.test("lines - bounded reader: a short line before a long one is still returned", async () => {
  const r = new BoundedLineReader(streamOf(["ok\n" + "x".repeat(50)]), { maxLineBytes: 10 });
  assert.equal(await r.next(), "ok");
  await assert.rejects(r.next(), LineTooLongError);
  assert.equal(await r.next(), null, "unusable afterwards");
});

Deno.test("lines - bounded reader: a line of exactly the cap is accepted", async () => {
  const r = new BoundedLineReader(streamOf(["12345", "67890\n", "1234567890"]), {
    maxLineBytes: 10,
  });
  assert.equal(await r.next(), "1234567890");
  assert.equal(await r.next(), "1234567890");
  assert.equal(await r.next(), null);
});

Deno.test("lines - bounded reader: cancel ends a pending read", async () => {
  const stream = new ReadableStream<Uint8Array>({ pull() {} });
  const r = new BoundedLineReader(stream, { maxLineBytes: 10 });
  const pending = r.next();
  await r.cancel();
  assert.equal(await pending, null);
});
