/**
 * @module Registry-package accuracy evaluation (`deno task eval:packages`): runs the heuristic
 * analyzer (no Claude) on every `npx:`/`uvx:` case of `tests/fixtures/analyzer_packages/`, pinned to
 * the labelled version, against the REAL npm registry and PyPI, and compares runtime, the arguments
 * after the package and the env vars (required set; every listed key) with the hand-made
 * `expected.json`. Needs the registries (prints a skip line without them).
 */
import { analyze } from "../server/analyzer/analyze.ts";
import { testSettings } from "../server/settings.ts";
import { setLogLevel } from "../runtime/foundation/log.ts";
import type { Plan } from "../server/schemas/server.ts";

const ROOT = new URL("./fixtures/analyzer_packages/", import.meta.url);

/** One labelled registry case. */
export interface PackageCase {
  name: string;
  source: string;
  version: string;
  registry: "npm" | "pypi";
  expected: {
    runtime: string;
    package: string;
    extra_args: string[];
    env: { key: string; required: boolean; secret: boolean }[];
  };
}

/** One case's comparison. */
export interface PackageRow {
  name: string;
  runtime: boolean;
  extraArgs: boolean;
  requiredEnv: boolean;
  /** Every labelled key is offered and none is invented. */
  allEnv: boolean;
  /** Required labelled keys offered with the right `secret` flag. */
  secrets: boolean;
  got: string;
  expected: string;
  error?: string;
}

/** Load every case folder. */
export function loadPackageCases(): PackageCase[] {
  const cases: PackageCase[] = [];
  for (const entry of [...Deno.readDirSync(ROOT)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory) continue;
    const dir = new URL(`${entry.name}/`, ROOT);
    let source, expected;
    try {
      source = JSON.parse(Deno.readTextFileSync(new URL("source.json", dir)));
      expected = JSON.parse(Deno.readTextFileSync(new URL("expected.json", dir)));
    } catch {
      continue; // a folder still being written
    }
    cases.push({ name: entry.name, ...source, expected });
  }
  return cases;
}

/** The source pinned to the labelled version (`npx:PKG@V`, `uvx:PKG==V`). */
function pinned(c: PackageCase): string {
  if (!c.version) return c.source;
  return c.registry === "npm" ? `${c.source}@${c.version}` : `${c.source}==${c.version}`;
}

const bare = (spec: string) => spec.replace(/(?<=.)@[^/@]*$/, "").replace(/(==|\[).*$/, "");

/** The arguments a plan passes after its package (or, with `--from`, its executable). */
export function argsAfterPackage(plan: Pick<Plan, "runtime" | "args">, pkg: string): string[] {
  const args = [...plan.args];
  const want = pkg.toLowerCase();
  const isPkg = (a: string) => bare(a).toLowerCase() === want;
  if (plan.runtime === "npx") {
    const i = args.findIndex(isPkg);
    // (`-p PKG BIN …`: the package's bin comes next.)
    if (i >= 0 && /^(-p|--package)$/.test(args[i - 1] ?? "")) return args.slice(i + 2);
    if (i >= 0) return args.slice(i + 1);
    return args.filter((a) => a !== "-y" && a !== "--yes");
  }
  const from = args.indexOf("--from");
  if (from >= 0) {
    const rest = args.slice(from + 2);
    const exe = rest.findIndex((a) => !a.startsWith("-"));
    // (`python -m module` is the executable too.)
    if (/^python3?$/.test(rest[exe] ?? "") && rest[exe + 1] === "-m") return rest.slice(exe + 3);
    return exe >= 0 ? rest.slice(exe + 1) : rest;
  }
  const i = args.findIndex(isPkg);
  return i >= 0 ? args.slice(i + 1) : args;
}

const keysOf = (env: { key: string; required: boolean }[], required?: boolean) =>
  env.filter((e) => required === undefined || e.required === required).map((e) => e.key).sort();

/** Run every case; one row each. */
export async function runPackageEval(cases = loadPackageCases()): Promise<PackageRow[]> {
  const settings = testSettings({
    npmRegistryUrl: "https://registry.npmjs.org",
    pypiUrl: "https://pypi.org",
  });
  const rows: PackageRow[] = [];
  for (const c of cases) {
    const exp = c.expected;
    const expReq = keysOf(exp.env, true).join(",");
    const expAll = keysOf(exp.env).join(",");
    const expected = `${exp.runtime} ${
      JSON.stringify(exp.extra_args)
    } req=[${expReq}] all=[${expAll}]`;
    try {
      const plan = await analyze({ source: pinned(c) }, { settings });
      const extra = argsAfterPackage(plan, exp.package);
      const gotReq = keysOf(plan.env, true).join(",");
      const gotAll = keysOf(plan.env).join(",");
      const by = new Map(plan.env.map((e) => [e.key, e]));
      rows.push({
        name: c.name,
        runtime: plan.runtime === exp.runtime,
        extraArgs: JSON.stringify(extra) === JSON.stringify(exp.extra_args),
        requiredEnv: gotReq === expReq,
        allEnv: gotAll === expAll,
        secrets: exp.env.filter((e) => e.required).every((e) => by.get(e.key)?.secret === e.secret),
        got: `${plan.runtime} ${JSON.stringify(extra)} req=[${gotReq}] all=[${gotAll}]`,
        expected,
      });
    } catch (e) {
      rows.push({
        name: c.name,
        runtime: false,
        extraArgs: false,
        requiredEnv: false,
        allEnv: false,
        secrets: false,
        got: "",
        expected,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return rows;
}

/** Render rows with totals. */
export function formatPackageTable(rows: PackageRow[]): string {
  const mark = (b: boolean) => (b ? "ok " : "XX ");
  const width = Math.max(...rows.map((r) => r.name.length), 4);
  const lines = [`${"case".padEnd(width)}  runtime args req-env all-env secret`];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(width)}  ${mark(r.runtime)}     ${mark(r.extraArgs)}  ${
        mark(r.requiredEnv)
      }     ${mark(r.allEnv)}     ${mark(r.secrets)}`,
    );
    if (!r.runtime || !r.extraArgs || !r.requiredEnv || !r.allEnv || !r.secrets) {
      lines.push(`    got:      ${r.error ?? r.got}`, `    expected: ${r.expected}`);
    }
  }
  const n = rows.length;
  const pct = (f: (r: PackageRow) => boolean) => {
    const k = rows.filter(f).length;
    return `${k}/${n} (${n ? Math.round((100 * k) / n) : 0}%)`;
  };
  lines.push(
    `totals: runtime ${pct((r) => r.runtime)}, args ${pct((r) => r.extraArgs)}, required env ${
      pct((r) => r.requiredEnv)
    }, every key ${pct((r) => r.allEnv)}, secret flags ${pct((r) => r.secrets)}`,
  );
  return lines.join("\n");
}

if (import.meta.main) {
  setLogLevel("warn");
  const reachable = await fetch("https://registry.npmjs.org/-/ping", {
    signal: AbortSignal.timeout(5000),
  }).then((r) => (r.body?.cancel(), r.ok), () => false);
  if (!reachable) {
    console.log("registry packages: skipped (the npm registry does not answer)");
  } else {
    console.log(formatPackageTable(await runPackageEval()));
  }
}
