/**
 * @module PKCE (RFC 7636) with the `S256` method only: the code challenge is the unpadded
 * base64url SHA-256 of the verifier, and verifiers are 43–128 unreserved characters.
 */
import { createHash } from "node:crypto";
import { constantTimeEqual } from "../auth/tokens.ts";

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Whether `challenge` is a well-formed S256 code challenge. */
export function isS256Challenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** The S256 challenge of a verifier. */
export function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** Whether `verifier` is well-formed and hashes to `challenge`. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  return VERIFIER.test(verifier) && constantTimeEqual(s256(verifier), challenge);
}
