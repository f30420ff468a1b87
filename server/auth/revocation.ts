/**
 * @module Key revocation reaches what a key opened: listeners (the MCP endpoints) are told the
 * moment this process revokes a key, and within `pollMs` when another process (the CLI's
 * `keys revoke`) does, so they can end the key's streams, sessions and containers at once.
 * Requests themselves are refused from the moment of revocation in this process, and within
 * `KEY_CACHE_MS` (1 s) of a revocation by another process (found keys are reused that long).
 */
import type { ApiKeyStore } from "../store/store.ts";
import { createLogger } from "../../runtime/foundation/log.ts";

const logger = createLogger("auth.revocation");

/** Watches the store for revoked keys and tells listeners once per key. */
export class KeyRevocations {
  readonly #listeners = new Set<(keyId: string) => void | Promise<void>>();
  /** Keys seen in the store (to notice deleted ones). */
  readonly #seen = new Set<string>();
  /** Keys whose revocation listeners were told already. */
  readonly #told = new Set<string>();
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setInterval> | null = null;
  #polling = false;

  /**
   * @param store the key store
   * @param pollMs how often keys revoked by another process are looked for
   */
  constructor(private readonly store: ApiKeyStore, private readonly pollMs = 1_000) {
    this.#unsubscribe = store.onApiKeyChanged((key) => {
      this.#seen.add(key.id);
      if (key.revoked_at) this.#revoked(key.id);
    });
  }

  /** Be told when a key is revoked (or deleted). @returns unsubscribe */
  onRevoked(listener: (keyId: string) => void | Promise<void>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Start looking for revocations made by other processes. */
  async start(): Promise<void> {
    // Keys revoked before this process started opened nothing here.
    try {
      for (const k of await this.store.listApiKeys()) {
        this.#seen.add(k.id);
        if (k.revoked_at) this.#told.add(k.id);
      }
    } catch (error) {
      // The store closed under it (a short-lived app): nothing to watch.
      logger.debug("could not read keys at start", { error });
      return;
    }
    this.#timer = setInterval(() => void this.poll(), this.pollMs);
    Deno.unrefTimer(this.#timer);
  }

  /** Compare the store's keys with the ones known active; tell listeners of the revoked. */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const keys = await this.store.listApiKeys();
      const present = new Set(keys.map((k) => k.id));
      for (const id of [...this.#seen]) if (!present.has(id)) this.#revoked(id);
      for (const k of keys) {
        this.#seen.add(k.id);
        if (k.revoked_at) this.#revoked(k.id);
      }
    } catch (error) {
      logger.warn("could not read API keys", { error });
    } finally {
      this.#polling = false;
    }
  }

  #revoked(keyId: string): void {
    if (this.#told.has(keyId)) return;
    this.#told.add(keyId);
    logger.info("key revoked: ending what it opened", { key_id: keyId });
    for (const l of this.#listeners) {
      Promise.resolve().then(() => l(keyId)).catch((error) =>
        logger.warn("revocation listener failed", { error })
      );
    }
  }

  /** Stop watching. */
  stop(): void {
    this.#unsubscribe();
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
