/**
 * @module API key records over Deno KV (salted hashes only; see `server/auth/api_keys.ts`).
 */
import { type ApiKey, ApiKeySchema } from "../schemas/records.ts";
import type { ApiKeyStore } from "./store.ts";
import { Listeners } from "./listeners.ts";
import { K } from "./kv_keys.ts";
import { assertFitsInKv } from "./kv_values.ts";

/** How long a key found by its digest is reused (the revocation delay across processes). */
export const KEY_CACHE_MS = 1_000;

/** API key records in KV. */
export class KvApiKeys implements ApiKeyStore {
  readonly #changed = new Listeners<ApiKey>();
  /** Keys found by digest lately (only found ones: a wrong key is read each time). */
  readonly #found = new Map<string, { at: number; key: ApiKey }>();
  /** Whether an active key exists, as last read (reused like found keys). */
  #active: { at: number; value: boolean } | null = null;

  /** @param kv the KV handle */
  constructor(private readonly kv: Deno.Kv) {}

  /**
   * Be told when this process writes an API key record (created, used, revoked).
   * @returns a function that unsubscribes
   */
  onApiKeyChanged(listener: (key: ApiKey) => void): () => void {
    return this.#changed.add(listener);
  }

  /** Store an API key record. */
  async putApiKey(key: ApiKey): Promise<void> {
    const record = ApiKeySchema.parse(key);
    assertFitsInKv(record, "the API key record");
    const op = this.kv.atomic().set(K.apiKey(key.id), record);
    if (record.lookup) op.set(K.apiKeyLookup(record.lookup), record.id);
    if (record.revoked_at) op.delete(K.activeApiKey(record.id));
    else op.set(K.activeApiKey(record.id), true);
    await op.commit();
    this.#found.clear();
    this.#active = null;
    this.#changed.emit(record);
  }

  /**
   * The key indexed under this digest (two point reads, then reused for
   * {@linkcode KEY_CACHE_MS}; any write of a key in this process drops the reuse, so a key
   * revoked here is refused at once, and one revoked by another process within that time).
   */
  async findApiKeyByLookup(lookup: string): Promise<ApiKey | null> {
    const hit = this.#found.get(lookup);
    if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.key;
    const at = Date.now();
    const id = (await this.kv.get<string>(K.apiKeyLookup(lookup))).value;
    let key: ApiKey | null = null;
    if (typeof id === "string") {
      const parsed = ApiKeySchema.safeParse((await this.kv.get(K.apiKey(id))).value);
      key = parsed.success && parsed.data.lookup === lookup ? parsed.data : null;
    }
    if (key) {
      if (this.#found.size > 1_000) this.#found.clear();
      this.#found.set(lookup, { at, key });
    }
    return key;
  }

  /**
   * Whether an active key exists (one short list of the active index, else a scan), reused for
   * {@linkcode KEY_CACHE_MS}: a key written in this process counts at once, one created or
   * revoked by another process (`main.ts keys …`) within that time, as revocations do.
   */
  async hasActiveApiKeys(): Promise<boolean> {
    const hit = this.#active;
    if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.value;
    const at = Date.now();
    const value = await this.#readActive();
    this.#active = { at, value };
    return value;
  }

  async #readActive(): Promise<boolean> {
    for await (const _ of this.kv.list({ prefix: K.activeApiKeys }, { limit: 1 })) return true;
    // Records written before the active index existed.
    for await (const e of this.kv.list({ prefix: K.apiKeys })) {
      const parsed = ApiKeySchema.safeParse(e.value);
      if (parsed.success && !parsed.data.revoked_at) return true;
    }
    return false;
  }

  /** All API keys (hashes only), oldest first. */
  async listApiKeys(): Promise<ApiKey[]> {
    const out: ApiKey[] = [];
    for await (const e of this.kv.list({ prefix: K.apiKeys })) {
      const parsed = ApiKeySchema.safeParse(e.value);
      if (parsed.success) out.push(parsed.data);
    }
    return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}
