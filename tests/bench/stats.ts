/**
 * @module Benchmark statistics: timing, percentiles (nearest rank) and rounded ratios.
 */

/** Summary of a latency sample in milliseconds. */
export interface LatencyStats {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Round to `digits` decimals. */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Nearest-rank percentile (`q` in 0..1) of an already sorted sample. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Summarise a latency sample (ms, rounded to 3 decimals). */
export function summarize(samples: number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return {
    n: s.length,
    min: round(s[0] ?? NaN, 3),
    p50: round(percentile(s, 0.5), 3),
    p95: round(percentile(s, 0.95), 3),
    p99: round(percentile(s, 0.99), 3),
    max: round(s[s.length - 1] ?? NaN, 3),
    mean: round(mean, 3),
  };
}

/** `a / b` rounded to 2 decimals (NaN when `b` is 0). */
export function ratio(a: number, b: number): number {
  return b === 0 ? NaN : round(a / b, 2);
}

/** Milliseconds taken by `fn`. */
export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
