/**
 * @module Byte helper tests: concatenation, hex encoding and SHA-256.
 */
import assert from "node:assert/strict";
import { concat, hex, sha256Hex } from "../../../runtime/foundation/bytes.ts";

Deno.test("bytes - concat joins arrays in order into a new one", () => {
  const a = Uint8Array.of(1, 2);
  const out = concat(a, new Uint8Array(0), Uint8Array.of(3));
  assert.deepEqual([...out], [1, 2, 3]);
  assert.notEqual(out.buffer, a.buffer);
  assert.equal(concat().length, 0);
});

Deno.test("bytes - hex is lower case, two digits per byte", () => {
  assert.equal(hex(Uint8Array.of(0, 1, 15, 16, 171, 255)), "00010f10abff");
  assert.equal(hex(new Uint8Array(0)), "");
  const random = crypto.getRandomValues(new Uint8Array(64));
  const expected = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(hex(random), expected);
});

Deno.test("bytes - sha256Hex of text and of bytes", async () => {
  const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  assert.equal(sha256Hex(""), empty);
  assert.equal(sha256Hex(new Uint8Array(0)), empty);
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  // Text is hashed as UTF-8, the same as WebCrypto over the encoded bytes.
  const text = "héllo ✓";
  const web = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  assert.equal(sha256Hex(text), hex(new Uint8Array(web)));
  assert.equal(sha256Hex(new TextEncoder().encode(text)), sha256Hex(text));
});
