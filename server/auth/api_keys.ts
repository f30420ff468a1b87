/**
 * @module API keys: created once (the plain key is shown only then), stored as salted SHA-256
 * hashes, scoped (`mcp` or `admin`), revocable, with a last-used time. Revoking a key also ends
 * the admin UI sessions it opened; the serve process ends its streams and containers (see
 * `revocation.ts`).
 */
import type { ApiKeyStore, UiSessionStore } from "../store/store.ts";
import type { ApiKey, KeyScope } from "../schemas/records.ts";
import { AppError } from "../errors.ts";
import { constantTimeEqual, randomHex } from "./tokens.ts";
import { sha256Hex } from "../../runtime/foundation/bytes.ts";
import { deleteUiSessionsOfKey } from "./ui_sessions.ts";

const PREFIX = "mcpr_";

/**
 * Key records whose salted hash matched the token with this lookup digest. The store hands out
 * the same record object while it reuses a found key (and a new one after any key write), so a
 * hit skips only the second hash of a token already checked against this very record.
 */
const verified = new WeakMap<ApiKey, string>();

function hashKey(salt: string, key: string): string {
  return sha256Hex(`${salt}:${key}`);
}

/**
 * Create a key named `name`.
 * @param scope `mcp` (default: only the MCP endpoints) or `admin` (everything)
 * @returns the stored record and the plain key (shown once, never stored)
 * @throws {AppError} 400 for a bad name, 409 when an active key has that name
 */
export async function createApiKey(
  store: ApiKeyStore,
  name: string,
  scope: KeyScope = "mcp",
): Promise<{ record: ApiKey; key: string }> {
  const trimmed = name.trim();
  if (!/^[\w .@-]{1,64}$/.test(trimmed)) {
    throw new AppError(
      "validation_failed",
      400,
      "key names are 1-64 letters, digits, ' ', '.', '@', '_' or '-'",
    );
  }
  if (scope !== "mcp" && scope !== "admin") {
    throw new AppError("validation_failed", 400, "a key's scope is 'mcp' or 'admin'");
  }
  if ((await activeApiKeys(store)).some((k) => k.name === trimmed)) {
    throw new AppError("conflict", 409, `an active API key named '${trimmed}' exists already`);
  }
  const key = `${PREFIX}${randomHex(24)}`;
  const salt = randomHex(16);
  const record: ApiKey = {
    id: crypto.randomUUID(),
    name: trimmed,
    salt,
    hash: hashKey(salt, key),
    lookup: sha256Hex(key),
    prefix: key.slice(0, PREFIX.length + 6),
    scope,
    created_at: new Date().toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await store.putApiKey(record);
  return { record, key };
}

/**
 * Revoke a key by id or name, and end the admin UI sessions it opened.
 * @throws {AppError} 404
 */
export async function revokeApiKey(
  store: ApiKeyStore & UiSessionStore,
  idOrName: string,
): Promise<ApiKey> {
  const keys = await store.listApiKeys();
  const found = keys.find((k) => k.id === idOrName) ??
    keys.find((k) => k.name === idOrName && !k.revoked_at);
  if (!found) throw new AppError("not_found", 404, `API key '${idOrName}' not found`);
  const revoked = { ...found, revoked_at: found.revoked_at ?? new Date().toISOString() };
  await store.putApiKey(revoked);
  await deleteUiSessionsOfKey(store, revoked.id);
  return revoked;
}

/** Active (not revoked) keys. */
export async function activeApiKeys(store: ApiKeyStore): Promise<ApiKey[]> {
  return (await store.listApiKeys()).filter((k) => !k.revoked_at);
}

/**
 * Find the active key matching a presented bearer token and record its use.
 * @returns the key record, or null when none matches
 */
export async function verifyApiKey(store: ApiKeyStore, presented: string): Promise<ApiKey | null> {
  if (!presented.startsWith(PREFIX) || presented.length > 200) return null;
  const lookup = sha256Hex(presented);
  // Found by its digest (two point reads); keys made before the index by one scan, then indexed.
  let key = await store.findApiKeyByLookup(lookup);
  let backfill = false;
  if (!key) {
    const prefix = presented.slice(0, PREFIX.length + 6);
    key = (await activeApiKeys(store)).find((k) =>
      !k.lookup && k.prefix === prefix && constantTimeEqual(hashKey(k.salt, presented), k.hash)
    ) ?? null;
    backfill = key !== null;
  }
  if (!key || key.revoked_at) return null;
  if (verified.get(key) !== lookup) {
    if (!constantTimeEqual(hashKey(key.salt, presented), key.hash)) return null;
    verified.set(key, lookup);
  }
  const now = Date.now();
  if (backfill || !key.last_used_at || now - Date.parse(key.last_used_at) > 60_000) {
    await store.putApiKey({ ...key, lookup, last_used_at: new Date(now).toISOString() }).catch(
      () => {},
    );
  }
  return key;
}
