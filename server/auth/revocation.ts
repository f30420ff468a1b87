/**
 * @module Key revocation reaches what a key opened: listeners (the MCP endpoints) are told the
 * moment this process revokes a key, and within `pollMs` when another process (the CLI's
 * `keys revoke`) does, so they can end the key's streams, sessions and containers at once.
 * Requests themselves are refused from the moment of revocation in this process, and within
 * `KEY_CACHE_MS` (1 s) of a revocation by another process (found keys are reused that long).
 */
import type { ApiKeyStore } from "../store/store.ts";
import { RevocationWatch } from "./revocation_watch.ts";

/** Watches the store for revoked (or deleted) keys and tells listeners once per key. */
export class KeyRevocations extends RevocationWatch {
  /**
   * @param store the key store
   * @param pollMs how often keys revoked by another process are looked for
   */
  constructor(store: ApiKeyStore, pollMs = 1_000) {
    /** Keys seen in the store (a key gone from it counts as revoked). */
    const seen = new Set<string>();
    super({
      what: "key",
      subscribe: (revoked) =>
        store.onApiKeyChanged((key) => {
          seen.add(key.id);
          if (key.revoked_at) revoked(key.id);
        }),
      revokedIds: async () => {
        const keys = await store.listApiKeys();
        const present = new Set(keys.map((k) => k.id));
        const gone = [...seen].filter((id) => !present.has(id));
        for (const k of keys) seen.add(k.id);
        return [...gone, ...keys.filter((k) => k.revoked_at).map((k) => k.id)];
      },
    }, pollMs);
  }
}
