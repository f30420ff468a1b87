/**
 * @module Admin UI login sessions over Deno KV, under the SHA-256 hash of their cookie token and
 * expiring with KV's `expireIn` (see `server/auth/ui_sessions.ts`).
 */
import { type UiSessionRecord, UiSessionRecordSchema } from "../schemas/records.ts";
import type { UiSessionStore } from "./store.ts";
import { K } from "./kv_keys.ts";

/** Admin UI sessions in KV. */
export class KvUiSessions implements UiSessionStore {
  /** @param kv the KV handle */
  constructor(private readonly kv: Deno.Kv) {}

  /** Store a session that expires after `ttlMs`. */
  async putUiSession(tokenHash: string, session: UiSessionRecord, ttlMs: number): Promise<void> {
    await this.kv.set(K.uiSession(tokenHash), UiSessionRecordSchema.parse(session), {
      expireIn: ttlMs,
    });
  }

  /** A stored session (expired or not), or null. */
  async getUiSession(tokenHash: string): Promise<UiSessionRecord | null> {
    const parsed = UiSessionRecordSchema.safeParse(
      (await this.kv.get(K.uiSession(tokenHash))).value,
    );
    return parsed.success ? parsed.data : null;
  }

  /** Remove a session. */
  async deleteUiSession(tokenHash: string): Promise<void> {
    await this.kv.delete(K.uiSession(tokenHash));
  }

  /** Remove every session opened with the API key `keyId`. @returns how many */
  async deleteUiSessionsOfKey(keyId: string): Promise<number> {
    let n = 0;
    for await (const e of this.kv.list({ prefix: K.uiSessions })) {
      const parsed = UiSessionRecordSchema.safeParse(e.value);
      if (parsed.success && parsed.data.key_id === keyId) {
        await this.kv.delete(e.key);
        n++;
      }
    }
    return n;
  }
}
