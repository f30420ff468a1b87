/**
 * @module Demultiplexer for Docker/Podman non-TTY attach and log streams.
 *
 * Each frame is an 8-byte header `[stream, 0, 0, 0, size(uint32 BE)]` followed by `size` bytes;
 * stream 0 is stdin (echo), 1 stdout, 2 stderr.
 */
import { concat } from "../foundation/bytes.ts";
import { type LineSplitter, textLineSplitter } from "../foundation/lines.ts";

/** One decoded frame. */
export interface Frame {
  /** 0 stdin, 1 stdout, 2 stderr. */
  stream: number;
  payload: Uint8Array;
}

/** Incremental frame decoder: feed arbitrary chunks, get whole frames back. */
export class FrameDecoder {
  #buf: Uint8Array = new Uint8Array(0);

  /** Append a chunk; returns every frame completed by it. */
  push(chunk: Uint8Array): Frame[] {
    this.#buf = this.#buf.length === 0 ? chunk : concat(this.#buf, chunk);
    const frames: Frame[] = [];
    let off = 0;
    while (this.#buf.length - off >= 8) {
      const view = new DataView(this.#buf.buffer, this.#buf.byteOffset + off, 8);
      const stream = view.getUint8(0);
      const size = view.getUint32(4, false);
      if (this.#buf.length - off - 8 < size) break;
      frames.push({ stream, payload: this.#buf.slice(off + 8, off + 8 + size) });
      off += 8 + size;
    }
    this.#buf = off === 0 ? this.#buf : this.#buf.slice(off);
    return frames;
  }
}

/** Decode a whole multiplexed buffer (e.g. a logs reply) into stdout/stderr text lines. */
export function demuxToLines(data: Uint8Array): { stream: number; line: string }[] {
  const decoder = new FrameDecoder();
  const out: { stream: number; line: string }[] = [];
  const splitters = new Map<number, LineSplitter>();
  for (const frame of decoder.push(data)) {
    let splitter = splitters.get(frame.stream);
    if (!splitter) {
      const stream = frame.stream;
      splitter = textLineSplitter((line) => out.push({ stream, line }));
      splitters.set(stream, splitter);
    }
    splitter.push(frame.payload);
  }
  // Unterminated last lines, stream by stream (stdout before stderr).
  for (const stream of [...splitters.keys()].sort((a, b) => a - b)) splitters.get(stream)!.flush();
  return out;
}
