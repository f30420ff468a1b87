import assert from "node:assert/strict";
import { demuxToLines, FrameDecoder } from "../../../runtime/podman/demux.ts";
import { encodeFrame } from "./frames.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("demux - decodes several frames from one chunk", () => {
  const d = new FrameDecoder();
  const data = new Uint8Array([
    ...encodeFrame(1, enc.encode("out")),
    ...encodeFrame(2, enc.encode("err")),
  ]);
  const frames = d.push(data);
  assert.deepEqual(frames.map((f) => [f.stream, dec.decode(f.payload)]), [[1, "out"], [2, "err"]]);
  // nothing was held back: the next frame decodes on its own
  const next = d.push(encodeFrame(1, enc.encode("next")));
  assert.deepEqual(next.map((f) => [f.stream, dec.decode(f.payload)]), [[1, "next"]]);
});

Deno.test("demux - reassembles frames split at every byte", () => {
  const d = new FrameDecoder();
  const data = new Uint8Array([
    ...encodeFrame(1, enc.encode("hello\n")),
    ...encodeFrame(2, new Uint8Array(0)),
    ...encodeFrame(1, enc.encode("world")),
  ]);
  const got: string[] = [];
  for (const byte of data) {
    for (const f of d.push(new Uint8Array([byte]))) {
      got.push(`${f.stream}:${dec.decode(f.payload)}`);
    }
  }
  assert.deepEqual(got, ["1:hello\n", "2:", "1:world"]);
});

Deno.test("demux - holds an incomplete frame until the rest arrives", () => {
  const d = new FrameDecoder();
  const frame = encodeFrame(1, enc.encode("abcdef"));
  assert.deepEqual(d.push(frame.slice(0, 10)), []);
  // the 10 bytes were held: the rest completes exactly that one frame
  const frames = d.push(frame.slice(10));
  assert.equal(frames.length, 1);
  assert.equal(dec.decode(frames[0].payload), "abcdef");
});

Deno.test("demux - large payload size uses big-endian length", () => {
  const payload = new Uint8Array(70_000).fill(65);
  const frame = encodeFrame(2, payload);
  assert.deepEqual([...frame.slice(0, 8)], [2, 0, 0, 0, 0, 1, 0x11, 0x70]);
  const [f] = new FrameDecoder().push(frame);
  assert.equal(f.payload.length, 70_000);
});

Deno.test("demux - demuxToLines splits per stream and keeps partial last lines", () => {
  const data = new Uint8Array([
    ...encodeFrame(1, enc.encode("a\nb")),
    ...encodeFrame(2, enc.encode("e1\n")),
    ...encodeFrame(1, enc.encode("c\nlast")),
  ]);
  assert.deepEqual(demuxToLines(data), [
    { stream: 1, line: "a" },
    { stream: 2, line: "e1" },
    { stream: 1, line: "bc" },
    { stream: 1, line: "last" },
  ]);
});
