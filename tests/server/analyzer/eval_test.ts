/** @module The analyzer accuracy bar on the 12 real fixtures (heuristic path, fake GitHub). */
import assert from "node:assert/strict";
import { formatTable, runEval } from "../../eval_analyzer.ts";
import { setLogLevel } from "../../../runtime/foundation/log.ts";

Deno.test("analyzer eval - heuristic plans meet the accuracy bar on the fixtures", async () => {
  setLogLevel("warn");
  const rows = await runEval();
  const table = formatTable(rows);
  assert.equal(rows.length, 12, table);
  assert.equal(rows.filter((r) => r.runtime).length, 12, table);
  assert.ok(rows.filter((r) => r.commandArgs).length >= 10, table);
  assert.ok(rows.filter((r) => r.requiredEnv).length >= 10, table);
});
