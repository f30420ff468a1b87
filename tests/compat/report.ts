/**
 * @module The compatibility suite's report: the table (server, runtime, tools, seconds, verdict,
 * failure kind and its log line), the `compat: N of M` line, and `tests/.artifacts/compat.json`.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompatRun } from "./suite.ts";
import type { CompatResult } from "./run_server.ts";

const ARTIFACTS = join(dirname(dirname(fileURLToPath(import.meta.url))), ".artifacts");

/** Where the JSON results are written. */
export const COMPAT_JSON = join(ARTIFACTS, "compat.json");

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function verdictOf(r: CompatResult): string {
  return r.verdict === "pass" ? "pass" : `FAIL ${r.failure?.kind ?? ""} (${r.stage})`;
}

/**
 * The table, one row per server, then each failure's evidence line.
 * @param results results in list order
 */
export function formatTable(results: readonly CompatResult[]): string {
  const server = Math.max(6, ...results.map((r) => r.source.length));
  const verdict = Math.max(7, ...results.map((r) => verdictOf(r).length));
  const header = `${pad("server", server)}  runtime  ${pad("tools", 5, true)}  ${
    pad("seconds", 7, true)
  }  ${pad("verdict", verdict)}  evidence`;
  const rows = results.map((r) => {
    const evidence = r.verdict === "pass"
      ? (r.call && r.call.tool !== "(list)" ? `called ${r.call.tool}` : "listed") +
        (r.install_resolution ? ` (install ${r.install_resolution})` : "")
      : (r.failure?.line ?? r.error ?? "").slice(0, 160);
    return `${pad(r.source, server)}  ${pad(r.runtime, 7)}  ${pad(String(r.tools), 5, true)}  ${
      pad(r.seconds.toFixed(1), 7, true)
    }  ${pad(verdictOf(r), verdict)}  ${evidence}`;
  });
  return [header, "-".repeat(header.length), ...rows].join("\n");
}

/**
 * The closing line: `compat: N of M` (servers that passed of those run).
 * @param run the finished run
 */
export function summaryLine(run: CompatRun): string {
  return `compat: ${run.passed} of ${run.total}`;
}

/**
 * Write the results as JSON to `tests/.artifacts/compat.json`.
 * @param run the finished run
 * @returns the path written
 */
export async function writeArtifact(run: CompatRun): Promise<string> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const body = {
    passed: run.passed,
    total: run.total,
    seconds: run.seconds,
    finished_at: new Date().toISOString(),
    results: run.results,
  };
  await Deno.writeTextFile(COMPAT_JSON, JSON.stringify(body, null, 2) + "\n");
  return COMPAT_JSON;
}
