/**
 * @module The registry-package accuracy floor (`tests/fixtures/analyzer_packages/`), against the
 * REAL npm registry and PyPI; skipped under `MCP_ROUTER_TEST_OFFLINE=1`.
 */
import assert from "node:assert/strict";
import { formatPackageTable, loadPackageCases, runPackageEval } from "../../eval_packages.ts";
import { setLogLevel } from "../../../runtime/foundation/log.ts";

Deno.test({
  name: "analyzer eval - npx:/uvx: packages get their launch and env keys from their own README",
  ignore: Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1",
  fn: async () => {
    setLogLevel("warn");
    const cases = loadPackageCases();
    assert.ok(cases.length >= 39, `${cases.length} cases`);
    const rows = await runPackageEval(cases);
    const table = formatPackageTable(rows);
    const share = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
    // Floors below this session's figures: registries move (a PyPI mirror serves the latest
    // release's README for a pinned one).
    assert.ok(share((r) => r.runtime) >= 0.95, table);
    assert.ok(share((r) => r.extraArgs) >= 0.85, table);
    assert.ok(share((r) => r.requiredEnv) >= 0.8, table);
    assert.ok(share((r) => r.secrets) >= 0.9, table);
  },
});
