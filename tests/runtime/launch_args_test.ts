/** @module Table tests for the one launch-line parser (`runtime/launch_args.ts`). */
import assert from "node:assert/strict";
import {
  commandBin,
  type LaunchInvocation,
  parseLaunchCommand,
} from "../../runtime/launch_args.ts";

/** One row: a launch line and the fields its invocation must have. */
interface Row {
  line: string[];
  expect: Partial<Record<string, unknown>> & { tool: LaunchInvocation["tool"] };
}

const NPX_ROWS: Row[] = [
  { line: ["npx", "-y", "pkg", "--x"], expect: { tool: "npx", target: "pkg", args: ["--x"] } },
  { line: ["npx", "--yes", "@s/p@1.2"], expect: { tool: "npx", target: "@s/p@1.2", args: [] } },
  {
    line: ["npx", "-y", "-p", "@a/b", "b-cli", "go"],
    expect: { tool: "npx", packages: ["@a/b"], target: "b-cli", args: ["go"] },
  },
  {
    line: ["npx", "--package=a", "--package", "b", "bin"],
    expect: { tool: "npx", packages: ["a", "b"], target: "bin" },
  },
  // `--` ends npx's options: the next word is the target even if it looks like a flag.
  { line: ["npx", "-y", "--", "pkg", "-p", "x"], expect: { tool: "npx", target: "pkg" } },
  {
    line: ["npx", "-y", "--", "pkg", "-p", "x"],
    expect: { tool: "npx", packages: [], args: ["-p", "x"] },
  },
  // Options that take a value do not become the target.
  {
    line: ["npx", "--registry", "https://r.example", "pkg"],
    expect: { tool: "npx", target: "pkg" },
  },
  { line: ["npx", "-c", "echo hi"], expect: { tool: "npx", call: true, target: null } },
  { line: ["npx", "-y"], expect: { tool: "npx", target: null } },
  { line: ["bunx", "pkg"], expect: { tool: "npx", target: "pkg" } },
  { line: ["pnpx", "pkg"], expect: { tool: "npx", target: "pkg" } },
  { line: ["bun", "x", "pkg", "a"], expect: { tool: "npx", target: "pkg", args: ["a"] } },
  { line: ["C:\\nodejs\\npx.cmd", "-y", "pkg"], expect: { tool: "npx", target: "pkg" } },
];

const UVX_ROWS: Row[] = [
  // `pipx run` is uvx's twin (`--spec` is `--from`); `pipx install` is no launch.
  { line: ["pipx", "run", "analytics-mcp"], expect: { tool: "uvx", target: "analytics-mcp" } },
  {
    line: ["pipx", "run", "--spec", "a-mcp==1.0", "a-server", "--ro"],
    expect: { tool: "uvx", from: "a-mcp==1.0", target: "a-server", args: ["--ro"] },
  },
  { line: ["pipx", "install", "a-mcp"], expect: { tool: "other", bin: "pipx" } },
  {
    line: ["uvx", "mcp-server-time", "--local-timezone", "UTC"],
    expect: { tool: "uvx", target: "mcp-server-time", args: ["--local-timezone", "UTC"] },
  },
  {
    line: ["uvx", "--from", "git+https://x/y", "y-mcp", "--stdio"],
    expect: { tool: "uvx", from: "git+https://x/y", target: "y-mcp", args: ["--stdio"] },
  },
  { line: ["uvx", "--from=pkg==1", "cmd"], expect: { tool: "uvx", from: "pkg==1", target: "cmd" } },
  // Where the analyzer and the runtime used to disagree: `-w`, `--with=`, `-c`, indexes.
  { line: ["uvx", "-w", "extra", "pkg"], expect: { tool: "uvx", with: ["extra"], target: "pkg" } },
  {
    line: ["uvx", "--with", "a", "--with=b", "pkg"],
    expect: { tool: "uvx", with: ["a", "b"], target: "pkg" },
  },
  { line: ["uvx", "-c", "constraints.txt", "pkg"], expect: { tool: "uvx", target: "pkg" } },
  { line: ["uvx", "--default-index", "https://i", "pkg"], expect: { tool: "uvx", target: "pkg" } },
  { line: ["uvx", "--with-editable", "./x", "pkg"], expect: { tool: "uvx", target: "pkg" } },
  { line: ["uvx", "--python", "3.12", "pkg"], expect: { tool: "uvx", python: "3.12" } },
  { line: ["uvx", "-p", "3.11", "pkg"], expect: { tool: "uvx", python: "3.11", target: "pkg" } },
  { line: ["uvx", "--python=3.13", "pkg"], expect: { tool: "uvx", python: "3.13" } },
  { line: ["uvx", "--", "pkg", "--from", "x"], expect: { tool: "uvx", from: null, target: "pkg" } },
  { line: ["uvx", "--isolated"], expect: { tool: "uvx", target: null } },
  {
    line: ["uv", "tool", "run", "--from", "a", "b", "c"],
    expect: { tool: "uvx", from: "a", target: "b", args: ["c"], argv: ["--from", "a", "b", "c"] },
  },
  {
    line: ["uv", "run", "--with", "foo-mcp", "foo-mcp", "--stdio"],
    expect: { tool: "uv-run", with: ["foo-mcp"], target: "foo-mcp", args: ["--stdio"] },
  },
  // A `--with` after the command belongs to the command.
  {
    line: ["uv", "run", "--with", "a", "cmd", "--with", "b"],
    expect: { tool: "uv-run", with: ["a"], target: "cmd", args: ["--with", "b"] },
  },
  {
    line: ["uv", "--directory", "/srv/x", "run", "server.py"],
    expect: { tool: "uv-run", with: [], target: "server.py" },
  },
  { line: ["uv", "pip", "install", "x"], expect: { tool: "other", bin: "uv" } },
];

const CONTAINER_ROWS: Row[] = [
  {
    line: ["docker", "run", "-i", "--rm", "-e", "A_TOKEN", "-e", "B=1", "acme/img:1", "--flag"],
    expect: {
      tool: "container-run",
      engine: "docker",
      image: "acme/img:1",
      env: { A_TOKEN: null, B: "1" },
      args: ["--flag"],
    },
  },
  {
    line: ["podman", "container", "run", "--env=K=v", "-v", "/a:/b", "--network=host", "img"],
    expect: {
      tool: "container-run",
      engine: "podman",
      image: "img",
      env: { K: "v" },
      options: [{ flag: "-v", value: "/a:/b" }, { flag: "--network", value: "host" }],
    },
  },
  { line: ["docker", "run", "-i", "--rm"], expect: { tool: "container-run", image: null } },
  { line: ["docker", "build", "."], expect: { tool: "other", bin: "docker" } },
];

const INTERPRETER_ROWS: Row[] = [
  {
    line: ["node", "dist/index.js", "--x"],
    expect: { tool: "interpreter", interpreter: "node", entry: "dist/index.js", args: ["--x"] },
  },
  {
    line: ["node", "--require", "dotenv/config", "build/index.js"],
    expect: { tool: "interpreter", entry: "build/index.js", args: [] },
  },
  { line: ["node", "-e", "console.log(1)"], expect: { tool: "interpreter", entry: null } },
  {
    line: ["python", "-m", "mcp_server_fetch", "--x"],
    expect: { tool: "interpreter", entry: "mcp_server_fetch", module: true, args: ["--x"] },
  },
  {
    line: ["python3.12", "-u", "server.py"],
    expect: { tool: "interpreter", interpreter: "python", entry: "server.py", module: false },
  },
  { line: ["python", "-c", "print(1)", "a"], expect: { tool: "interpreter", entry: null } },
  {
    line: ["deno", "run", "-A", "--config", "deno.json", "jsr:@x/y", "a"],
    expect: { tool: "interpreter", interpreter: "deno", entry: "jsr:@x/y", args: ["a"] },
  },
  {
    line: ["bun", "run", "src/index.ts"],
    expect: { tool: "interpreter", interpreter: "bun", entry: "src/index.ts" },
  },
  { line: ["my-server", "--port", "1"], expect: { tool: "other", bin: "my-server" } },
];

for (
  const [area, rows] of [
    ["npx", NPX_ROWS],
    ["uvx", UVX_ROWS],
    ["container run", CONTAINER_ROWS],
    ["interpreters", INTERPRETER_ROWS],
  ] as const
) {
  Deno.test(`launch args - ${area}`, () => {
    for (const { line, expect } of rows) {
      const got = parseLaunchCommand(line[0], line.slice(1)) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expect)) {
        assert.deepEqual(got[key], value, `${line.join(" ")}: ${key}`);
      }
    }
  });
}

Deno.test("launch args - command basenames", () => {
  assert.equal(commandBin("/usr/local/bin/uvx"), "uvx");
  assert.equal(commandBin("C:\\Program Files\\nodejs\\npx.cmd"), "npx");
  assert.equal(commandBin(" docker.exe "), "docker");
});
