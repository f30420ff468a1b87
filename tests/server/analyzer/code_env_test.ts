/** @module The env vars a package's code reads, as the last evidence for a README naming none. */
import assert from "node:assert/strict";
import { countEnvReads, MAX_CODE_ENV, rankedEnvReads } from "../../../server/analyzer/code_env.ts";

Deno.test("code env - reads by name, platform and knob variables left out, secrets first", () => {
  const counts = new Map<string, number>();
  countEnvReads(
    [
      "const key = process.env.EXA_API_KEY;",
      'const url = process.env["EXA_BASE_URL"] ?? "https://api.exa.ai";',
      "if (process.env.NODE_ENV === 'production' || process.env.DEBUG) {}",
      "const lvl = process.env.AGNOST_LOG_LEVEL; const h = process.env.HOME;",
      "const t = Deno.env.get('SENTRY_ACCESS_TOKEN'); const p = process.env.HTTPS_PROXY;",
      "process.env.lowercase_name; process.env.EXA_BASE_URL;",
    ].join("\n"),
    counts,
  );
  assert.deepEqual(rankedEnvReads(counts), ["EXA_API_KEY", "SENTRY_ACCESS_TOKEN", "EXA_BASE_URL"]);
  const many = new Map([...Array(20).keys()].map((i) => [`K_${i}_URL`, 1]));
  assert.equal(rankedEnvReads(many).length, MAX_CODE_ENV);
});

Deno.test("code env - bundled tooling and client session ids are no settings", () => {
  const counts = new Map<string, number>();
  countEnvReads(
    [
      "process.env.TSESTREE_SINGLE_RUN; process.env.TSC_WATCHFILE; process.env.TYPESCRIPT_ESLINT_PROJECT_SERVICE;",
      "process.env.CLAUDE_CODE_SESSION_ID; process.env.CURSOR_SESSION_ID; process.env.SHOPIFY_API_KEY;",
    ].join("\n"),
    counts,
  );
  assert.deepEqual(rankedEnvReads(counts), ["SHOPIFY_API_KEY"]);
});
