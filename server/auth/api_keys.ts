/**
 * @module API keys: created once (the plain key is shown only then), stored as salted SHA-256
 * hashes, revocable, with a last-used time.
 */
import type { KvStore } from "../store/kv_store.ts";
import type { ApiKey } from "../schemas/records.ts";
import { AppError } from "../errors.ts";

const PREFIX = "mcpr_";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function hashKey(salt: string, key: string): Promise<string> {
  const data = new TextEncoder().encode(`${salt}:${key}`);
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Create a key named `name`.
 * @returns the stored record and the plain key (shown once, never stored)
 */
export async function createApiKey(
  store: KvStore,
  name: string,
): Promise<{ record: ApiKey; key: string }> {
  const trimmed = name.trim();
  if (!/^[\w .@-]{1,64}$/.test(trimmed)) {
    throw new AppError(
      "validation_failed",
      400,
      "key names are 1-64 letters, digits, ' ', '.', '@', '_' or '-'",
    );
  }
  const key = `${PREFIX}${hex(crypto.getRandomValues(new Uint8Array(24)))}`;
  const salt = hex(crypto.getRandomValues(new Uint8Array(16)));
  const record: ApiKey = {
    id: crypto.randomUUID(),
    name: trimmed,
    salt,
    hash: await hashKey(salt, key),
    prefix: key.slice(0, PREFIX.length + 6),
    created_at: new Date().toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await store.putApiKey(record);
  return { record, key };
}

/** Revoke a key by id or name. @throws {AppError} 404 */
export async function revokeApiKey(store: KvStore, idOrName: string): Promise<ApiKey> {
  const keys = await store.listApiKeys();
  const found = keys.find((k) => k.id === idOrName) ??
    keys.find((k) => k.name === idOrName && !k.revoked_at);
  if (!found) throw new AppError("not_found", 404, `API key '${idOrName}' not found`);
  const revoked = { ...found, revoked_at: found.revoked_at ?? new Date().toISOString() };
  await store.putApiKey(revoked);
  return revoked;
}

/** Active (not revoked) keys. */
export async function activeApiKeys(store: KvStore): Promise<ApiKey[]> {
  return (await store.listApiKeys()).filter((k) => !k.revoked_at);
}

/**
 * Find the active key matching a presented bearer token and record its use.
 * @returns the key record, or null when none matches
 */
export async function verifyApiKey(store: KvStore, presented: string): Promise<ApiKey | null> {
  if (!presented.startsWith(PREFIX)) return null;
  const prefix = presented.slice(0, PREFIX.length + 6);
  for (const key of await activeApiKeys(store)) {
    if (key.prefix !== prefix) continue;
    if (timingSafeEqual(await hashKey(key.salt, presented), key.hash)) {
      const now = Date.now();
      if (!key.last_used_at || now - Date.parse(key.last_used_at) > 60_000) {
        await store.putApiKey({ ...key, last_used_at: new Date(now).toISOString() }).catch(
          () => {},
        );
      }
      return key;
    }
  }
  return null;
}
