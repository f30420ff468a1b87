/**
 * @module API key records over Deno KV (salted hashes only; see `server/auth/api_keys.ts`).
 */
import { type ApiKey, ApiKeySchema } from "../schemas/records.ts";
import type { ApiKeyStore } from "./store.ts";
import { Listeners } from "./listeners.ts";
import { K } from "./kv_keys.ts";
import { assertFitsInKv } from "./kv_values.ts";

/** API key records in KV. */
export class KvApiKeys implements ApiKeyStore {
  readonly #changed = new Listeners<ApiKey>();

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
    await this.kv.set(K.apiKey(key.id), record);
    this.#changed.emit(record);
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
