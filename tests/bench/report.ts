/**
 * @module Benchmark report: turns the JSON results into a readable fixed-width table.
 */

/** One table row: a measured value, its same-run baseline and their ratio. */
export interface ReportRow {
  bench: string;
  metric: string;
  value: string;
  baseline: string;
  ratio: string;
}

/** Format milliseconds for the table. */
export function ms(x: number): string {
  return x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(x >= 10 ? 1 : 2)} ms`;
}

/** Format a ratio for the table. */
export function times(x: number): string {
  if (!Number.isFinite(x)) return "-";
  return x < 0.1 ? `${x.toPrecision(2)}x` : `${x.toFixed(2)}x`;
}

/** Render rows (plus free-form notes) as a fixed-width text table. */
export function renderTable(rows: ReportRow[], notes: string[] = []): string {
  const head: ReportRow = {
    bench: "benchmark",
    metric: "metric",
    value: "router",
    baseline: "baseline",
    ratio: "ratio",
  };
  const cols = ["bench", "metric", "value", "baseline", "ratio"] as const;
  const width = Object.fromEntries(
    cols.map((c) => [c, Math.max(...[head, ...rows].map((r) => r[c].length))]),
  ) as Record<(typeof cols)[number], number>;
  const line = (r: ReportRow) =>
    cols.map((c) =>
      c === "bench" || c === "metric" ? r[c].padEnd(width[c]) : r[c].padStart(width[c])
    )
      .join(" | ");
  const rule = cols.map((c) => "-".repeat(width[c])).join("-+-");
  const out = [line(head), rule];
  let last = "";
  for (const r of rows) {
    out.push(line({ ...r, bench: r.bench === last ? "" : r.bench }));
    last = r.bench;
  }
  if (notes.length) out.push("", ...notes.map((n) => `* ${n}`));
  return out.join("\n");
}
