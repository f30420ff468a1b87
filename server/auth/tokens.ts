/**
 * @module Token primitives for authentication: random tokens and HMAC digests in hex, and
 * constant-time comparison (node:crypto, synchronous and fast enough for every request). Plain
 * SHA-256 is `sha256Hex` in `runtime/foundation/bytes.ts`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { hex } from "../../runtime/foundation/bytes.ts";

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  return hex(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** HMAC-SHA256 of `text` under `key`, as hex. */
export function hmacHex(key: string | Uint8Array, text: string): string {
  return createHmac("sha256", key).update(text).digest("hex");
}

/** Compare two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  return timingSafeEqual(x, y);
}
