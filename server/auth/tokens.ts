/**
 * @module Token primitives for authentication: random tokens, SHA-256 and HMAC digests in hex,
 * and constant-time comparison (node:crypto, synchronous and fast enough for every request).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** SHA-256 of a UTF-8 string, as hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
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
