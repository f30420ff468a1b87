/**
 * @module Demultiplexer for Docker/Podman non-TTY attach and log streams.
 *
 * Each frame is an 8-byte header `[stream, 0, 0, 0, size(uint32 BE)]` followed by `size` bytes;
 * stream 0 is stdin (echo), 1 stdout, 2 stderr.
 */
import { concat } from "../foundation/bytes.ts";

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

  /** Bytes held back waiting for the rest of a frame. */
  get pending(): number {
    return this.#buf.length;
  }
}

/** Encode one frame (used by tests and fakes). */
export function encodeFrame(stream: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, stream);
  view.setUint32(4, payload.length, false);
  out.set(payload, 8);
  return out;
}

/** Decode a whole multiplexed buffer (e.g. a logs reply) into stdout/stderr text lines. */
export function demuxToLines(data: Uint8Array): { stream: number; line: string }[] {
  const decoder = new FrameDecoder();
  const text = new TextDecoder();
  const out: { stream: number; line: string }[] = [];
  const partial: Record<number, string> = {};
  for (const frame of decoder.push(data)) {
    const s = (partial[frame.stream] ?? "") + text.decode(frame.payload);
    const parts = s.split("\n");
    partial[frame.stream] = parts.pop() ?? "";
    for (const line of parts) out.push({ stream: frame.stream, line });
  }
  for (const [stream, rest] of Object.entries(partial)) {
    if (rest) out.push({ stream: Number(stream), line: rest });
  }
  return out;
}
