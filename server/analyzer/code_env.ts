/**
 * @module Env vars a package's code reads (`process.env.EXA_API_KEY`, `process.env["X"]`): the
 * last evidence for a package whose README names none. Platform and tooling variables are left
 * out; secret-looking names come first.
 */
import { looksSecret } from "./env_names.ts";

/** Most keys reported for one package. */
export const MAX_CODE_ENV = 8;

/**
 * Platform, shell, CI, Node, proxy and bundled-tooling variables (TypeScript, ESLint…), and the ids
 * a client sets for its own session (`CLAUDE_CODE_SESSION_ID`): none a user fills for a server.
 */
const NOISE_RE =
  /^(NODE_\w+|NPM_\w+|npm_\w+|HOME|PATH|PWD|USER|USERNAME|SHELL|TERM\w*|LANG|LC_\w+|TZ|TMPDIR|TEMP|TMP|CI|DEBUG|VERBOSE|NO_COLOR|FORCE_COLOR|COLORTERM|XDG_\w+|APPDATA|LOCALAPPDATA|USERPROFILE|PROGRAMFILES\w*|SYSTEMROOT|WINDIR|COMSPEC|HTTPS?_PROXY|ALL_PROXY|NO_PROXY|GLOBAL_AGENT_\w+|JEST_\w+|VITEST\w*|TS_NODE_\w+|BABEL_\w+|WEBPACK_\w+|GITHUB_ACTIONS|RUNNER_\w+|VSCODE_\w+|ELECTRON_\w+|UV_THREADPOOL_SIZE|READABLE_STREAM|SUPPRESS_NO_CONFIG_WARNING|AWS_EXECUTION_ENV|AWS_LAMBDA_\w+|LAMBDA_\w+|K_SERVICE|VERCEL\w*|NETLIFY\w*|DENO_\w+|BUN_\w+|OTEL_\w+|MCP_PROTOCOL_VERSION|TSC_\w+|TSESTREE_\w+|TYPESCRIPT_\w+|ESLINT_\w+|PRETTIER_\w+|ROLLUP_\w+|ESBUILD_\w+|SWC_\w+|\w+_SESSION_ID|CLAUDECODE|CLAUDE_CODE_\w+)$/;

/** Tuning knobs (logging, models, caches, switches): nothing a user must fill. */
const KNOB_RE =
  /(^|_)(LOG|LOGS|LOGGING|DEBUG|TRACE|MODEL|VERSION|RELEASE|CACHE|DISABLE|DISABLED|ENABLE|ENABLED|TIMEOUT|LEVEL|EFFORT|TELEMETRY)(_|$)/;

/** Code words that read an env var by name. */
const READ_RES = [
  /process\.env\.([A-Za-z_][A-Za-z0-9_]{2,})\b/g,
  /process\.env\[\s*["'`]([A-Za-z_][A-Za-z0-9_]{2,})["'`]\s*\]/g,
  /\bDeno\.env\.get\(\s*["'`]([A-Za-z_][A-Za-z0-9_]{2,})["'`]\s*\)/g,
];

/**
 * Count the env vars some code reads.
 * @param counts name → reads so far (updated in place)
 */
export function countEnvReads(code: string, counts: Map<string, number>): void {
  for (const re of READ_RES) {
    for (const m of code.matchAll(re)) {
      const name = m[1];
      if (!/^[A-Z][A-Z0-9_]+$/.test(name) || NOISE_RE.test(name)) continue;
      if (!name.includes("_") && !looksSecret(name)) continue;
      if (KNOB_RE.test(name)) continue;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
}

/** The keys worth offering, secret-looking first, then by reads. */
export function rankedEnvReads(counts: Map<string, number>): string[] {
  return [...counts.entries()]
    .sort((a, b) =>
      Number(looksSecret(b[0])) - Number(looksSecret(a[0])) || b[1] - a[1] ||
      a[0].localeCompare(b[0])
    )
    .slice(0, MAX_CODE_ENV)
    .map(([name]) => name);
}
