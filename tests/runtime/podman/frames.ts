/**
 * @module Test helper: encode Docker/Podman multiplexed attach frames, the inverse of
 * `runtime/podman/demux.ts` (8-byte header `[stream, 0, 0, 0, size(uint32 BE)]`, then the payload).
 */

/** Encode one frame of `stream` (0 stdin, 1 stdout, 2 stderr). */
export function encodeFrame(stream: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, stream);
  view.setUint32(4, payload.length, false);
  out.set(payload, 8);
  return out;
}
