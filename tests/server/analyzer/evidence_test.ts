/** @module Unit tests for the deterministic README / manifest readers. */
import assert from "node:assert/strict";
import { defaultsToHttp, gatherEvidence } from "../../../server/analyzer/evidence.ts";
import { interpretLaunch } from "../../../server/analyzer/launch.ts";
import { readManifests } from "../../../server/analyzer/manifests.ts";
import { readPyproject } from "../../../server/analyzer/pyproject.ts";
import { configEntries } from "../../../server/analyzer/config_entries.ts";
import { parseJsonish } from "../../../server/analyzer/jsonish.ts";
import { readmeBlocks } from "../../../server/analyzer/readme_blocks.ts";
import { trimReadme } from "../../../server/analyzer/prompt.ts";

const fence = "```";

Deno.test("evidence - lenient JSON: comments, trailing commas, smart quotes, fragments", () => {
  assert.deepEqual(parseJsonish('{"a": [1, 2,], // c\n "b": "x" /* y */,}'), { a: [1, 2], b: "x" });
  assert.deepEqual(parseJsonish("{\u201ca\u201d: \u201cb\u201d}"), { a: "b" });
  assert.deepEqual(parseJsonish('"env": {"K": "v"}'), { env: { K: "v" } });
  assert.equal(parseJsonish("npm install"), undefined);
});

Deno.test("evidence - config entries from mcpServers, servers, mcp.servers and <pre> blocks", () => {
  const md = [
    "# X",
    "## Claude Desktop",
    `${fence}json`,
    '{"mcpServers": {"x": {"command": "npx", "args": ["-y", "x-mcp"], "env": {"X_API_KEY": "<key>"}}}}',
    fence,
    "<pre>",
    '{"mcp": {"servers": {"y": {"url": "https://y.example/mcp"}}}}',
    "</pre>",
  ].join("\n");
  const { entries } = configEntries(readmeBlocks(md));
  assert.equal(entries.length, 2);
  assert.equal(entries[0].container, "mcpServers");
  assert.equal(entries[0].line, 4);
  assert.equal(entries[0].block.section, "X > Claude Desktop");
  assert.deepEqual(entries[0].env, { X_API_KEY: "<key>" });
  assert.equal(entries[1].container, "servers");
  assert.equal(entries[1].url, "https://y.example/mcp");
});

Deno.test("evidence - launches: docker run, uv run --with, cmd /c, helpers", () => {
  const d = interpretLaunch("docker", [
    "run",
    "-i",
    "--rm",
    "-e",
    "A_TOKEN",
    "-e",
    "B=1",
    "-v",
    "/x:/y",
    "acme/img:1",
    "--flag",
  ])!;
  assert.equal(d.runtime, "image");
  assert.equal(d.image, "acme/img:1");
  assert.deepEqual(d.args, ["--flag"]);
  assert.deepEqual(Object.keys(d.env), ["A_TOKEN", "B"]);
  assert.ok(d.notes.some((n) => n.includes("-v")));
  const uv = interpretLaunch("uv", ["run", "--with", "foo-mcp", "foo-mcp", "--stdio"])!;
  assert.equal(uv.runtime, "uvx");
  assert.equal(uv.command, "uv");
  assert.equal(uv.package, "foo-mcp");
  const win = interpretLaunch("cmd", ["/c", "npx", "-y", "pkg"])!;
  assert.equal(win.windowsWrapper, true);
  assert.deepEqual(win.args, ["-y", "pkg"]);
  assert.equal(interpretLaunch("npx", ["@modelcontextprotocol/inspector", "node", "x.js"]), null);
  assert.equal(interpretLaunch("npx", ["mcp-remote", "https://r.example/sse"])?.runtime, "remote");
});

Deno.test("evidence - pyproject reader and malformed manifests", () => {
  const t = readPyproject(
    '[project]\nname = "a-b"\ndescription = \'d\'\n[project.scripts]\na-b = "a_b:main"\n',
  );
  assert.equal(t.name, "a-b");
  assert.deepEqual(t.scripts, ["a-b"]);
  const facts = readManifests({ "package.json": "{nope", "server.json": "[]" });
  assert.equal(facts.npm, null);
  assert.equal(facts.warnings.length, 2);
});

Deno.test("evidence - HTTP-default servers get --transport stdio", () => {
  assert.ok(
    defaultsToHttp(
      "This project supports both HTTP and STDIO transports, with HTTP as the default mode.",
    ),
  );
  assert.ok(!defaultsToHttp("The default transport is `stdio` if not specified."));
  const readme = [
    "# S",
    "Options: `--transport <stdio|http>` Transport type (default: http)",
    `${fence}json`,
    '{"mcpServers": {"s": {"command": "npx", "args": ["-y", "s-mcp"]}}}',
    fence,
  ].join("\n");
  const ev = gatherEvidence({
    readme: { path: "README.md", text: readme },
    files: { "package.json": '{"name": "s-mcp", "bin": "x.js"}' },
    repoName: "s",
    subpath: null,
  });
  assert.deepEqual(ev.plan?.args, ["-y", "s-mcp", "--transport", "stdio"]);
});

Deno.test("evidence - secret arguments move to a required env var", () => {
  const readme = [
    "# P",
    "Set PAY_SECRET_KEY in your environment instead of the flag.",
    `${fence}json`,
    '{"mcpServers": {"p": {"command": "npx", "args": ["-y", "@p/mcp", "--all", "--api-key=PAY_SECRET_KEY"]}}}',
    fence,
  ].join("\n");
  const ev = gatherEvidence({
    readme: { path: "README.md", text: readme },
    files: {},
    repoName: "p",
    subpath: null,
  });
  assert.deepEqual(ev.plan?.args, ["-y", "@p/mcp", "--all"]);
  assert.deepEqual(ev.plan?.env, [{
    key: "PAY_SECRET_KEY",
    description: "",
    required: true,
    secret: true,
  }]);
});

Deno.test("evidence - env required-ness: documented required, defaults, toolchain vars", () => {
  const readme = [
    "# E",
    "## Environment Variables",
    "- `E_API_KEY`: your key (required)",
    "- `E_PORT`: port (default: 8080)",
    `${fence}json`,
    '{"mcpServers": {"e": {"command": "uvx", "args": ["e-mcp"], "env": {"E_API_KEY": "xxx", "PYTHONIOENCODING": "utf-8", "E_REGION": "<region>"}}}}',
    fence,
  ].join("\n");
  const ev = gatherEvidence({
    readme: { path: "README.md", text: readme },
    files: { "pyproject.toml": '[project]\nname = "e-mcp"\n[project.scripts]\ne-mcp = "e:main"\n' },
    repoName: "e",
    subpath: null,
  });
  const env = Object.fromEntries((ev.plan?.env ?? []).map((e) => [e.key, e]));
  assert.equal(env.E_API_KEY.required, true);
  assert.equal(env.E_API_KEY.secret, true);
  assert.equal(env.E_REGION.required, true);
  assert.equal(env.E_PORT.required, false);
  assert.equal(env.E_PORT.default, "8080");
  assert.equal(env.PYTHONIOENCODING, undefined);
});

Deno.test("evidence - README trimming keeps installation sections within budget", () => {
  const text = "# T\nintro\n## History\n" + "x".repeat(50_000) + "\n## Installation\nnpx -y t\n";
  const out = trimReadme(text, 20_000);
  assert.ok(out.length < 21_000);
  assert.ok(out.includes("npx -y t"));
  assert.ok(out.startsWith("# T"));
});
