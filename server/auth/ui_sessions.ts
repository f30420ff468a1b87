/**
 * @module Admin UI login sessions: random tokens sent as an `HttpOnly; SameSite=Strict` cookie
 * (`Secure` behind TLS) and kept in KV only as their SHA-256 hash, with the API key that opened
 * them (if any) and an expiry. A session opened with a key ends when that key is revoked.
 */
import { z } from "zod";
import type { KvStore } from "../store/kv_store.ts";
import { randomHex, sha256Hex } from "./tokens.ts";

/** Cookie carrying the admin session token. */
export const SESSION_COOKIE = "mcpr_session";
const TTL_MS = 12 * 3600_000;
const PREFIX = ["ui_sessions"] as const;
const SessionSchema = z.object({
  actor: z.string(),
  key_id: z.string().nullable().default(null),
  expires: z.number(),
});

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
  store: KvStore,
  actor: string,
  keyId: string | null = null,
): Promise<string> {
  const t = randomHex(32);
  await store.kv.set([...PREFIX, sha256Hex(t)], {
    actor,
    key_id: keyId,
    expires: Date.now() + TTL_MS,
  }, { expireIn: TTL_MS });
  return t;
}

/** The session of a valid token, or null. */
export async function uiSession(store: KvStore, t: string | undefined): Promise<UiSession | null> {
  if (!t || !/^[0-9a-f]{64}$/.test(t)) return null;
  const parsed = SessionSchema.safeParse((await store.kv.get([...PREFIX, sha256Hex(t)])).value);
  if (!parsed.success || parsed.data.expires < Date.now()) return null;
  return { actor: parsed.data.actor, keyId: parsed.data.key_id };
}

/** End a session. */
export async function deleteUiSession(store: KvStore, t: string | undefined): Promise<void> {
  if (t && /^[0-9a-f]{64}$/.test(t)) await store.kv.delete([...PREFIX, sha256Hex(t)]);
}

/** End every session opened with the key `keyId`; returns how many ended. */
export async function deleteUiSessionsOfKey(store: KvStore, keyId: string): Promise<number> {
  let n = 0;
  for await (const e of store.kv.list({ prefix: PREFIX })) {
    const parsed = SessionSchema.safeParse(e.value);
    if (parsed.success && parsed.data.key_id === keyId) {
      await store.kv.delete(e.key);
      n++;
    }
  }
  return n;
}

/** `Set-Cookie` value for a session token (`Secure` when the request came over TLS). */
export function sessionCookie(t: string, secure: boolean, maxAgeS = TTL_MS / 1000): string {
  return `${SESSION_COOKIE}=${t}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${
    secure ? "; Secure" : ""
  }`;
}
