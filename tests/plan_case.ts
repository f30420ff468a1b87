/**
 * @module Print the heuristic plan for named analyzer fixtures (debug aid):
 * `deno run -A tests/plan_case.ts CASE…`. Refuses held-out cases.
 */
import { analyze } from "../server/analyzer/analyze.ts";
import { createRetryingFetch } from "../server/http/retry_fetch.ts";
import { testSettings } from "../server/settings.ts";
import { setLogLevel } from "../runtime/foundation/log.ts";
import { loadFixtureRepos, startFakeGithub } from "./fakes/github.ts";

setLogLevel("error");
const cases = loadFixtureRepos().filter((c) => Deno.args.includes(c.name));
const gh = startFakeGithub(cases.map((c) => c.repo));
try {
  for (const c of cases) {
    if (c.split === "heldout") {
      console.log(`${c.name}: held out, not shown`);
      continue;
    }
    const plan = await analyze({ source: c.githubUrl }, {
      settings: testSettings({ githubApiUrl: gh.url }),
      fetch: createRetryingFetch({ retries: 0 }),
    }).catch((e) => ({ error: String(e) }));
    console.log(c.name, JSON.stringify(plan, null, 1));
  }
} finally {
  await gh.close();
}
