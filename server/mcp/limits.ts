/**
 * @module Abuse limits for MCP clients: tool calls per minute per actor (API key), and live
 * sessions per key.
 */

/** Width of one bucket of the sliding window. */
const BUCKET_MS = 1_000;
/** Buckets in the one-minute window. */
const BUCKETS = 60;

/** One actor's calls per second over the last minute, and their sum. */
interface Window {
  counts: Uint32Array;
  /** The second each bucket holds. */
  seconds: Float64Array;
  total: number;
}

/**
 * A sliding one-minute window of tool calls per actor, in one-second buckets: each call costs
 * the same whatever the rate (no list of call times to filter).
 */
export class ToolCallLimiter {
  readonly #windows = new Map<string, Window>();
  /** @param perMinute calls allowed per actor per minute */
  constructor(private readonly perMinute: number) {}

  /** Record a call; false when the actor is over its budget (the call must be refused). */
  take(actor: string, now = Date.now()): boolean {
    let w = this.#windows.get(actor);
    if (!w) {
      if (this.#windows.size >= 10_000) this.#windows.clear();
      w = {
        counts: new Uint32Array(BUCKETS),
        seconds: new Float64Array(BUCKETS).fill(-1),
        total: 0,
      };
      this.#windows.set(actor, w);
    }
    const second = Math.floor(now / BUCKET_MS);
    // Drop the buckets that left the window (at most all of them).
    for (let i = 0; i < BUCKETS; i++) {
      if (w.seconds[i] >= 0 && second - w.seconds[i] >= BUCKETS) {
        w.total -= w.counts[i];
        w.counts[i] = 0;
        w.seconds[i] = -1;
      }
    }
    if (w.total >= this.perMinute) return false;
    const slot = second % BUCKETS;
    if (w.seconds[slot] !== second) {
      w.total -= w.counts[slot];
      w.counts[slot] = 0;
      w.seconds[slot] = second;
    }
    w.counts[slot]++;
    w.total++;
    return true;
  }
}

/** Counts live MCP sessions per key id. */
export class SessionCounter {
  readonly #byKey = new Map<string, number>();
  /** @param max sessions allowed per key */
  constructor(private readonly max: number) {}

  /** Reserve a session slot for `keyId` (null = local, unlimited); false when full. */
  acquire(keyId: string | null): boolean {
    if (keyId === null) return true;
    const n = this.#byKey.get(keyId) ?? 0;
    if (n >= this.max) return false;
    this.#byKey.set(keyId, n + 1);
    return true;
  }

  /** Release a slot. */
  release(keyId: string | null): void {
    if (keyId === null) return;
    const n = (this.#byKey.get(keyId) ?? 1) - 1;
    if (n <= 0) this.#byKey.delete(keyId);
    else this.#byKey.set(keyId, n);
  }
}
