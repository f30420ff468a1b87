/**
 * @module Print the scored launch candidates of named analyzer fixtures (debug aid):
 * `deno run -A tests/plan_candidates.ts CASE…`. Refuses held-out cases.
 */
import { gatherEvidence } from "../server/analyzer/evidence.ts";
import { loadFixtureRepos } from "./fakes/github.ts";

for (const c of loadFixtureRepos().filter((c) => Deno.args.includes(c.name))) {
  if (c.split === "heldout") continue;
  const [owner, repoName] = c.repo.repo.split("/");
  const readme = c.repo.readme ? { path: "README.md", text: c.repo.readme } : null;
  const r = gatherEvidence({
    readme,
    files: c.repo.files,
    repoName,
    subpath: c.repo.subpath,
    owner,
  });
  console.log(`# ${c.name}`);
  for (const k of r.candidates) {
    console.log(
      k.score.toFixed(2),
      k.kind,
      k.runtime,
      k.command,
      JSON.stringify(k.args),
      k.url ?? "",
      "|",
      k.section,
      Deno.env.get("CONTEXT") ? `| ${JSON.stringify(k.context)}` : "",
    );
  }
}
