/**
 * @module The watcher behind key and grant revocation: listeners are told once per revoked id —
 * at once when this process revokes (the store's change event), within `pollMs` when another
 * process does (a poll of the store). Ids already revoked when it starts opened nothing here and
 * are not told.
 */
import { createLogger } from "../../runtime/foundation/log.ts";

const logger = createLogger("auth.revocation");

/** Where revocations come from. */
export interface RevocationSource {
  /** What is revoked, for log lines (`key`, `grant`). */
  what: string;
  /** Subscribe to revocations made in this process. @returns unsubscribe */
  subscribe(revoked: (id: string) => void): () => void;
  /** Ids revoked so far, as another process may have left them (read at start and each poll). */
  revokedIds(): Promise<string[]>;
}

/** Tells listeners once per revoked id. */
export class RevocationWatch {
  readonly #listeners = new Set<(id: string) => void | Promise<void>>();
  readonly #told = new Set<string>();
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setInterval> | null = null;
  #polling = false;

  /**
   * @param source the store's revocations
   * @param pollMs how often revocations by other processes are looked for
   */
  constructor(private readonly source: RevocationSource, private readonly pollMs = 1_000) {
    this.#unsubscribe = source.subscribe((id) => this.#revoked(id));
  }

  /** Be told when an id is revoked. @returns unsubscribe */
  onRevoked(listener: (id: string) => void | Promise<void>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Start looking for revocations made by other processes. */
  async start(): Promise<void> {
    try {
      for (const id of await this.source.revokedIds()) this.#told.add(id);
    } catch (error) {
      // The store closed under it (a short-lived app): nothing to watch.
      logger.debug(`could not read revoked ${this.source.what}s at start`, { error });
      return;
    }
    this.#timer = setInterval(() => void this.poll(), this.pollMs);
    Deno.unrefTimer(this.#timer);
  }

  /** Tell listeners of ids revoked since the last look. */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      for (const id of await this.source.revokedIds()) this.#revoked(id);
    } catch (error) {
      logger.warn(`could not read revoked ${this.source.what}s`, { error });
    } finally {
      this.#polling = false;
    }
  }

  #revoked(id: string): void {
    if (this.#told.has(id)) return;
    this.#told.add(id);
    if (this.#told.size > 10_000) this.#told.clear();
    logger.info(`${this.source.what} revoked: ending what it opened`, { id });
    for (const l of this.#listeners) {
      Promise.resolve().then(() => l(id)).catch((error) =>
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
