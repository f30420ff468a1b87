/**
 * @module One-time reveals for post/redirect/get: `POST /connect/keys` keeps the new plain key
 * here under a random token and redirects to `GET /connect?created=TOKEN`, which takes it once.
 * Records live in this process's memory only, expire after a few minutes and are deleted on
 * first read — the URL holds the token, never the key, and a reload shows nothing.
 */
import { randomHex } from "../auth/tokens.ts";

/** One revealed value. */
export interface Reveal {
  name: string;
  key: string;
}

/** Options of {@linkcode OneTimeReveals}. */
export interface OneTimeRevealsOptions {
  /** How long a reveal waits to be read (default 5 minutes). */
  ttlMs?: number;
  /** Most reveals kept at once; the oldest go first (default 32). */
  max?: number;
  /** Clock (tests). */
  now?: () => number;
}

/** Single-use, short-lived reveals keyed by random tokens. */
export class OneTimeReveals {
  readonly #items = new Map<string, { value: Reveal; expires: number }>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;

  /** @param options time to live, capacity and clock */
  constructor(options: OneTimeRevealsOptions = {}) {
    this.#ttl = options.ttlMs ?? 5 * 60_000;
    this.#max = options.max ?? 32;
    this.#now = options.now ?? Date.now;
  }

  /** Keep `value`; @returns the token that reads it once */
  put(value: Reveal): string {
    this.#sweep();
    while (this.#items.size >= this.#max) this.#items.delete(this.#items.keys().next().value!);
    const token = randomHex(16);
    this.#items.set(token, { value, expires: this.#now() + this.#ttl });
    return token;
  }

  /** The value for `token`, removed as it is read; null when unknown, read or expired. */
  take(token: string): Reveal | null {
    this.#sweep();
    const item = this.#items.get(token);
    this.#items.delete(token);
    return item ? item.value : null;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [token, item] of this.#items) if (item.expires <= now) this.#items.delete(token);
  }
}
