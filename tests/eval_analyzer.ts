/**
 * @module Analyzer accuracy evaluation (`deno task eval:analyzer`): runs the heuristic analyzer
 * (no Claude) on every fixture through the fake GitHub API and compares runtime, command+args and
 * required env keys with the hand-made `expected.json`.
 */
import { analyze } from "../server/analyzer/analyze.ts";
import { imageBaseName, interpretLaunch } from "../server/analyzer/launch.ts";
import { createRetryingFetch } from "../server/http/retry_fetch.ts";
import { testSettings } from "../server/settings.ts";
import { setLogLevel } from "../runtime/foundation/log.ts";
import { loadFixtureRepos, startFakeGithub } from "./fakes/github.ts";

/** One fixture's comparison. */
export interface EvalRow {
  name: string;
  runtime: boolean;
  commandArgs: boolean;
  requiredEnv: boolean;
  got: string;
  expected: string;
  error?: string;
}

interface Expected {
  runtime: string;
  command: string | null;
  args: string[];
  url?: string;
  env: { key: string; required: boolean }[];
}

function launchOf(runtime: string, command: string | null, args: string[], url?: string | null) {
  if (runtime === "docker" || runtime === "image") {
    const l = command === "docker" ? interpretLaunch("docker", args) : null;
    return l ? JSON.stringify(["image", imageBaseName(l.image ?? ""), l.args]) : "";
  }
  if (runtime === "remote") return JSON.stringify(["remote", url]);
  return JSON.stringify([runtime, command, args]);
}

/** Run the evaluation; returns one row per fixture. */
export async function runEval(): Promise<EvalRow[]> {
  const cases = loadFixtureRepos();
  const gh = startFakeGithub(cases.map((c) => c.repo));
  const settings = testSettings({ githubApiUrl: gh.url });
  const fetchFn = createRetryingFetch({ retries: 0 });
  const rows: EvalRow[] = [];
  try {
    for (const c of cases) {
      const exp = c.expected as Expected;
      const expRuntime = exp.runtime === "docker" ? "image" : exp.runtime;
      const expLaunch = launchOf(exp.runtime, exp.command, exp.args, exp.url);
      const expReq = exp.env.filter((e) => e.required).map((e) => e.key).sort().join(",");
      try {
        const plan = await analyze({ source: c.githubUrl }, { settings, fetch: fetchFn });
        const gotLaunch = plan.runtime === "image"
          ? JSON.stringify(["image", imageBaseName(plan.image ?? ""), plan.args])
          : launchOf(plan.runtime, plan.command, plan.args, plan.url);
        const gotReq = plan.env.filter((e) => e.required).map((e) => e.key).sort().join(",");
        rows.push({
          name: c.name,
          runtime: plan.runtime === expRuntime,
          commandArgs: gotLaunch === expLaunch,
          requiredEnv: gotReq === expReq,
          got: `${gotLaunch} req=[${gotReq}]`,
          expected: `${expLaunch} req=[${expReq}]`,
        });
      } catch (e) {
        rows.push({
          name: c.name,
          runtime: false,
          commandArgs: false,
          requiredEnv: false,
          got: "",
          expected: expLaunch,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
  } finally {
    await gh.close();
  }
  return rows;
}

/** Render rows as a text table with totals. */
export function formatTable(rows: EvalRow[]): string {
  const mark = (b: boolean) => (b ? "ok " : "XX ");
  const width = Math.max(...rows.map((r) => r.name.length), 4);
  const lines = [`${"case".padEnd(width)}  runtime cmd+args req-env`];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(width)}  ${mark(r.runtime)}     ${mark(r.commandArgs)}      ${
        mark(r.requiredEnv)
      }`,
    );
    if (!r.runtime || !r.commandArgs || !r.requiredEnv) {
      lines.push(`    got:      ${r.error ?? r.got}`, `    expected: ${r.expected}`);
    }
  }
  const n = rows.length;
  const count = (f: (r: EvalRow) => boolean) => rows.filter(f).length;
  lines.push(
    `totals: runtime ${count((r) => r.runtime)}/${n}, command+args ${
      count((r) => r.commandArgs)
    }/${n}, ` +
      `required env ${count((r) => r.requiredEnv)}/${n}`,
  );
  return lines.join("\n");
}

if (import.meta.main) {
  setLogLevel("warn");
  const rows = await runEval();
  console.log(formatTable(rows));
}
