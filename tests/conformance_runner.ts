/**
 * @module Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, server
 * mode) against an MCP streamable-HTTP URL and parses per-scenario results.
 *
 * The CLI needs Node >= 22, so it is run through Deno (`deno run -A npm:…`) with
 * `--no-config --no-lock` from a temp directory (it must not touch the project's deno.json/lock).
 * Results come from the per-scenario `checks.json` files the CLI writes with `-o`, merged with the
 * `=== SUMMARY ===` lines of its stdout (which also cover scenarios that crashed before writing).
 *
 * A scenario is `ok` when none of its checks has status FAILURE (the CLI's own ✓/✗ rule);
 * WARNING checks are counted separately and reported in `detail`.
 *
 *   deno run -A tests/conformance_runner.ts http://127.0.0.1:PORT/mcp [--scenario NAME] [--suite all]
 *   deno run -A tests/conformance_runner.ts http://127.0.0.1:PORT/mcp --requirements 2026-07-28
 */

import { z } from "zod";

/** Version of the conformance package this runner is pinned to. */
export const CONFORMANCE_VERSION = "0.1.16";

/** Conformance package version used for `--requirements` runs (MCP 2026-07-28 and 2025-11-25). */
export const CONFORMANCE_REQUIREMENTS_VERSION = "0.2.0-alpha.12";

/** Options for {@linkcode runConformance}. */
export interface ConformanceOptions {
  /** Scenario set: "all" (default, 32 scenarios incl. pending), "active" (CLI default) or "pending". */
  suite?: "all" | "active" | "pending";
  /** Run only this scenario (overrides `suite`). */
  scenario?: string;
  /** Only scenarios for this spec version (e.g. "2025-06-18"). */
  specVersion?: string;
  /**
   * Run the scenario set a protocol revision requires (`--requirements`, e.g. "2026-07-28"),
   * with {@linkcode CONFORMANCE_REQUIREMENTS_VERSION} unless `version` is given; overrides `suite`.
   */
  requirements?: string;
  /** Kill the CLI after this many ms; default 300 000. */
  timeoutMs?: number;
  /** Where the CLI writes results; default a fresh temp dir, deleted afterwards unless `keepOutput`. */
  outputDir?: string;
  /** Keep the results directory (always kept when `outputDir` is given). */
  keepOutput?: boolean;
  /** Package version override; default {@linkcode CONFORMANCE_VERSION}. */
  version?: string;
  /** Abort the run early. */
  signal?: AbortSignal;
}

/** Outcome of one scenario. */
export interface ScenarioResult {
  /** Scenario name, e.g. `tools-call-simple-text`. */
  name: string;
  /** True when no check failed. */
  ok: boolean;
  /** Checks with status SUCCESS. */
  checksPassed: number;
  /** Checks with status FAILURE. */
  checksFailed: number;
  /** Checks with status WARNING. */
  warnings: number;
  /** Failure / warning messages, if any. */
  detail?: string;
  /**
   * For `requirements` runs: why the CLI does not score this scenario for the revision
   * (e.g. "pending", "extension", "added-after-release"); absent when it is scored.
   */
  unscored?: string;
}

/** Outcome of a whole run. */
export interface ConformanceResult {
  /** Scenarios that passed. */
  passed: number;
  /** Scenarios that failed (including ones that crashed or were cut by the timeout). */
  failed: number;
  /** Total WARNING checks over all scenarios. */
  warnings: number;
  /** Per-scenario results, in run order. */
  scenarios: ScenarioResult[];
  /** CLI exit code (1 when any scenario failed; -1 when killed). */
  exitCode: number;
  /** True when the timeout (or signal) stopped the CLI. */
  timedOut: boolean;
  /** Wall-clock duration of the CLI run. */
  durationMs: number;
  /** The exact command line that was run. */
  command: string[];
  /** CLI stdout with ANSI colours stripped. */
  stdout: string;
  /** CLI stderr with ANSI colours stripped. */
  stderr: string;
  /** Results directory, when kept. */
  outputDir?: string;
  /** Check counts over scored scenarios only (those without `unscored`). */
  scoredChecks: { passed: number; failed: number };
}

const CheckSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  status: z.string(),
  errorMessage: z.string().optional(),
});
const ChecksFileSchema = z.array(CheckSchema);
type Check = z.infer<typeof CheckSchema>;

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const SUMMARY_LINE = /^([✓✗]) (\S+): (\d+) passed, (\d+) failed\s*$/;
const RESULT_DIR = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/**
 * `deno` arguments that run the conformance CLI at `version` with its sub-command arguments
 * (`server …`, `client …`, `authorization …`).
 */
export function conformanceCli(version: string, subArgs: string[]): string[] {
  return [
    "run",
    "-A",
    "--no-config",
    "--no-lock",
    `npm:@modelcontextprotocol/conformance@${version}`,
    ...subArgs,
  ];
}

/** Build the CLI argument list (after the deno executable). */
export function conformanceArgs(
  url: string,
  opts: ConformanceOptions & { outputDir: string },
): string[] {
  const version = opts.version ??
    (opts.requirements ? CONFORMANCE_REQUIREMENTS_VERSION : CONFORMANCE_VERSION);
  const args = conformanceCli(version, ["server", "--url", url, "-o", opts.outputDir]);
  if (opts.scenario) args.push("--scenario", opts.scenario);
  else if (opts.requirements) args.push("--requirements", opts.requirements);
  else args.push("--suite", opts.suite ?? "all");
  if (opts.specVersion) args.push("--spec-version", opts.specVersion);
  return args;
}

/** Parse the `=== SUMMARY ===` block of the CLI's stdout into scenario → ok. */
export function parseSummary(
  stdout: string,
): Map<string, { ok: boolean; passed: number; failed: number }> {
  const out = new Map<string, { ok: boolean; passed: number; failed: number }>();
  const start = stdout.lastIndexOf("=== SUMMARY ===");
  if (start < 0) return out;
  for (const line of stdout.slice(start).split("\n")) {
    const m = SUMMARY_LINE.exec(line.replace(ANSI, "").trim());
    if (m) out.set(m[2], { ok: m[1] === "✓", passed: Number(m[3]), failed: Number(m[4]) });
  }
  return out;
}

const UNSCORED_LINE = /^[✓✗] (\S+) \(([^)]+)\)\s*$/;

/** Parse the "Not scored for <rev>" block of a `--requirements` run into scenario → reason. */
export function parseUnscored(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  const start = stdout.lastIndexOf("Not scored for ");
  if (start < 0) return out;
  for (const line of stdout.slice(start).split("\n").slice(1)) {
    const m = UNSCORED_LINE.exec(line.replace(ANSI, "").trim());
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

/** Read every `<dir>/server-<scenario>-<timestamp>/checks.json`, keyed by scenario (in run order). */
export async function readChecks(dir: string): Promise<Map<string, Check[]>> {
  const found: { name: string; dir: string }[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const m = entry.isDirectory ? RESULT_DIR.exec(entry.name) : null;
      if (m) found.push({ name: m[1], dir: entry.name });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  found.sort((a, b) => a.dir.slice(a.name.length).localeCompare(b.dir.slice(b.name.length)));
  const out = new Map<string, Check[]>();
  for (const { name, dir: sub } of found) {
    try {
      const raw = JSON.parse(await Deno.readTextFile(`${dir}/${sub}/checks.json`));
      out.set(name, ChecksFileSchema.parse(raw));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      out.set(name, [{
        id: name,
        status: "FAILURE",
        errorMessage: `unreadable checks.json: ${message}`,
      }]);
    }
  }
  return out;
}

function scenarioFromChecks(name: string, checks: Check[]): ScenarioResult {
  const failures = checks.filter((c) => c.status === "FAILURE");
  const warnings = checks.filter((c) => c.status === "WARNING");
  const notes = [
    ...failures.map((c) => `FAILURE ${c.id}: ${c.errorMessage ?? "failed"}`),
    ...warnings.map((c) => `WARNING ${c.id}: ${c.errorMessage ?? "warning"}`),
  ];
  return {
    name,
    ok: failures.length === 0,
    checksPassed: checks.filter((c) => c.status === "SUCCESS").length,
    checksFailed: failures.length,
    warnings: warnings.length,
    ...(notes.length > 0 ? { detail: notes.join("; ") } : {}),
  };
}

/** Merge checks.json results with the stdout summary into one ordered scenario list. */
export function mergeResults(
  checks: Map<string, Check[]>,
  summary: Map<string, { ok: boolean; passed: number; failed: number }>,
): ScenarioResult[] {
  const names = [...summary.keys()];
  for (const name of checks.keys()) if (!summary.has(name)) names.push(name);
  return names.map((name) => {
    const fileChecks = checks.get(name);
    const line = summary.get(name);
    if (fileChecks) {
      const result = scenarioFromChecks(name, fileChecks);
      if (line && !line.ok && result.ok) {
        return { ...result, ok: false, detail: result.detail ?? "summary reports failure" };
      }
      return result;
    }
    // In the summary but no checks.json: the scenario threw before its results were saved.
    return {
      name,
      ok: line?.ok ?? false,
      checksPassed: line?.passed ?? 0,
      checksFailed: line?.failed ?? 1,
      warnings: 0,
      detail: "scenario crashed before writing checks.json (see stdout/stderr)",
    };
  });
}

/** Run the conformance suite against `url` (an MCP streamable-HTTP endpoint) and parse results. */
export async function runConformance(
  url: string,
  opts: ConformanceOptions = {},
): Promise<ConformanceResult> {
  const workDir = await Deno.makeTempDir({ prefix: "mcp-conformance-" });
  const outputDir = opts.outputDir ?? `${workDir}/results`;
  await Deno.mkdir(outputDir, { recursive: true });
  const args = conformanceArgs(url, { ...opts, outputDir });
  const timeout = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    timeout.abort();
  }, opts.timeoutMs ?? 300_000);
  const onAbort = () => {
    timedOut = true;
    timeout.abort();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const started = performance.now();
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: workDir,
      env: { DENO_TLS_CA_STORE: "system", NO_COLOR: "1", FORCE_COLOR: "0" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: timeout.signal,
    }).output();
    const durationMs = Math.round(performance.now() - started);
    const stdout = new TextDecoder().decode(output.stdout).replace(ANSI, "");
    const stderr = new TextDecoder().decode(output.stderr).replace(ANSI, "");
    const unscored = parseUnscored(stdout);
    const scenarios = mergeResults(await readChecks(outputDir), parseSummary(stdout)).map((s) =>
      unscored.has(s.name) ? { ...s, unscored: unscored.get(s.name) } : s
    );
    const scored = scenarios.filter((s) => s.unscored === undefined);
    if (timedOut && !opts.scenario) {
      scenarios.push({
        name: "(timeout)",
        ok: false,
        checksPassed: 0,
        checksFailed: 1,
        warnings: 0,
        detail: `suite killed after ${opts.timeoutMs ?? 300_000} ms`,
      });
    }
    const passed = scenarios.filter((s) => s.ok).length;
    const keep = opts.keepOutput || opts.outputDir !== undefined;
    return {
      passed,
      failed: scenarios.length - passed,
      warnings: scenarios.reduce((n, s) => n + s.warnings, 0),
      scenarios,
      exitCode: timedOut ? -1 : output.code,
      timedOut,
      durationMs,
      command: [Deno.execPath(), ...args],
      stdout,
      stderr,
      ...(keep ? { outputDir } : {}),
      scoredChecks: {
        passed: scored.reduce((n, s) => n + s.checksPassed, 0),
        failed: scored.reduce((n, s) => n + s.checksFailed, 0),
      },
    };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
    if (!opts.keepOutput) await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}

/** Read `tests/fixtures/conformance_expected_failures.txt`-style files: one name per line, `#` comments. */
export async function readExpectedFailures(path: string | URL): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").map((line) => line.replace(/#.*/, "").trim()).filter((line) =>
    line !== ""
  );
}

if (import.meta.main) {
  const [url, ...rest] = Deno.args;
  if (!url) {
    console.error(
      "usage: conformance_runner.ts URL [--scenario NAME] [--suite all|active|pending] [--requirements REV]",
    );
    Deno.exit(2);
  }
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const suite = z.enum(["all", "active", "pending"]).optional().parse(flag("--suite"));
  const result = await runConformance(url, {
    scenario: flag("--scenario"),
    suite,
    requirements: flag("--requirements"),
  });
  for (const s of result.scenarios) {
    const tag = s.unscored ? ` (${s.unscored})` : "";
    console.log(`${s.ok ? "✓" : "✗"} ${s.name}${tag}${s.detail ? ` — ${s.detail}` : ""}`);
  }
  console.log(`${result.passed} passed, ${result.failed} failed (${result.durationMs} ms)`);
  Deno.exit(result.failed > 0 ? 1 : 0);
}

/** Total of one check counter over all scenarios (scored or not). */
export function sumChecks(
  scenarios: readonly ScenarioResult[],
  key: "checksPassed" | "checksFailed",
): number {
  return scenarios.reduce((n, s) => n + s[key], 0);
}
