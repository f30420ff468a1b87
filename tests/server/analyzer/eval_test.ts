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

  // Regression floors on the tuning cases (the held-out third is reported, never tuned on).
  const tuning = totals(all.filter((r) => r.split === "tuning"));
  assert.ok(tuning.n >= 300, table);
  assert.ok(tuning.runtime >= 282 && tuning.commandArgs >= 270 && tuning.requiredEnv >= 268, table);
});
