/**
 * @module Registry packages read like repositories, against the REAL npm registry, PyPI and
 * GitHub (skipped under `MCP_ROUTER_TEST_OFFLINE=1`): packages whose READMEs name keys get them
 * in the plan, with `required`/`secret` right. GitHub is only more evidence: rate-limited or
 * not, the package's own README must suffice.
 */
import assert from "node:assert/strict";
import { analyze } from "../../../server/analyzer/analyze.ts";
import { testSettings } from "../../../server/settings.ts";
import { quietLogs } from "../../helpers.ts";

quietLogs();

const OFFLINE = Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1";
const settings = testSettings({
  npmRegistryUrl: "https://registry.npmjs.org",
  pypiUrl: "https://pypi.org",
});

/** Each case: the source, and the keys it must offer as [required, secret]. */
const CASES: { source: string; keys: Record<string, [boolean, boolean]>; optional?: string[] }[] = [
  {
    source: "npx:@modelcontextprotocol/server-github",
    keys: { GITHUB_PERSONAL_ACCESS_TOKEN: [true, true] },
  },
  { source: "npx:@brave/brave-search-mcp-server", keys: { BRAVE_API_KEY: [true, true] } },
  {
    source: "uvx:mcp-server-qdrant",
    keys: { QDRANT_URL: [true, false], QDRANT_API_KEY: [false, true] },
    optional: ["COLLECTION_NAME", "EMBEDDING_MODEL"],
  },
  {
    source: "npx:@modelcontextprotocol/server-slack",
    keys: { SLACK_BOT_TOKEN: [true, true], SLACK_TEAM_ID: [true, false] },
  },
  { source: "npx:firecrawl-mcp", keys: { FIRECRAWL_API_KEY: [true, true] } },
  { source: "npx:tavily-mcp", keys: { TAVILY_API_KEY: [true, true] } },
];

for (const c of CASES) {
  Deno.test({
    name: `registry packages - ${c.source} offers ${Object.keys(c.keys).join(", ")}`,
    ignore: OFFLINE,
    fn: async () => {
      const plan = await analyze({ source: c.source }, { settings });
      const by = new Map(plan.env.map((e) => [e.key, e]));
      for (const [key, [required, secret]] of Object.entries(c.keys)) {
        const spec = by.get(key);
        assert.ok(spec, `${key} missing: ${[...by.keys()].join(", ")}; ${plan.warnings}`);
        assert.deepEqual(
          { key, required: spec.required, secret: spec.secret },
          { key, required, secret },
        );
      }
      for (const key of c.optional ?? []) {
        assert.equal(by.get(key)?.required, false, `${key} is offered and optional`);
      }
      assert.ok(plan.description, "described");
      assert.ok(
        !plan.warnings.some((w) => /could not read|not found in the registry/.test(w)),
        plan.warnings.join("\n"),
      );
    },
  });
}
