/** @module Byte arrays: the one concatenation helper for streams read in chunks. */

/**
 * Concatenate byte arrays into one new array.
 * @param parts the arrays, in order
 */
export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
