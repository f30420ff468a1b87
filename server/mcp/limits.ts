/**
 * @module Abuse limits for MCP clients: tool calls per minute per actor (API key), and live
 * sessions per key.
 */

/** A sliding one-minute window of tool calls per actor. */
export class ToolCallLimiter {
  readonly #calls = new Map<string, number[]>();
  /** @param perMinute calls allowed per actor per minute */
  constructor(private readonly perMinute: number) {}

  /** Record a call; false when the actor is over its budget (the call must be refused). */
  take(actor: string, now = Date.now()): boolean {
    const recent = (this.#calls.get(actor) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.perMinute) {
      this.#calls.set(actor, recent);
      return false;
    }
    recent.push(now);
    this.#calls.set(actor, recent);
    if (this.#calls.size > 10_000) this.#calls.clear();
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
