/**
 * @module Analyzer accuracy evaluation (`deno task eval:analyzer`): runs the heuristic analyzer
 * (no Claude) on every fixture through the fake GitHub API and compares runtime, command+args and
 * required env keys with the hand-made `expected.json`. Totals per split: the original 12 cases,
 * the tuning cases and the held-out third — whose rows are never printed one by one, so tuning
 * cannot look at them.
 */
import { analyze } from "../server/analyzer/analyze.ts";
import { imageBaseName, interpretLaunch } from "../server/analyzer/launch.ts";
import {
  composeUpBuilds,
  dockerComposeRunCommand,
  dockerExecCommand,
} from "../server/analyzer/candidate_rules.ts";
import { createRetryingFetch } from "../server/http/retry_fetch.ts";
import { testSettings } from "../server/settings.ts";
import { setLogLevel } from "../runtime/foundation/log.ts";
import { loadFixtureRepos, startFakeGithub } from "./fakes/github.ts";

/** One fixture's comparison. */
export interface EvalRow {
  name: string;
  split: "original" | "tuning" | "heldout";
  /** The collection batch, when known (held-out batches are totalled one by one). */
  batch?: string;
  runtime: boolean;
  commandArgs: boolean;
  requiredEnv: boolean;
  /**
   * The issue's wording of the env measure: every labelled required key is offered (in the plan's
   * env, needed or not) and no key the plan calls required is one the label does not list.
   */
  envOffered: boolean;
  got: string;
  expected: string;
  /** The labelled runtime (`none` when no plan is possible). */
  expectedRuntime: string;
  error?: string;
}

interface Expected {
  runtime: string;
  command: string | null;
  args: string[];
  url?: string;
  env: { key: string; required: boolean }[];
}

/**
 * An endpoint without the key the router fills in from an env var (`/${X_API_KEY}/mcp`,
 * `?apiKey=${X_API_KEY}`): the same endpoint as the one a label writes taking that key in a header
 * or as a field to fill.
 */
function keylessUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  return url.replace(/\/\$\{[A-Z][A-Z0-9_]*\}(?=[/?#]|$)/g, "")
    .replace(
      /([?&])[^=&#]+=\$\{[A-Z][A-Z0-9_]*\}(&?)/g,
      (_m, sep: string, more: string) => more ? sep : "",
    )
    .replace(/[?&]$/, "");
}

function launchOf(runtime: string, command: string | null, args: string[], url?: string | null) {
  if (runtime === "docker" || runtime === "image") {
    const l = command === "docker" ? interpretLaunch("docker", args) : null;
    // `docker exec -i CONTAINER CMD…` into a container built from the repository: the built
    // image (no reference) running CMD.
    const exec = command === "docker"
      ? args[0] === "exec" ? dockerExecCommand(args) : dockerComposeRunCommand(args)
      : null;
    if (exec) return JSON.stringify(["image", "", exec]);
    // `docker compose up --build`: the image built from the checkout, running its own command.
    if (command === "docker" && composeUpBuilds(args)) return JSON.stringify(["image", "", []]);
    return l ? JSON.stringify(["image", imageBaseName(l.image ?? ""), l.args]) : "";
  }
  if (runtime === "remote") return JSON.stringify(["remote", keylessUrl(url)]);
  // `npx -y PKG` and `npx PKG` are one launch (npx assumes --yes without a TTY).
  if (command === "npx") args = args.filter((a) => a !== "-y" && a !== "--yes");
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
      if (exp.runtime === "none") {
        // No plan is possible: right when the analyzer refuses with a reason.
        const refused = await analyze({ source: c.githubUrl }, { settings, fetch: fetchFn }).then(
          (plan) => `planned ${launchOf(plan.runtime, plan.command, plan.args, plan.url)}`,
          () => null,
        );
        rows.push({
          name: c.name,
          split: c.split,
          batch: c.batch,
          expectedRuntime: exp.runtime,
          runtime: refused === null,
          commandArgs: refused === null,
          requiredEnv: refused === null,
          envOffered: refused === null,
          got: refused ?? "refused",
          expected: "refused (no plan possible)",
        });
        continue;
      }
      try {
        const plan = await analyze({ source: c.githubUrl }, { settings, fetch: fetchFn });
        const gotLaunch = plan.runtime === "image"
          ? JSON.stringify(["image", imageBaseName(plan.image ?? ""), plan.args])
          : launchOf(plan.runtime, plan.command, plan.args, plan.url);
        const gotReq = plan.env.filter((e) => e.required).map((e) => e.key).sort().join(",");
        rows.push({
          name: c.name,
          split: c.split,
          batch: c.batch,
          expectedRuntime: exp.runtime,
          runtime: plan.runtime === expRuntime,
          commandArgs: gotLaunch === expLaunch,
          requiredEnv: gotReq === expReq,
          envOffered: exp.env.every((e) => !e.required || plan.env.some((p) => p.key === e.key)) &&
            plan.env.every((p) => !p.required || exp.env.some((e) => e.key === p.key)),
          got: `${gotLaunch} req=[${gotReq}]`,
          expected: `${expLaunch} req=[${expReq}]`,
        });
      } catch (e) {
        rows.push({
          name: c.name,
          split: c.split,
          batch: c.batch,
          expectedRuntime: exp.runtime,
          runtime: false,
          commandArgs: false,
          requiredEnv: false,
          envOffered: false,
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

/** Totals of some rows: how many are right on each measure. */
export function totals(
  rows: EvalRow[],
): { n: number; runtime: number; commandArgs: number; requiredEnv: number; envOffered: number } {
  const count = (f: (r: EvalRow) => boolean) => rows.filter(f).length;
  return {
    n: rows.length,
    runtime: count((r) => r.runtime),
    commandArgs: count((r) => r.commandArgs),
    requiredEnv: count((r) => r.requiredEnv),
    envOffered: count((r) => r.envOffered),
  };
}

function totalsLine(label: string, rows: EvalRow[]): string {
  const t = totals(rows);
  const pct = (k: number) => (t.n ? `${k}/${t.n} (${Math.round((100 * k) / t.n)}%)` : "0/0");
  return `${label.padEnd(9)} runtime ${pct(t.runtime)}, command+args ${pct(t.commandArgs)}, ` +
    `required env ${pct(t.requiredEnv)}; env keys offered, none invented ${pct(t.envOffered)}`;
}

/** Render rows as a text table with totals; held-out rows count in the totals only. */
export function formatTable(rows: EvalRow[]): string {
  const mark = (b: boolean) => (b ? "ok " : "XX ");
  const shown = rows.filter((r) => r.split !== "heldout");
  const width = Math.max(...shown.map((r) => r.name.length), 4);
  const lines = [`${"case".padEnd(width)}  runtime cmd+args req-env`];
  for (const r of shown) {
    lines.push(
      `${r.name.padEnd(width)}  ${mark(r.runtime)}     ${mark(r.commandArgs)}      ${
        mark(r.requiredEnv)
      }`,
    );
    if (!r.runtime || !r.commandArgs || !r.requiredEnv) {
      lines.push(`    got:      ${r.error ?? r.got}`, `    expected: ${r.expected}`);
    }
  }
  lines.push(totalsLine("totals:", rows));
  for (const split of ["original", "tuning", "heldout"] as const) {
    const part = rows.filter((r) => r.split === split);
    if (part.length) lines.push(totalsLine(`${split}:`, part));
  }
  // Accuracy by labelled runtime, per split (aggregates only: held-out cases stay unseen).
  lines.push("by labelled runtime (runtime / command+args / required env):");
  for (const split of ["tuning", "heldout"] as const) {
    const part = rows.filter((r) => r.split === split);
    const kinds = [...new Set(part.map((r) => r.expectedRuntime))].sort();
    const cells = kinds.map((k) => {
      const t = totals(part.filter((r) => r.expectedRuntime === k));
      return `${k} ${t.runtime}/${t.commandArgs}/${t.requiredEnv} of ${t.n}`;
    });
    lines.push(`  ${split.padEnd(8)} ${cells.join(", ")}`);
  }
  // Each held-out batch alone (totals only): a fresh batch's first run is the honest figure.
  const held = rows.filter((r) => r.split === "heldout" && r.batch);
  const batches = [...new Set(held.map((r) => r.batch!))].sort();
  if (batches.length) {
    lines.push("held-out batches (runtime / command+args / required env / offered, of n):");
    lines.push(`  ${
      batches.map((b) => {
        const t = totals(held.filter((r) => r.batch === b));
        return `${b} ${t.runtime}/${t.commandArgs}/${t.requiredEnv}/${t.envOffered} of ${t.n}`;
      }).join(", ")
    }`);
  }
  return lines.join("\n");
}

if (import.meta.main) {
  setLogLevel("warn");
  const rows = await runEval();
  console.log(formatTable(rows));
}
