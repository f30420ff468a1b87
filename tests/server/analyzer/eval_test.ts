/** @module The analyzer accuracy bar on the real fixtures (heuristic path, fake GitHub). */
import assert from "node:assert/strict";
import { formatTable, runEval, totals } from "../../eval_analyzer.ts";
import { setLogLevel } from "../../../runtime/foundation/log.ts";

Deno.test("analyzer eval - heuristic plans meet the accuracy bar on the fixtures", async () => {
  setLogLevel("warn");
  const all = await runEval();
  const table = formatTable(all);
  const rows = all.filter((r) => r.split === "original");
  assert.equal(rows.length, 12, table);
  assert.equal(rows.filter((r) => r.runtime).length, 12, table);
  assert.equal(rows.filter((r) => r.commandArgs).length, 12, table);
  assert.equal(rows.filter((r) => r.requiredEnv).length, 12, table);

  // The bar reached on the whole set (original + tuning + held-out), guarded against regressions.
  const t = totals(all);
  assert.ok(t.n >= 60, table);
  assert.ok(t.runtime >= 57, table);
  assert.ok(t.commandArgs >= 56, table);
  assert.ok(t.requiredEnv >= 57, table);
  const tuning = totals(all.filter((r) => r.split === "tuning"));
  assert.ok(tuning.runtime >= 33 && tuning.commandArgs >= 33 && tuning.requiredEnv >= 33, table);
  const heldout = totals(all.filter((r) => r.split === "heldout"));
  assert.ok(heldout.runtime >= 12 && heldout.commandArgs >= 11 && heldout.requiredEnv >= 12, table);
});
