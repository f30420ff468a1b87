/**
 * @module Bytes: the one concatenation helper for streams read in chunks, the one hex encoding
 * and the one SHA-256 (synchronous, node:crypto) every layer uses.
 */
import { createHash } from "node:crypto";

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

const HEX_DIGITS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/**
 * Bytes as lower-case hex, two digits per byte.
 * @param bytes the bytes
 * @example hex(Uint8Array.of(0, 171)) // "00ab"
 */
export function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX_DIGITS[b];
  return out;
}

/**
 * SHA-256 of a string (as UTF-8) or of bytes, as 64 lower-case hex digits.
 * @param data the text or bytes to hash
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
