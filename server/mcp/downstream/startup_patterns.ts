/**
 * @module The log patterns behind {@linkcode classifyStartupFailure}: what Node, Python, npm, uv,
 * argparse, click, commander, pydantic and the container runtime print when a server cannot start,
 * grouped by cause and tried in order of how decisive a cause is (a Python too old explains every
 * later error; an unreachable host may be a consequence of a missing setting).
 */

/** What kind of start-up failure it was. */
export type StartupFailureKind =
  /** A required key / env var is empty or missing. */
  | "missing_env"
  /** A command-line argument is missing or invalid (usage printed). */
  | "missing_argument"
  /** A host could not be resolved or reached. */
  | "network"
  /** A Python or Node module the server imports is missing or incompatible. */
  | "missing_module"
  /** The package does not exist in its registry. */
  | "package_not_found"
  /** The package needs another Python than the image has. */
  | "python_version"
  /** The command to run does not exist in the image. */
  | "command_not_found"
  /** The process ended (or wrote to stdout) without speaking MCP. */
  | "not_mcp"
  /** It answered the handshake with a JSON-RPC error (it speaks MCP, but refused). */
  | "handshake_refused"
  /** No answer to `initialize` within the start deadline. */
  | "timeout"
  /** The install (image build) failed for another reason. */
  | "install_failed"
  /** It exited; the logs do not say why. */
  | "exited";

/** A cause found in the logs. */
export interface FoundCause {
  kind: StartupFailureKind;
  /** What the logs name: env var(s) joined by ` and `, an argument, a host, a module, a package. */
  subject: string | null;
  /** For `missing_env`: the subject is a settings field, not an env var. */
  field?: boolean;
  /** For `missing_argument`: the argument is unknown rather than missing. */
  unknown?: boolean;
  /** The telling line, cleaned and trimmed. */
  evidence: string | null;
  /** A cause clause that replaces the kind's usual wording. */
  note?: string;
}

/** What the patterns may use besides the lines. */
export interface CauseContext {
  phase: "install" | "start";
  /** The process exited with a non-zero code. */
  exited: boolean;
  /** Non-JSON stdout lines (or parser messages about them). */
  stdoutNoise: readonly string[];
}

type Hit = { subject: string | null; field?: boolean; unknown?: boolean; note?: string } | null;
/** One way a cause shows: a test on a line (with its neighbours), giving a subject. */
type Matcher = (line: string, index: number, lines: readonly string[]) => Hit;

interface Rule {
  kind: StartupFailureKind;
  /** Only when the process exited non-zero (usage text is only a cause then). */
  needsExit?: boolean;
  matchers: Matcher[];
}

/** ANSI colour codes some servers write to stderr. */
// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const MAX_EVIDENCE = 160;
/**
 * A logger's own prefix: a timestamp, then a level with `|` separators (loguru) or a
 * `module:function:line -` source, as in `2026-12-01 08:47:03.790 | ERROR | pkg.mod:fn:712 - `.
 */
const LOG_PREFIX =
  /^\[?\d{4}-\d\d-\d\d[ T][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\]?\s*(?:\|\s*)?(?:(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\s*\|?\s*)?(?:[\w.]+:[\w<>]+:\d+\s+-\s+)?/;

/** A log line as evidence: no colours, one line, at most 160 characters. */
export function evidenceLine(line: string): string {
  const one = line.replace(ANSI, "").replace(/\s+/g, " ").trim().replace(LOG_PREFIX, "");
  return one.length > MAX_EVIDENCE ? `${one.slice(0, MAX_EVIDENCE - 1)}…` : one;
}

/** `re` as a matcher whose subject is capture group `group` (or none). */
function re(pattern: RegExp, subject: (m: RegExpMatchArray) => string | null = () => null) {
  return (line: string): Hit => {
    const m = line.match(pattern);
    return m ? { subject: subject(m) } : null;
  };
}

/** Upper-snake names that look like env vars (`GITHUB_TOKEN`, `APIKEY`), in order, deduplicated. */
export function envNamesIn(line: string): string[] {
  const names =
    line.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z][A-Z0-9]{1,}(?:KEY|TOKEN|SECRET)\b/g) ??
      [];
  return [...new Set(names.filter((n) => !/^(ERR|E[A-Z]+)_/.test(n) && !/^[A-Z]+_$/.test(n)))];
}

/** Lines that are the router's or the image build's, never the server's own words. */
const NOT_THE_SERVERS =
  /^(STEP \d+\/\d+:|--> |COMMIT |Successfully (built|tagged)|started container|startup failed|\[Warning\] one or more build args)/;

function stripTrailing(s: string): string {
  return s.replace(/[.,;:)'"`\]]+$/, "");
}

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return null;
  }
}

/** A host (and port) a network error line names, if any. */
function networkSubject(line: string): string | null {
  const tries: RegExp[] = [
    /\b(?:ENOTFOUND|EAI_AGAIN)\s+([^\s,;'")]+)/,
    /\b(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\s+([^\s,;'")]+)/,
    /host='([^']+)'(?:,\s*port=(\d+))?/,
    /Failed to resolve '([^']+)'/,
    /Could not resolve host:?\s+([^\s,;]+)/i,
    /(?:connect(?:ing)? to|reach)\s+(?:server\s+)?(?:at\s+)?([a-z0-9.-]+:\d+)/i,
  ];
  for (const t of tries) {
    const m = line.match(t);
    if (m) return stripTrailing(m[2] ? `${m[1]}:${m[2]}` : m[1]);
  }
  const url = line.match(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>)]+/i);
  return url ? hostOf(stripTrailing(url[0])) : null;
}

const ENV_WORDS = /\b(?:environment variables?|env(?:ironment)? var(?:iable)?s?|env vars?)\b/i;
const MISSING_WORDS =
  /\b(?:required|not set|missing|must be (?:set|provided|defined|specified)|is empty|not (?:found|defined|provided|configured|specified)|undefined|please (?:set|provide)|no .{0,30}(?:provided|found|set|configured))\b/i;
const KEY_WORDS =
  /\b(?:api[ _-]?keys?|access[ _-]?tokens?|auth(?:entication)?[ _-]?tokens?|tokens?|secrets?|credentials?|passwords?|client[ _-]?(?:id|secret))\b/i;

const RULES: Rule[] = [
  {
    kind: "python_version",
    matchers: [
      re(
        /current Python version \(([\d.]+)\) does not satisfy Python\s*([<>=!~][^ ,]*(?:\s*,\s*[<>=!~][^ ,]*)*)/,
        (m) => `it needs Python ${m[2].replace(/\s+/g, "")}, the image has ${m[1]}`,
      ),
      re(
        /requires a different Python: ([\d.]+) not in '([^']+)'/,
        (m) => `it needs Python ${m[2]}, the image has ${m[1]}`,
      ),
    ],
  },
  {
    kind: "package_not_found",
    matchers: [
      re(/'(@?[^'@\s]+)@[^']*' is not in (?:this|the npm) registry/, (m) => m[1]),
      re(/npm (?:error|ERR!) 404 Not Found - GET \S+\/(@?[^\s/]+)$/, (m) => {
        try {
          return decodeURIComponent(m[1]);
        } catch {
          return m[1];
        }
      }),
      re(/Because (\S+) was not found in the package registry/, (m) => m[1]),
      re(/No matching distribution found for (\S+)/, (m) => m[1]),
      re(/npm (?:error|ERR!) code E404/),
    ],
  },
  {
    kind: "install_failed",
    matchers: [
      (line) => {
        const m = line.match(/No executables are provided by (?:package )?[`'"]?([^`'"\s;]+)/);
        return m
          ? {
            subject: m[1],
            note:
              `package ${m[1]} provides no command to run — set the plan's command (for example ` +
              "`python -m MODULE`)",
          }
          : null;
      },
    ],
  },
  {
    kind: "command_not_found",
    matchers: [
      re(/failed to exec pid1: No such file or directory/),
      re(/executable file [`'"]?([^`'"\s]+)[`'"]? not found in \$PATH/, (m) => m[1]),
      re(/exec: "([^"]+)": executable file not found/, (m) => m[1]),
      re(
        /^(?:\/bin\/)?(?:ba)?sh: (?:line )?(?:\d+: )?([^:\s]+): (?:command )?not found/,
        (m) => m[1],
      ),
      re(/OCI runtime attempted to invoke a command that was not found/),
    ],
  },
  {
    kind: "missing_module",
    matchers: [
      re(/ModuleNotFoundError: No module named '([^']+)'/, (m) => m[1]),
      re(/ImportError: cannot import name '([^']+)' from '([^']+)'/, (m) => `${m[2]}.${m[1]}`),
      re(/ImportError: (?:No module named )?'?([A-Za-z_][\w.]*)'?$/, (m) => m[1]),
      re(/ImportError: /),
      re(/Cannot find (?:module|package) '([^']+)'/, (m) => m[1]),
      re(/ERR_MODULE_NOT_FOUND/),
    ],
  },
  {
    kind: "missing_env",
    matchers: [
      // os.environ["X"] in Python.
      re(/KeyError: '([A-Z][A-Z0-9_]*)'/, (m) => m[1]),
      // pydantic(-settings): "1 validation error for Settings" / "api_key" / "  Field required".
      (line, index, lines) => {
        if (!/^\s*Field required\b/.test(line)) return null;
        const field = lines.slice(Math.max(0, index - 2), index).findLast((l) => l.trim())
          ?.trim();
        const model = lines.slice(Math.max(0, index - 6), index).join("\n")
          .match(/validation errors? for (\w+)/)?.[1] ?? "";
        if (!field || !/^[A-Za-z_][\w.]*$/.test(field)) return null;
        const upper = /^[A-Z][A-Z0-9_]*$/.test(field);
        if (!upper && !/settings|config|env/i.test(model)) return null;
        return { subject: field, field: !upper };
      },
      (line) => {
        const names = envNamesIn(line);
        const named = names.length > 0 &&
          new RegExp(
            `\\b(?:${
              names.join("|")
            })\\b[^.]{0,60}\\b(?:is|are|not|must|was|were)\\b[^.]{0,20}(?:required|set|missing|provided|defined|empty|specified|found)`,
          ).test(line);
        const envWorded = ENV_WORDS.test(line) && MISSING_WORDS.test(line);
        if (!named && !envWorded) return null;
        const either = names.length > 1 &&
          new RegExp(`\\b${names[0]}\\b[^.]{0,40}\\bor\\b`).test(line);
        return { subject: names.length ? names.join(either ? " or " : " and ") : null };
      },
      (line) => {
        if (!KEY_WORDS.test(line) || !MISSING_WORDS.test(line)) return null;
        if (/\b(?:Field required|validation error)\b/.test(line)) return null;
        // `required option '--api-key <key>'` is a command-line error, not an env one.
        if (/(?:^|[\s'"`])--?[a-z]|\b(?:option|argument)\b/i.test(line)) return null;
        const names = envNamesIn(line);
        return { subject: names.length ? names.join(" and ") : null };
      },
    ],
  },
  {
    kind: "missing_argument",
    matchers: [
      re(/the following arguments are required: (.+)$/, (m) => m[1].trim()),
      re(/error: missing required argument '([^']+)'/, (m) => m[1]),
      re(/error: required option '([^']+)' not specified/, (m) => m[1]),
      re(/Error: Missing (?:option|argument|parameter) ['"‘“]?([^'"’”\s.]+)/, (m) => m[1]),
      (line) => {
        const m = line.match(
          /(?:unrecognized arguments?|error: unknown option|No such option):?\s+'?([^'\s]+)'?/,
        );
        return m ? { subject: stripTrailing(m[1]), unknown: true } : null;
      },
      re(/\bMissing command\b/),
      re(
        /command[- ]line argument|too few arguments|expected (?:at least )?\d+ arguments?|requires? (?:at least )?(?:one|an?|\d+) (?:argument|director(?:y|ies)|path)|no (?:allowed )?director(?:y|ies) (?:specified|provided|given)/i,
      ),
    ],
  },
  {
    kind: "missing_argument",
    needsExit: true,
    matchers: [re(/^\s*usage:\s/i)],
  },
  {
    kind: "network",
    matchers: [
      (line) =>
        /\b(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b|getaddrinfo|Temporary failure in name resolution|Name or service not known|nodename nor servname|Network is unreachable|No route to host|Connection refused|Failed to establish a new connection|Could not resolve host|Failed to resolve|Couldn't connect to|dns error|ServiceUnavailable|ConnectionError|ConnectTimeout|ConnectError|MaxRetryError|connection timed out/i
            .test(line)
          ? { subject: networkSubject(line) }
          : null,
    ],
  },
];

/** The usage block's own error line (`prog: error: …`), else the usage line itself. */
function usageEvidence(lines: readonly string[], index: number): string {
  const next = lines.slice(index + 1, index + 8).find((l) => /\berror\b/i.test(l));
  return evidenceLine(next ?? lines[index]);
}

/**
 * The most decisive cause the lines show, or null.
 * @param lines the attempt's log lines, oldest first
 * @param ctx phase, whether it exited non-zero, stdout noise
 */
export function findCause(lines: readonly string[], ctx: CauseContext): FoundCause | null {
  const own = lines.map((l) => l.replace(ANSI, "").replace(/^\[stdout\] /, ""))
    .filter((l) => !NOT_THE_SERVERS.test(l));
  for (const rule of RULES) {
    if (rule.needsExit && !ctx.exited) continue;
    let fallback: FoundCause | null = null;
    for (let i = 0; i < own.length; i++) {
      for (const matcher of rule.matchers) {
        const hit = matcher(own[i], i, own);
        if (!hit) continue;
        const evidence = rule.matchers.length === 1 && /usage:/i.test(own[i])
          ? usageEvidence(own, i)
          : evidenceLine(own[i]);
        const found: FoundCause = { kind: rule.kind, evidence, ...hit };
        if (hit.subject) return found;
        fallback ??= found;
      }
    }
    if (fallback) return fallback;
  }
  if (ctx.stdoutNoise.length) {
    const first = ctx.stdoutNoise.map((l) => l.trim()).filter(Boolean).slice(0, 3).join(" | ");
    return { kind: "not_mcp", subject: null, evidence: evidenceLine(first) };
  }
  return null;
}
