/**
 * @module Why a server failed to start, in one line. Looks at how the start ended (exit code,
 * deadline, install) and at the log lines it wrote, and names the cause a user can fix: an empty
 * or missing key/env var, a missing command-line argument, an unreachable network, a missing
 * module or package, a Python too old, a command that does not exist, a process that is not an MCP
 * server on stdio, or a timeout. Pure: no I/O; the log lines are already redacted.
 */
import {
  evidenceLine,
  findCause,
  type FoundCause,
  type StartupFailureKind,
} from "./startup_patterns.ts";

export type { StartupFailureKind };

/** The classified failure. */
export interface StartupFailure {
  kind: StartupFailureKind;
  /**
   * One line, how it ended first, then the cause and what to do, e.g. `exited during start-up
   * (code 1): required env var GITHUB_PERSONAL_ACCESS_TOKEN is empty — set it in the server's env`.
   */
  summary: string;
  /** The env var, argument, host, module or package the logs name, when they name one. */
  subject: string | null;
  /** The log line that gave the cause away (trimmed), when one did. */
  evidence: string | null;
}

/** What is known about a failed start. */
export interface StartupObservation {
  /** `install`: building the server's image failed; `start`: the process did not come up. */
  phase: "install" | "start";
  /** Exit code of the container, when it exited (null: still running or unknown). */
  exitCode: number | null;
  /** The start deadline passed without an `initialize` answer. */
  timedOut?: boolean;
  /** The start deadline in ms (for the message). */
  timeoutMs?: number;
  /** The server's log lines since the attempt began, oldest first (stderr and router notes). */
  lines: readonly string[];
  /** Lines the server wrote to stdout that were not JSON-RPC (or what the parser said of them). */
  stdoutNoise?: readonly string[];
  /** Env keys the plan declares. */
  declaredEnv?: readonly string[];
  /** Env keys that were given a non-empty value. */
  givenEnv?: readonly string[];
  /** The container's network policy (`none` explains unreachable hosts). */
  network?: string;
  /** The command the container runs (named when it does not exist). */
  command?: string;
  /** The error that ended the attempt, told only when the logs say nothing. */
  error?: string;
  /** The server's JSON-RPC error answer to the handshake (`-32022: …`): it spoke MCP, and refused. */
  refusal?: string;
}

/** Longest summary kept (it is one line in a report and next to a button). */
const MAX_SUMMARY = 400;
/** How the start ended, as the summary's first words. */
function howItEnded(obs: StartupObservation): string {
  if (obs.phase === "install") return "could not be installed";
  if (obs.exitCode !== null) return `exited during start-up (code ${obs.exitCode})`;
  if (obs.timedOut) {
    return `did not answer within ${obs.timeoutMs ?? "the start-up deadline"}${
      obs.timeoutMs ? " ms" : ""
    }`;
  }
  return "stopped during start-up";
}

/** The cause clause for a found cause. */
function causeText(found: FoundCause, obs: StartupObservation): string {
  if (found.note) return found.note;
  const quote = found.evidence ? ` (${found.evidence})` : "";
  switch (found.kind) {
    case "missing_env":
      return envCause(found, obs);
    case "missing_argument":
      if (found.unknown) {
        return `unknown argument ${found.subject}${quote} — check the plan's args`;
      }
      return found.subject
        ? `missing required argument ${found.subject} — add it to the plan's args`
        : `a command-line argument is missing or invalid${quote} — check the plan's args`;
    case "network": {
      const where = found.subject ? `cannot reach ${found.subject}` : "the network is unreachable";
      if (obs.network === "none") return `${where}${quote}: the server's network setting is none`;
      if (found.subject && /^(localhost|127\.|\[?::1\]?)/.test(found.subject)) {
        return `${where}${quote} — inside the container localhost is the container itself;` +
          " use the host's address";
      }
      return `${where}${quote} — check the address, and that the server may reach it`;
    }
    case "missing_module":
      return `${
        found.subject ? `module ${found.subject} is missing` : "a module is missing"
      }${quote}` +
        " — its dependencies are incomplete, or too new for it";
    case "package_not_found":
      return found.subject
        ? `package ${found.subject} was not found in the registry — check the package name`
        : `the package was not found in the registry${quote} — check the package name`;
    case "python_version":
      return found.subject ?? `it needs another Python version${quote}`;
    case "command_not_found": {
      const command = found.subject ?? obs.command;
      return `the command ${command ? `${command} ` : ""}does not exist in the image${quote}` +
        " — check the plan's command";
    }
    case "not_mcp":
      return `not an MCP server on stdio: it wrote non-JSON to stdout${quote}`;
    default:
      return found.note ?? found.evidence ?? "";
  }
}

/** An env cause, told by whether the plan declares the key and whether it had a value. */
function envCause(found: FoundCause, obs: StartupObservation): string {
  if (found.field && found.subject) {
    // pydantic-settings reads field `api_key` from `API_KEY` or `<PREFIX>_API_KEY`.
    const upper = found.subject.toUpperCase();
    const key = (obs.declaredEnv ?? []).find((k) => k === upper || k.endsWith(`_${upper}`));
    return `required setting ${found.subject} is missing (${found.evidence ?? "Field required"})${
      key
        ? `: env var ${key} is empty — set it in the server's env`
        : " — set its env var (often " +
          `${upper} or <PREFIX>_${upper}) in the server's env`
    }`;
  }
  const either = found.subject?.includes(" or ") ?? false;
  const keys = found.subject ? found.subject.split(either ? " or " : " and ") : [];
  if (!keys.length) {
    return `a required key or env var is missing${
      found.evidence ? ` (${found.evidence})` : ""
    } — set it in the server's env`;
  }
  const given = new Set(obs.givenEnv ?? []);
  const declared = new Set(obs.declaredEnv ?? []);
  const label = keys.length > 1 ? "env vars" : "env var";
  if (keys.every((k) => given.has(k))) {
    return `the server rejects ${label} ${found.subject}${
      found.evidence ? ` (${found.evidence})` : ""
    } — check its value`;
  }
  if (either) {
    return `one of env vars ${found.subject} must be set — ${
      keys.some((k) => declared.has(k)) ? "set one in" : "add one to"
    } the server's env`;
  }
  if (keys.some((k) => declared.has(k))) {
    return `required ${label} ${found.subject} ${keys.length > 1 ? "are" : "is"} empty — set ${
      keys.length > 1 ? "them" : "it"
    } in the server's env`;
  }
  return `required ${label} ${found.subject} ${keys.length > 1 ? "are" : "is"} not set — add ${
    keys.length > 1 ? "them" : "it"
  } to the server's env`;
}

/** The last line that looks like an error, else the last non-empty server line. */
function lastTelling(lines: readonly string[]): string | null {
  const own = lines.filter((l) => l.trim() && !/^(started container|startup failed)/.test(l));
  const telling = own.findLast((l) => /error|exception|fatal|failed|denied|panic/i.test(l)) ??
    own.at(-1);
  return telling ? evidenceLine(telling) : null;
}

function cap(summary: string): string {
  const one = summary.replace(/\s+/g, " ").trim();
  return one.length > MAX_SUMMARY ? `${one.slice(0, MAX_SUMMARY - 1)}…` : one;
}

/**
 * Classify a failed start in one line.
 * @param obs how it ended and what it wrote
 * @returns the kind, a one-line summary (how it ended: cause — what to do), subject and evidence
 * @example
 * classifyStartupFailure({ phase: "start", exitCode: 1, lines: ["Error: BRAVE_API_KEY environment variable is required"] }).summary
 * // → "exited during start-up (code 1): required env var BRAVE_API_KEY is not set — add it to the server's env"
 */
export function classifyStartupFailure(obs: StartupObservation): StartupFailure {
  const how = howItEnded(obs);
  const found = findCause(obs.lines, {
    phase: obs.phase,
    exited: obs.exitCode !== null && obs.exitCode !== 0,
    stdoutNoise: obs.stdoutNoise ?? [],
  });
  if (found) {
    return {
      kind: found.kind,
      summary: cap(`${how}: ${causeText(found, obs)}`),
      subject: found.subject,
      evidence: found.evidence,
    };
  }
  const evidence = lastTelling(obs.lines) ?? (obs.error ? evidenceLine(obs.error) : null);
  if (obs.phase === "install") {
    return {
      kind: "install_failed",
      summary: cap(`${how}${evidence ? `: ${evidence}` : ""}`),
      subject: null,
      evidence,
    };
  }
  if (obs.refusal && obs.phase === "start") {
    return {
      kind: "handshake_refused",
      summary: cap(`${how}: it refused the MCP handshake (${obs.refusal})`),
      subject: null,
      evidence: obs.refusal,
    };
  }
  if (obs.timedOut && obs.exitCode === null) {
    return {
      kind: "timeout",
      summary: cap(
        `${how}: it may be waiting for input or still preparing${
          evidence ? ` (last line: ${evidence})` : ""
        } — raise MCP_ROUTER_START_TIMEOUT_MS if it needs longer`,
      ),
      subject: null,
      evidence,
    };
  }
  if (obs.exitCode === 0 || !evidence) {
    return {
      kind: "not_mcp",
      summary: cap(
        `${how}: it ended before speaking MCP${
          evidence ? ` (${evidence})` : " and wrote nothing"
        } — is it an MCP server on stdio?`,
      ),
      subject: null,
      evidence,
    };
  }
  return { kind: "exited", summary: cap(`${how}: ${evidence}`), subject: null, evidence };
}
