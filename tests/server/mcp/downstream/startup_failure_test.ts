/**
 * @module Tests for the start-up failure classifier. The fixtures are real log lines: captured
 * from real npm/PyPI servers started without their keys or arguments through a real router and
 * Podman (see each file's `# source:` header), plus two real Python library outputs.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  classifyStartupFailure,
  type StartupFailureKind,
  type StartupObservation,
} from "../../../../server/mcp/downstream/startup_failure.ts";
import { envNamesIn, evidenceLine } from "../../../../server/mcp/downstream/startup_patterns.ts";
import { watchStdoutNoise } from "../../../../server/mcp/downstream/stdout_noise.ts";
import { registerSecret } from "../../../../runtime/foundation/log.ts";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "startup_failures");

/** A fixture as an observation: `# key: value` header, then the log lines. */
function load(name: string, extra: Partial<StartupObservation> = {}): StartupObservation {
  const text = Deno.readTextFileSync(join(DIR, name)).split("\n");
  const head: Record<string, string> = {};
  let i = 0;
  for (; i < text.length && text[i].startsWith("# "); i++) {
    const m = text[i].match(/^# ([\w-]+): (.*)$/);
    if (m) head[m[1]] = m[2];
  }
  const lines = text.slice(i).filter((l, j, all) => l !== "" || j < all.length - 1);
  assert.ok(head.source, `${name} names its source`);
  return {
    phase: head.phase === "install" ? "install" : "start",
    exitCode: head.exit === "none" ? null : Number(head.exit),
    timedOut: head["timed-out"] !== undefined,
    timeoutMs: head["timed-out"] ? Number(head["timed-out"]) : undefined,
    lines,
    stdoutNoise: lines.filter((l) => l.startsWith("[stdout] ")).map((l) => l.slice(9)),
    ...extra,
  };
}

/** Fixture → what the report must say. */
const EXPECTED: Record<
  string,
  { kind: StartupFailureKind; subject: string | null; summary: RegExp }
> = {
  "brave-no-key.txt": {
    kind: "missing_env",
    subject: "BRAVE_API_KEY",
    summary: /^exited during start-up \(code 1\): required env var BRAVE_API_KEY is not set/,
  },
  "google-maps-no-key.txt": {
    kind: "missing_env",
    subject: "GOOGLE_MAPS_API_KEY",
    summary: /required env var GOOGLE_MAPS_API_KEY is not set — add it to the server's env$/,
  },
  "slack-no-token.txt": {
    kind: "missing_env",
    subject: "SLACK_BOT_TOKEN and SLACK_TEAM_ID",
    summary: /required env vars SLACK_BOT_TOKEN and SLACK_TEAM_ID are not set — add them/,
  },
  "obsidian-no-key.txt": {
    kind: "missing_env",
    subject: "OBSIDIAN_API_KEY",
    summary: /required env var OBSIDIAN_API_KEY is not set/,
  },
  "python-environ-keyerror.txt": {
    kind: "missing_env",
    subject: "GITHUB_PERSONAL_ACCESS_TOKEN",
    summary: /required env var GITHUB_PERSONAL_ACCESS_TOKEN is not set/,
  },
  "pydantic-settings-field-required.txt": {
    kind: "missing_env",
    subject: "api_key",
    summary: /required setting api_key is missing \(Field required.*API_KEY or <PREFIX>_API_KEY/,
  },
  "postgres-no-arg.txt": {
    kind: "missing_argument",
    subject: null,
    summary:
      /argument is missing or invalid \(Please provide a database URL as a command-line argument\)/,
  },
  "duckdb-no-args.txt": {
    kind: "missing_argument",
    subject: "--db-path",
    summary:
      /^exited during start-up \(code 2\): missing required argument --db-path — add it to the plan's args$/,
  },
  "excel-no-subcommand.txt": {
    kind: "missing_argument",
    subject: "transport",
    summary: /missing required argument transport/,
  },
  "motherduck-no-flag.txt": {
    kind: "missing_argument",
    subject: null,
    summary:
      /\(Error: In-memory databases require the --read-write flag\.\) — check the plan's args/,
  },
  "redis-unresolvable.txt": {
    kind: "network",
    subject: "redis.invalid",
    summary: /cannot reach redis\.invalid \(.*ENOTFOUND redis\.invalid\) — check the address/,
  },
  "redis-network-none.txt": {
    kind: "network",
    subject: "redis.example.com",
    summary: /cannot reach redis\.example\.com \(.*EAI_AGAIN/,
  },
  "redis-refused.txt": {
    kind: "network",
    subject: "127.0.0.1:6379",
    summary: /cannot reach 127\.0\.0\.1:6379 .*localhost is the container itself/,
  },
  "qdrant-model-download.txt": {
    kind: "network",
    subject: null,
    summary: /the network is unreachable \(Could not download model from HuggingFace: \[Errno -2\]/,
  },
  "youtube-import-error.txt": {
    kind: "missing_module",
    subject: "mcp.server.FastMCP",
    summary: /module mcp\.server\.FastMCP is missing .* its dependencies are incomplete/,
  },
  "snowflake-no-executable.txt": {
    kind: "command_not_found",
    subject: null,
    summary: /the command does not exist in the image .*failed to exec pid1/,
  },
  "npm-not-found.txt": {
    kind: "package_not_found",
    subject: "@mcp-router-test-nonexistent/zz-mcp-server-404",
    summary:
      /^could not be installed: package @mcp-router-test-nonexistent\/zz-mcp-server-404 was not found in the registry/,
  },
  "uv-not-found.txt": {
    kind: "package_not_found",
    subject: "zz-mcp-router-nonexistent-pkg-404",
    summary: /package zz-mcp-router-nonexistent-pkg-404 was not found in the registry/,
  },
  "dbt-python-version.txt": {
    kind: "python_version",
    subject: "it needs Python >=3.12, the image has 3.11.2",
    summary: /^could not be installed: it needs Python >=3\.12, the image has 3\.11\.2$/,
  },
  "bigquery-python-version.txt": {
    kind: "python_version",
    subject: "it needs Python >=3.13, the image has 3.11.2",
    summary: /it needs Python >=3\.13, the image has 3\.11\.2$/,
  },
  "tavily-no-executable.txt": {
    kind: "install_failed",
    subject: "mcp-tavily",
    summary: /package mcp-tavily provides no command to run — set the plan's command/,
  },
  "cowsay-not-mcp.txt": {
    kind: "not_mcp",
    subject: null,
    summary:
      /^exited during start-up \(code 0\): not an MCP server on stdio: it wrote non-JSON to stdout \(_______ \| < hello >/,
  },
  "http-server-timeout.txt": {
    kind: "not_mcp",
    subject: null,
    summary:
      /^did not answer within 25000 ms: not an MCP server on stdio: it wrote non-JSON to stdout \(Starting up http-server/,
  },
};

Deno.test("startup failure - every captured real failure says which, in one line", () => {
  const files = [...Deno.readDirSync(DIR)].filter((e) => e.name.endsWith(".txt")).map((e) => e.name)
    .sort();
  assert.deepEqual(files, Object.keys(EXPECTED).sort(), "every fixture has an expectation");
  for (const file of files) {
    const want = EXPECTED[file];
    const got = classifyStartupFailure(load(file));
    assert.equal(got.kind, want.kind, `${file}: ${got.summary}`);
    assert.equal(got.subject, want.subject, `${file}: ${got.summary}`);
    assert.match(got.summary, want.summary, file);
    assert.ok(!got.summary.includes("\n"), `${file}: one line`);
    assert.ok(got.summary.length <= 400, `${file}: short`);
  }
});

Deno.test("startup failure - a declared env var without a value is 'empty'; a given one is rejected", () => {
  const keyError = load("python-environ-keyerror.txt", {
    declaredEnv: ["GITHUB_PERSONAL_ACCESS_TOKEN"],
    givenEnv: [],
  });
  assert.equal(
    classifyStartupFailure(keyError).summary,
    "exited during start-up (code 1): required env var GITHUB_PERSONAL_ACCESS_TOKEN is empty — set it in the server's env",
  );
  const rejected = classifyStartupFailure(load("brave-no-key.txt", {
    declaredEnv: ["BRAVE_API_KEY"],
    givenEnv: ["BRAVE_API_KEY"],
  }));
  assert.match(rejected.summary, /the server rejects env var BRAVE_API_KEY .* — check its value$/);
  const slack = classifyStartupFailure(load("slack-no-token.txt", {
    declaredEnv: ["SLACK_BOT_TOKEN", "SLACK_TEAM_ID"],
  }));
  assert.match(slack.summary, /SLACK_BOT_TOKEN and SLACK_TEAM_ID are empty — set them/);
  const pydantic = classifyStartupFailure(load("pydantic-settings-field-required.txt", {
    declaredEnv: ["MOCHI_API_KEY"],
  }));
  assert.match(pydantic.summary, /env var MOCHI_API_KEY is empty — set it in the server's env$/);
});

Deno.test("startup failure - an unreachable host under network none says so", () => {
  const got = classifyStartupFailure(load("redis-network-none.txt", { network: "none" }));
  assert.match(got.summary, /cannot reach redis\.example\.com .*network setting is none$/);
});

Deno.test("startup failure - the plan's command is named when it does not exist", () => {
  const got = classifyStartupFailure(
    load("snowflake-no-executable.txt", { command: "/opt/server/bin/mcp-snowflake-server" }),
  );
  assert.match(got.summary, /the command \/opt\/server\/bin\/mcp-snowflake-server does not exist/);
});

Deno.test("startup failure - timeouts, silent exits and unknown causes", () => {
  const silent = classifyStartupFailure({
    phase: "start",
    exitCode: null,
    timedOut: true,
    timeoutMs: 120_000,
    lines: ["started container 1234 (session s)"],
  });
  assert.equal(silent.kind, "timeout");
  assert.match(silent.summary, /^did not answer within 120000 ms: .*MCP_ROUTER_START_TIMEOUT_MS/);
  const quiet = classifyStartupFailure({ phase: "start", exitCode: 0, lines: [] });
  assert.equal(quiet.kind, "not_mcp");
  assert.match(quiet.summary, /^exited during start-up \(code 0\): it ended before speaking MCP/);
  const unknown = classifyStartupFailure({
    phase: "start",
    exitCode: 137,
    lines: ["loading index…", "Segmentation fault: something failed badly", "bye"],
  });
  assert.equal(unknown.kind, "exited");
  assert.equal(
    unknown.summary,
    "exited during start-up (code 137): Segmentation fault: something failed badly",
  );
  const build = classifyStartupFailure({
    phase: "install",
    exitCode: null,
    lines: [],
    error: "podman build: no space left on device",
  });
  assert.equal(build.kind, "install_failed");
  assert.equal(build.summary, "could not be installed: podman build: no space left on device");
});

Deno.test("startup failure - common phrasings of each cause", () => {
  const start = (lines: string[], exitCode = 1) =>
    classifyStartupFailure({ phase: "start", exitCode, lines });
  const cases: [string[], StartupFailureKind, string | null][] = [
    [["Error: API key not set"], "missing_env", null],
    [
      ["Missing required environment variable: FIRECRAWL_API_KEY"],
      "missing_env",
      "FIRECRAWL_API_KEY",
    ],
    [["ValueError: TAVILY_API_KEY must be set"], "missing_env", "TAVILY_API_KEY"],
    [
      ["Either FIRECRAWL_API_KEY or FIRECRAWL_API_URL must be provided"],
      "missing_env",
      "FIRECRAWL_API_KEY or FIRECRAWL_API_URL",
    ],
    [["error: missing required argument 'path'"], "missing_argument", "path"],
    [
      ["error: required option '--api-key <key>' not specified"],
      "missing_argument",
      "--api-key <key>",
    ],
    [["Error: Missing option '--token'."], "missing_argument", "--token"],
    [["main.py: error: unrecognized arguments: --bogus"], "missing_argument", "--bogus"],
    [["Usage: server [options] <dir>", "  a server"], "missing_argument", null],
    [
      ["requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.example.com', port=443)"],
      "network",
      "api.example.com:443",
    ],
    [["socket.gaierror: [Errno -3] Temporary failure in name resolution"], "network", null],
    [["OSError: [Errno 101] Network is unreachable"], "network", null],
    [
      ["TypeError: fetch failed", "  cause: Error: getaddrinfo ENOTFOUND api.github.com"],
      "network",
      "api.github.com",
    ],
    [
      ["ModuleNotFoundError: No module named 'pydantic_core._pydantic_core'"],
      "missing_module",
      "pydantic_core._pydantic_core",
    ],
    [
      ["Error: Cannot find module '@modelcontextprotocol/sdk/server/index.js'"],
      "missing_module",
      "@modelcontextprotocol/sdk/server/index.js",
    ],
    [["/bin/sh: 1: mcp-foo: not found"], "command_not_found", "mcp-foo"],
    [["No matching distribution found for mcp-foo"], "package_not_found", "mcp-foo"],
  ];
  for (const [lines, kind, subject] of cases) {
    const got = start(lines);
    assert.equal(got.kind, kind, `${lines[0]} → ${got.summary}`);
    assert.equal(got.subject, subject, `${lines[0]} → ${got.summary}`);
  }
  // A usage text is a cause only when the process exited with an error.
  assert.notEqual(start(["Usage: see the docs"], 0).kind, "missing_argument");
});

Deno.test("startup failure - evidence is one clean line; env names are upper-snake words", () => {
  assert.equal(
    evidenceLine("\x1b[31m2026-12-01 08:47:03.790 | ERROR    | a.b:c:712 - boom\x1b[0m  "),
    "boom",
  );
  assert.equal(evidenceLine("x".repeat(300)).length, 160);
  assert.deepEqual(envNamesIn("Please set SLACK_BOT_TOKEN and SLACK_TEAM_ID (ERR_X_Y)"), [
    "SLACK_BOT_TOKEN",
    "SLACK_TEAM_ID",
  ]);
  assert.deepEqual(envNamesIn("getaddrinfo ENOTFOUND host"), []);
});

/** Streams whose stdout yields `chunks`. */
function streamsOf(chunks: string[]) {
  const enc = new TextEncoder();
  return {
    stdout: new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunks) c.enqueue(enc.encode(chunk));
        c.close();
      },
    }),
    stderr: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    stdin: new WritableStream<Uint8Array>(),
    close() {},
  };
}

Deno.test("stdout noise - non-JSON lines are kept and logged; the transport still gets every byte", async () => {
  const logged: string[] = [];
  const watch = watchStdoutNoise(
    streamsOf([
      '{"jsonrpc":"2.0","id":1,"result":{}}\n',
      "Starting up http-server\n",
      "Usa",
      "ge: x\n",
    ]),
    { onLine: (l) => logged.push(l) },
  );
  const text = await new Response(watch.streams.stdout).text();
  assert.equal(text, '{"jsonrpc":"2.0","id":1,"result":{}}\nStarting up http-server\nUsage: x\n');
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(watch.lines, ["Starting up http-server", "Usage: x"]);
  assert.deepEqual(logged, ["Starting up http-server", "Usage: x"]);
  watch.stop();
});

Deno.test("stdout noise - a secret printed to stdout never reaches the report", async () => {
  registerSecret("sk-live-startup-noise-7f3a");
  const watch = watchStdoutNoise(streamsOf(["using key sk-live-startup-noise-7f3a\n"]));
  await new Response(watch.streams.stdout).text();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(watch.lines.length, 1);
  assert.ok(!watch.lines[0].includes("sk-live-startup-noise-7f3a"), watch.lines[0]);
  const failure = classifyStartupFailure({
    phase: "start",
    exitCode: 0,
    lines: [],
    stdoutNoise: watch.lines,
  });
  assert.ok(!failure.summary.includes("sk-live-startup-noise-7f3a"));
  watch.stop();
});

Deno.test("startup failure - a JSON-RPC error answer to the handshake is a refusal, not silence", () => {
  // The server spoke MCP and refused; it then exited 0 when the router closed its stdin.
  const refused = classifyStartupFailure({
    phase: "start",
    exitCode: 0,
    lines: ["started container 1234 (session s)"],
    refusal:
      "-32022: connection is serving the 2026-07-28 protocol; the initialize handshake is not accepted",
  });
  assert.equal(refused.kind, "handshake_refused");
  assert.equal(
    refused.summary,
    "exited during start-up (code 0): it refused the MCP handshake (-32022: connection is serving the 2026-07-28 protocol; the initialize handshake is not accepted)",
  );
  // A cause in the logs still comes first.
  const keyless = classifyStartupFailure({
    phase: "start",
    exitCode: 1,
    lines: ["Error: BRAVE_API_KEY environment variable is required"],
    declaredEnv: ["BRAVE_API_KEY"],
    refusal: "-32603: internal error",
  });
  assert.equal(keyless.kind, "missing_env");
});
