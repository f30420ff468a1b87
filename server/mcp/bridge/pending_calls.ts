/**
 * @module Registry of bridged calls waiting for a client's retry, bounded per principal.
 *
 * Design: an entry is registered when a bridged call first answers `input_required` and stays until
 * the call finishes or is abandoned. While the router waits for the client's retry the entry's
 * timer is armed; when it fires the entry is removed and its `abandon()` runs (the bridge answers
 * the downstream's pending requests with an error and cancels the call). While a retry is being
 * served the timer is disarmed. At most `maxPerPrincipal` entries per principal exist at once, so
 * one API key cannot pin unbounded downstream calls.
 */

/** What the registry needs of a pending call. */
export interface PendingEntry {
  /** Unique id (goes into the sealed requestState). */
  readonly id: string;
  /** The principal that started the call. */
  readonly principal: string;
  /** Give the call up: called once when its timer fires or the registry closes. */
  abandon(): void;
}

/** Limits of {@link PendingCalls}. */
export interface PendingCallsOptions {
  /** Pending calls one principal may hold at once (default 16). */
  maxPerPrincipal?: number;
  /** How long a call waits for the client's retry before it is abandoned, ms (default 300 000). */
  timeoutMs?: number;
}

/** Pending bridged calls by id, with per-principal bound and retry timeout. */
export class PendingCalls<E extends PendingEntry> {
  readonly #entries = new Map<string, { entry: E; timer?: ReturnType<typeof setTimeout> }>();
  readonly #perPrincipal = new Map<string, number>();
  readonly #max: number;
  /** The retry timeout in ms. */
  readonly timeoutMs: number;

  /** @param options bound per principal and retry timeout */
  constructor(options: PendingCallsOptions = {}) {
    this.#max = options.maxPerPrincipal ?? 16;
    this.timeoutMs = options.timeoutMs ?? 300_000;
  }

  /** Register `entry` (timer disarmed). False when its principal already holds the maximum. */
  add(entry: E): boolean {
    if (this.#entries.has(entry.id)) return true;
    const count = this.#perPrincipal.get(entry.principal) ?? 0;
    if (count >= this.#max) return false;
    this.#perPrincipal.set(entry.principal, count + 1);
    this.#entries.set(entry.id, { entry });
    return true;
  }

  /** The entry with `id`, if still pending. */
  get(id: string): E | undefined {
    return this.#entries.get(id)?.entry;
  }

  /** Start (or restart) the retry timer of `id`. */
  arm(id: string): void {
    const slot = this.#entries.get(id);
    if (!slot) return;
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (this.#entries.get(id) !== slot) return;
      this.delete(id);
      slot.entry.abandon();
    }, this.timeoutMs);
  }

  /** Stop the retry timer of `id` (a retry is being served). */
  disarm(id: string): void {
    const slot = this.#entries.get(id);
    if (!slot) return;
    clearTimeout(slot.timer);
    slot.timer = undefined;
  }

  /** Remove `id` (finished call); no-op when absent. */
  delete(id: string): void {
    const slot = this.#entries.get(id);
    if (!slot) return;
    clearTimeout(slot.timer);
    this.#entries.delete(id);
    const left = (this.#perPrincipal.get(slot.entry.principal) ?? 1) - 1;
    if (left > 0) this.#perPrincipal.set(slot.entry.principal, left);
    else this.#perPrincipal.delete(slot.entry.principal);
  }

  /** Pending calls of `principal`, or of everyone when absent. */
  count(principal?: string): number {
    return principal === undefined ? this.#entries.size : this.#perPrincipal.get(principal) ?? 0;
  }

  /** Abandon and remove every entry (router shutdown). */
  close(): void {
    for (const [id, slot] of [...this.#entries]) {
      this.delete(id);
      slot.entry.abandon();
    }
  }
}
