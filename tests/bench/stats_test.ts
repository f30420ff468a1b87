/**
 * Unit tests of the benchmark helpers (percentiles, ratios, table rendering).
 */
import assert from "node:assert/strict";
import { percentile, ratio, summarize } from "./stats.ts";
import { renderTable, times } from "./report.ts";

Deno.test("Bench stats - nearest-rank percentiles and summary", () => {
  const sample = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sample, 0.5), 50);
  assert.equal(percentile(sample, 0.95), 95);
  assert.equal(percentile([7], 0.95), 7);
  const s = summarize([3, 1, 2]);
  assert.deepEqual([s.n, s.min, s.p50, s.max, s.mean], [3, 1, 2, 3, 2]);
});

Deno.test("Bench stats - ratios and their formatting", () => {
  assert.equal(ratio(3, 2), 1.5);
  assert.ok(Number.isNaN(ratio(1, 0)));
  assert.equal(times(1.5), "1.50x");
  assert.equal(times(0.0038), "0.0038x");
  assert.equal(times(NaN), "-");
});

Deno.test("Bench report - table aligns columns and repeats no benchmark name", () => {
  const table = renderTable([
    { bench: "a", metric: "m1", value: "1 ms", baseline: "2 ms", ratio: "0.50x" },
    { bench: "a", metric: "m2", value: "10 ms", baseline: "2 ms", ratio: "5.00x" },
  ], ["note"]);
  const lines = table.split("\n");
  assert.equal(new Set(lines.slice(0, 4).map((l) => l.length)).size, 1);
  assert.ok(lines[3].startsWith("  "));
  assert.equal(lines.at(-1), "* note");
});
