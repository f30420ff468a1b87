/**
 * @module Timing: the one abortable sleep and the one poll-until-ready loop with a deadline.
 */

/**
 * Wait `ms` milliseconds.
 * @param ms how long to wait (negative counts as 0)
 * @param signal stops the wait early
 * @throws the signal's `reason` when it aborts first (or already has)
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Options for {@linkcode pollUntil}. */
export interface PollOptions {
  /** Pause between probes in ms. */
  intervalMs: number;
  /** Give up once this many ms have passed since the start (checked after each probe; default: never). */
  timeoutMs?: number;
  /** Give up after this many probes (default: no limit). */
  attempts?: number;
  /** Give up when this aborts (also cuts a pause short). */
  signal?: AbortSignal;
  /** Pause once before the first probe (default false: probe at once). */
  delayFirst?: boolean;
}

/**
 * Call `probe` until it returns something other than `undefined`, pausing between calls. Errors
 * thrown by `probe` propagate.
 * @param probe returns the result once ready, `undefined` while not yet
 * @param options interval, deadline, attempts and signal
 * @returns the probe's first result, or `undefined` when the deadline passed, the attempts ran
 * out or the signal aborted
 * @example const port = await pollUntil(() => ports[want], { intervalMs: 100, timeoutMs: 5_000 });
 */
export async function pollUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  options: PollOptions,
): Promise<T | undefined> {
  const deadline = Date.now() + (options.timeoutMs ?? Infinity);
  const attempts = options.attempts ?? Infinity;
  const pause = () => sleep(options.intervalMs, options.signal).then(() => true, () => false);
  if (options.delayFirst && !(await pause())) return undefined;
  for (let attempt = 1;; attempt++) {
    if (options.signal?.aborted) return undefined;
    const value = await probe();
    if (value !== undefined) return value;
    if (attempt >= attempts || Date.now() >= deadline) return undefined;
    if (!(await pause())) return undefined;
  }
}
