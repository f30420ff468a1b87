/**
 * @module Failure kinds of the compatibility suite: what a failed server's HTTP statuses, test
 * error and log lines say went wrong, in the words of issue 11, with the one log line that shows
 * it.
 */

/** Why a server failed, by kind (fix the kind, not the instance). */
export type FailureKind =
  | "kv-value-too-large"
  | "5xx"
  | "naming"
  | "executable-name"
  | "missing-binary"
  | "native-addon"
  | "python-dependency-drift"
  | "python-version"
  | "needs-args-or-env"
  | "needs-network"
  | "no-tools"
  | "call-failed"
  | "timeout"
  | "router-unreachable"
  | "host-resources"
  | "other";

/** What the suite saw of a failed server. */
export interface FailureEvidence {
  /**
   * Step that failed: `analyze`, `save`, `env`, `test`, `list`, `call`, or `timeout` / `router`
   * when a request got no answer in time / at all.
   */
  stage: string;
  /** HTTP status of the failed step (0 when the request itself failed). */
  status: number;
  /** Every 5xx seen, as `METHOD PATH STATUS`. */
  serverErrors: string[];
  /** The error message and the server's log lines, most telling last. */
  lines: string[];
}

/** The kind and the line of the evidence that shows it. */
export interface Classified {
  kind: FailureKind;
  line: string;
}

/** Patterns per kind, most specific first. */
const PATTERNS: [FailureKind, RegExp][] = [
  ["kv-value-too-large", /value too large/i],
  ["host-resources", /No space left on device|image not known|cannot allocate memory/i],
  [
    "python-version",
    /requires-python|requires a different python|python_version|python\s*>=\s*3\.\d+|only .*python .*3\.\d+ .*available|no interpreter found/i,
  ],
  [
    "native-addon",
    /node-gyp|gyp ERR|prebuild-install|node-pre-gyp|Could not locate the bindings file|\.node: (cannot open|invalid ELF)|NODE_MODULE_VERSION|was compiled against a different Node/i,
  ],
  [
    "missing-binary",
    /Bad git executable|git executable|command not found|spawn \S+ ENOENT|executable file not found|No such file or directory: '[^']+'|(chrome|chromium|browser)[^.]*(not found|is not installed|could not be found)/i,
  ],
  [
    "executable-name",
    /failed to exec pid1|executable named .* (is not|not) provided|not provided by package/i,
  ],
  [
    "python-dependency-drift",
    /\b(ImportError|ModuleNotFoundError)\b|cannot import name|has no attribute/i,
  ],
  [
    "needs-network",
    /ENOTFOUND|EAI_AGAIN|getaddrinfo|Temporary failure in name resolution|Network is unreachable|ECONNREFUSED|ETIMEDOUT|fetch failed|Failed to resolve|Connection refused/i,
  ],
  [
    "needs-args-or-env",
    /missing required|missing (option|argument)|requires? the --[\w-]+ (flag|option)|is required|are required|must be (set|provided)|not set|no .*(token|api key|credentials)|usage:|invalid (api )?key|unauthori[sz]ed|401/i,
  ],
];

/**
 * Classify a failure from what was seen.
 * @param evidence stage, status, 5xx list and lines (error first, then logs)
 * @returns the kind and the one line that shows it
 */
export function classifyFailure(evidence: FailureEvidence): Classified {
  const lines = evidence.lines.map((l) => l.trim()).filter(Boolean);
  const tooLarge = lines.find((l) => PATTERNS[0][1].test(l));
  if (tooLarge) return { kind: "kv-value-too-large", line: tooLarge };
  if (evidence.serverErrors.length > 0) {
    return { kind: "5xx", line: lines.at(-1) ?? evidence.serverErrors[0] };
  }
  if (evidence.stage === "save" && evidence.status === 409) {
    return { kind: "naming", line: lines[0] ?? "409 name taken" };
  }
  if (evidence.stage === "router") {
    return { kind: "router-unreachable", line: lines[0] ?? "the router did not answer" };
  }
  if (evidence.stage === "timeout") {
    return { kind: "timeout", line: lines.at(-1) ?? "timed out" };
  }
  for (const [kind, pattern] of PATTERNS.slice(1)) {
    const line = [...lines].reverse().find((l) => pattern.test(l));
    if (line) return { kind, line };
  }
  if (evidence.stage === "list") return { kind: "no-tools", line: lines.at(-1) ?? "" };
  if (evidence.stage === "call") return { kind: "call-failed", line: lines.at(-1) ?? "" };
  if (evidence.stage === "test" && /no tools|0 tools/i.test(lines.join(" "))) {
    return { kind: "no-tools", line: lines.at(-1) ?? "" };
  }
  return { kind: "other", line: lines.at(-1) ?? "" };
}
