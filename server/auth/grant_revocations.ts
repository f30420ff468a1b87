/**
 * @module OAuth grant revocation reaches what the grant opened: like key revocation
 * (`revocation.ts`), listeners are told the moment this process revokes a grant and within
 * `pollMs` when another process (`main.ts oauth revoke`) does, so the MCP endpoints can end the
 * grant's streams and sessions (they are keyed `oauth:<grant id>`). Requests are refused from
 * the moment of revocation anyway: every access token check reads its grant.
 */
import type { OAuthStore } from "../store/store.ts";
import { createLogger } from "../../runtime/foundation/log.ts";

const logger = createLogger("auth.revocation");

/** The session key of requests made with a grant's tokens. */
export function grantSessionKey(grantId: string): string {
  return `oauth:${grantId}`;
}

/** Watches the store for revoked grants and tells listeners once per grant. */
export class GrantRevocations {
  readonly #listeners = new Set<(grantId: string) => void | Promise<void>>();
  readonly #told = new Set<string>();
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setInterval> | null = null;
  #polling = false;

  /**
   * @param store the OAuth records
   * @param pollMs how often revocations by other processes are looked for
   */
  constructor(private readonly store: OAuthStore, private readonly pollMs = 1_000) {
    this.#unsubscribe = store.onGrantRevoked((id) => this.#revoked(id));
  }

  /** Be told when a grant is revoked. @returns unsubscribe */
  onRevoked(listener: (grantId: string) => void | Promise<void>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Start looking for revocations made by other processes. */
  async start(): Promise<void> {
    try {
      for (const id of await this.store.recentlyRevokedGrants()) this.#told.add(id);
    } catch (error) {
      // The store closed under it (a short-lived app): nothing to watch.
      logger.debug("could not read revoked grants at start", { error });
      return;
    }
    this.#timer = setInterval(() => void this.poll(), this.pollMs);
    Deno.unrefTimer(this.#timer);
  }

  /** Tell listeners of grants revoked since the last look. */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      for (const id of await this.store.recentlyRevokedGrants()) this.#revoked(id);
    } catch (error) {
      logger.warn("could not read revoked grants", { error });
    } finally {
      this.#polling = false;
    }
  }

  #revoked(grantId: string): void {
    if (this.#told.has(grantId)) return;
    this.#told.add(grantId);
    if (this.#told.size > 10_000) this.#told.clear();
    logger.info("grant revoked: ending what it opened", { grant_id: grantId });
    for (const l of this.#listeners) {
      Promise.resolve().then(() => l(grantId)).catch((error) =>
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
