/**
 * @module Admin UI login sessions: random tokens kept in KV with an expiry, sent as an
 * `HttpOnly; SameSite=Strict` cookie (`Secure` behind TLS).
 */
import { z } from "zod";
import type { KvStore } from "../store/kv_store.ts";

/** Cookie carrying the admin session token. */
export const SESSION_COOKIE = "mcpr_session";
const TTL_MS = 12 * 3600_000;
const SessionSchema = z.object({ actor: z.string(), expires: z.number() });

function token(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(32)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** Create a login session; returns the cookie token. */
export async function createUiSession(store: KvStore, actor: string): Promise<string> {
  const t = token();
  await store.kv.set(["ui_sessions", t], { actor, expires: Date.now() + TTL_MS }, {
    expireIn: TTL_MS,
  });
  return t;
}

/** The actor of a valid session token, or null. */
export async function uiSessionActor(
  store: KvStore,
  t: string | undefined,
): Promise<string | null> {
  if (!t || !/^[0-9a-f]{64}$/.test(t)) return null;
  const parsed = SessionSchema.safeParse((await store.kv.get(["ui_sessions", t])).value);
  if (!parsed.success || parsed.data.expires < Date.now()) return null;
  return parsed.data.actor;
}

/** End a session. */
export async function deleteUiSession(store: KvStore, t: string | undefined): Promise<void> {
  if (t) await store.kv.delete(["ui_sessions", t]);
}

/** `Set-Cookie` value for a session token (`Secure` when the request came over TLS). */
export function sessionCookie(t: string, secure: boolean, maxAgeS = TTL_MS / 1000): string {
  return `${SESSION_COOKIE}=${t}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${
    secure ? "; Secure" : ""
  }`;
}
