/**
 * @module Admin UI login sessions: random tokens sent as an `HttpOnly; SameSite=Strict` cookie
 * (`Secure` behind TLS) and kept in KV only as their SHA-256 hash, with the API key that opened
 * them (if any) and an expiry. A session opened with a key ends when that key is revoked.
 */
import type { UiSessionStore } from "../store/store.ts";
import { randomHex } from "./tokens.ts";
import { sha256Hex } from "../../runtime/foundation/bytes.ts";

/** Cookie carrying the admin session token. */
export const SESSION_COOKIE = "mcpr_session";
const TTL_MS = 12 * 3600_000;

/** A live admin UI session. */
export interface UiSession {
  /** `admin` (password, or the first key's creator) or `key:<name>`. */
  actor: string;
  /** The API key it was opened with, if any. */
  keyId: string | null;
}

/**
 * Create a login session.
 * @param keyId the API key used to sign in (its revocation ends the session)
 * @returns the cookie token (only its hash is stored)
 */
export async function createUiSession(
  store: UiSessionStore,
  actor: string,
  keyId: string | null = null,
): Promise<string> {
  const t = randomHex(32);
  await store.putUiSession(sha256Hex(t), {
    actor,
    key_id: keyId,
    expires: Date.now() + TTL_MS,
  }, TTL_MS);
  return t;
}

/** The session of a valid token, or null. */
export async function uiSession(
  store: UiSessionStore,
  t: string | undefined,
): Promise<UiSession | null> {
  if (!t || !/^[0-9a-f]{64}$/.test(t)) return null;
  const stored = await store.getUiSession(sha256Hex(t));
  if (!stored || stored.expires < Date.now()) return null;
  return { actor: stored.actor, keyId: stored.key_id };
}

/** End a session. */
export async function deleteUiSession(store: UiSessionStore, t: string | undefined): Promise<void> {
  if (t && /^[0-9a-f]{64}$/.test(t)) await store.deleteUiSession(sha256Hex(t));
}

/** End every session opened with the key `keyId`; returns how many ended. */
export async function deleteUiSessionsOfKey(store: UiSessionStore, keyId: string): Promise<number> {
  return await store.deleteUiSessionsOfKey(keyId);
}

/** `Set-Cookie` value for a session token (`Secure` when the request came over TLS). */
export function sessionCookie(t: string, secure: boolean, maxAgeS = TTL_MS / 1000): string {
  return `${SESSION_COOKIE}=${t}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${
    secure ? "; Secure" : ""
  }`;
}
