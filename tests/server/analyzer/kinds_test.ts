/**
 * @module One test per error kind of the analyzer on unseen repositories (issue #13), each on a
 * small synthetic README: foreign blocks, placeholder key arguments, several documented ways,
 * sub-folder servers and checkout launches, optional/TLS/advanced env vars.
 */
import assert from "node:assert/strict";
import { gatherEvidence } from "../../../server/analyzer/evidence.ts";
import { flagEnvVar, moveSecretArgs } from "../../../server/analyzer/secret_args.ts";
import { documentedEnv } from "../../../server/analyzer/env_vars.ts";
import { optionalSecretKinds } from "../../../server/analyzer/env_prose.ts";
import {
  distinctiveTokens,
  proseEndpoints,
  sharesNoToken,
} from "../../../server/analyzer/candidate_rules.ts";
import { subFoldersToRead } from "../../../server/analyzer/github.ts";
import { checkoutLaunch, interpretLaunch } from "../../../server/analyzer/launch.ts";
import { readmeBlocks as readmeBlocksOf } from "../../../server/analyzer/readme_blocks.ts";

const fence = "```";
const block = (o: unknown) => [`${fence}json`, JSON.stringify(o, null, 2), fence].join("\n");
const server = (command: string, args: string[], env?: Record<string, string>) => ({
  mcpServers: { x: env ? { command, args, env } : { command, args } },
});

function plan(
  readme: string,
  opts: { repo?: string; owner?: string; files?: Record<string, string> } = {},
) {
  const ev = gatherEvidence({
    readme: { path: "README.md", text: readme },
    files: opts.files ?? {},
    repoName: opts.repo ?? "weather-mcp",
    subpath: null,
    owner: opts.owner ?? "alice",
  });
  return ev;
}
const required = (ev: ReturnType<typeof plan>) =>
  ev.plan!.env.filter((e) => e.required).map((e) => e.key).sort();

Deno.test("kinds - a block copied from another server loses to the repository's own package", () => {
  const ev = plan([
    "# Weather MCP",
    "## Usage with Claude Desktop",
    block(server("npx", ["-y", "@other/server-github"], { GITHUB_TOKEN: "<token>" })),
    block(server("npx", ["-y", "@alice/weather-mcp"], { WEATHER_API_KEY: "<key>" })),
  ].join("\n"));
  assert.equal(ev.plan!.package, "@alice/weather-mcp");
  assert.deepEqual(required(ev), ["WEATHER_API_KEY"]);
  assert.ok(sharesNoToken("@other/server-github", distinctiveTokens("alice weather-mcp")));
  assert.ok(!sharesNoToken("weathermcp-pro", distinctiveTokens("alice weather")));
});

Deno.test("kinds - a key argument becomes the env var the README names, optional when it says so", () => {
  const readme = [
    "# Weather",
    "- Weather API Key (Optional) for higher rate limits",
    "## Claude Desktop",
    block(server("npx", ["-y", "@alice/weather-mcp", "--api-key", "YOUR_API_KEY"])),
    "## With an environment variable",
    block(server("npx", ["-y", "@alice/weather-mcp"], { WEATHER_API_KEY: "YOUR_API_KEY" })),
  ].join("\n");
  const ev = plan(readme);
  assert.deepEqual(ev.plan!.args, ["-y", "@alice/weather-mcp"]);
  const spec = ev.plan!.env.find((e) => e.key === "WEATHER_API_KEY")!;
  assert.equal(spec.required, false);
  assert.equal(spec.secret, true);
  assert.deepEqual(optionalSecretKinds("### API Key (optional)"), ["API_KEY"]);
  assert.deepEqual(optionalSecretKinds("The API key is required."), []);
});

Deno.test("kinds - an unnamed placeholder key is dropped from args and left for the user", () => {
  const moved = moveSecretArgs(["./srv", "--auth-token", "<token>", "db.sqlite"], new Set(), "# x");
  assert.deepEqual(moved.args, ["./srv", "db.sqlite"]);
  assert.deepEqual(moved.env, []);
  assert.equal(moved.fields.length, 1);
  assert.equal(moved.fields[0].flag, "--auth-token");
  assert.equal(moved.fields[0].required, true);
  // A literal value that is not a placeholder stays (with a warning).
  const kept = moveSecretArgs(["--token", "abc123"], new Set(), "# x");
  assert.deepEqual(kept.args, ["--token", "abc123"]);
  assert.equal(kept.warnings.length, 1);
});

Deno.test("kinds - the env var a flag's documentation names wins, in its own case", () => {
  const readme = [
    "| Flag | Description |",
    "| --- | --- |",
    "| `--duck-token` | Access token (uses `duck_token` env var by default) |",
  ].join("\n");
  assert.equal(flagEnvVar("--duck-token", readme), "duck_token");
  const moved = moveSecretArgs(
    ["pkg", "--duck-token", "<YOUR_DUCK_TOKEN_HERE>"],
    new Set(),
    readme,
  );
  assert.deepEqual(moved, { args: ["pkg"], env: ["duck_token"], fields: [], warnings: [] });
});

Deno.test("kinds - several documented ways: the package wins over Docker, the rest are alternatives", () => {
  const ev = plan([
    "# Weather",
    "## Usage with Claude Desktop",
    "### Docker",
    block(server("docker", ["run", "-i", "--rm", "alice/weather-mcp"])),
    "### NPX",
    block(server("npx", ["-y", "@alice/weather-mcp"])),
    "### Hosted",
    block({ mcpServers: { x: { url: "https://weather.example/mcp" } } }),
  ].join("\n"));
  assert.equal(ev.plan!.runtime, "npx");
  const alts = ev.plan!.alternatives!.map((a) => a.runtime).sort();
  assert.deepEqual(alts, ["image", "remote"]);
});

Deno.test("kinds - a Claude-section `claude mcp add -t http` line is a hosted plan with its headers", () => {
  const ev = plan([
    "# Weather",
    "## Install in Claude Code",
    `${fence}bash`,
    'claude mcp add weather -t http https://weather.example/mcp -H "Authorization: Bearer $WEATHER_TOKEN"',
    fence,
    "## Running locally",
    `${fence}bash`,
    "docker run --rm -p 3000:3000 weather-mcp",
    fence,
  ].join("\n"));
  assert.equal(ev.plan!.runtime, "remote");
  assert.equal(ev.plan!.url, "https://weather.example/mcp");
  assert.deepEqual(ev.plan!.headers, { Authorization: "Bearer ${WEATHER_TOKEN}" });
});

Deno.test("kinds - a hosted endpoint stated only in prose is a remote plan", () => {
  const text =
    "# Trunk\n\nOur MCP server is available at `https://mcp.weather.example/mcp` for all.";
  assert.deepEqual(proseEndpoints(text).map((e) => e.url), ["https://mcp.weather.example/mcp"]);
  const ev = plan(text);
  assert.equal(ev.plan!.runtime, "remote");
  assert.deepEqual(
    proseEndpoints("See https://github.com/x/y/mcp and http://localhost:3000/mcp"),
    [],
  );
});

Deno.test("kinds - a README config mapping a globally installed package's binary runs that package", () => {
  const ev = plan([
    "# Weather",
    `${fence}bash`,
    "npm install -g weather-mcp",
    fence,
    "## Claude Desktop",
    block({ mcpServers: { w: { command: "weather-mcp" } } }),
  ].join("\n"));
  assert.equal(ev.plan!.runtime, "npx");
  assert.deepEqual(ev.plan!.args, ["-y", "weather-mcp"]);
});

Deno.test("kinds - a client block is copied as written (no `-y` added)", () => {
  const ev = plan(block(server("npx", ["@alice/weather-mcp@1.0.0", "redis://localhost"])));
  assert.deepEqual(ev.plan!.args, ["@alice/weather-mcp@1.0.0", "redis://localhost"]);
});

Deno.test("kinds - checkout launches run from source with the README's steps; bad blocks are dropped", () => {
  const ev = plan([
    "# Weather",
    "## Install",
    `${fence}bash`,
    "git clone https://github.com/alice/weather-mcp.git",
    "cd weather-mcp/server",
    "pip install -r requirements.txt",
    "uv sync",
    fence,
    "## Run",
    `${fence}bash`,
    "python server.py",
    fence,
    "## Cursor",
    block(server("/path/to/python", ["--directory", "/path/to/dir", "server.py"])),
    block(server("uvx", ["--directory", "/path/to/dir", "run", "server.py"])),
  ].join("\n"));
  assert.equal(ev.plan!.runtime, "source");
  assert.equal(ev.plan!.command, "python");
  assert.deepEqual(ev.plan!.args, ["server.py"]);
  assert.deepEqual(ev.plan!.install, [
    "git clone --depth 1 https://github.com/alice/weather-mcp.git .",
    "cd server && pip install -r requirements.txt",
    "cd server && uv sync",
  ]);
  assert.equal(interpretLaunch("uvx", ["--directory", "d", "run", "x.py"]), null);
  assert.equal(checkoutLaunch("/app", []), null);
  assert.equal(checkoutLaunch("$PATH/TO/weather/bin/stdio", [])?.runtime, "source");
  assert.equal(checkoutLaunch("uv", ["--directory", "/p/srv", "run", "x.py"])?.command, "uv");
});

Deno.test("kinds - a server in a sub-folder with its own manifest is planned from that folder", () => {
  const pyproject = '[project]\nname = "weather-srv"\n[project.scripts]\nweather-srv = "w:main"\n';
  const ev = plan("# Weather\n\nA weather server, see `terminal_server/`.", {
    files: { "terminal_server/pyproject.toml": pyproject },
  });
  assert.equal(ev.plan!.runtime, "source");
  assert.deepEqual(ev.plan!.args, ["--directory", "terminal_server", "run", "weather-srv"]);
  assert.deepEqual(subFoldersToRead(["terminal_server", "docs"], "cd terminal_server", true), [
    "terminal_server",
  ]);
  assert.deepEqual(subFoldersToRead(["mcp_server", "docs"], "nothing", false), ["mcp_server"]);
  assert.deepEqual(subFoldersToRead(["mcp_server", "docs"], "nothing", true), []);
  // Nothing runnable anywhere: no plan (the caller refuses with a reason).
  assert.equal(plan("# Weather\n\nA library.").plan, null);
});

Deno.test("kinds - env vars of optional, TLS and advanced sections and tuning knobs are not required", () => {
  const ev = plan([
    "# Weather",
    "## Claude Desktop",
    block(
      server("npx", ["-y", "@alice/weather-mcp"], {
        WEATHER_URL: "<url>",
        WEATHER_LOG_LEVEL: "info",
      }),
    ),
    "## Configuration",
    "### Required variables",
    "* `WEATHER_URL`: the service URL",
    "### Optional variables",
    "* `WEATHER_PORT`: the port",
    "  * Default: `8443`",
    "## TLS",
    "- `WEATHER_CA_FILE`: CA bundle for the environment",
    "## Advanced",
    "- `WEATHER_POOL`: pool size environment setting",
  ].join("\n"));
  assert.deepEqual(required(ev), ["WEATHER_URL"]);
  const port = ev.plan!.env.find((e) => e.key === "WEATHER_PORT")!;
  assert.equal(port.default, "8443");
});

Deno.test("kinds - a `Released Package` section is not a development section", () => {
  const ev = plan([
    "# Weather",
    "## Usage with Claude Desktop",
    "### Released Package",
    block(server("uvx", ["weather-mcp@0.3.1", "--transport", "stdio"])),
    "### Using with Docker",
    block(server("docker", ["run", "-i", "--rm", "mcp/weather"])),
  ].join("\n"));
  assert.equal(ev.plan!.runtime, "uvx");
  assert.deepEqual(ev.plan!.args, ["weather-mcp@0.3.1", "--transport", "stdio"]);
});

Deno.test("kinds - a key flag's env var named only in prose is used; `YOUR_…` placeholders are not names", () => {
  const ev = plan([
    "# X",
    "Set the `ALICE_API_KEY` environment variable or pass it.",
    block(server("npx", ["-y", "@alice/weather-mcp", "--api-key", "<YOUR_API_KEY>"])),
  ].join("\n"));
  assert.deepEqual(ev.plan!.args, ["-y", "@alice/weather-mcp"]);
  assert.deepEqual(required(ev), ["ALICE_API_KEY"]);
});

Deno.test("kinds - a Go bridge beside a Python server: the README's launch, steps from its folder", () => {
  const ev = plan(
    [
      "# Weather",
      "## Setup",
      `${fence}bash`,
      "cd server",
      "pip install -e .",
      fence,
      "## Claude Desktop",
      block(server("python", ["/path/to/weather-mcp/server/main.py"])),
    ].join("\n"),
    {
      files: {
        "go.mod": "module github.com/alice/weather-mcp/bridge\n",
        "server/pyproject.toml": '[project]\nname = "weather-server"\n',
      },
    },
  );
  assert.equal(ev.plan!.runtime, "source");
  assert.equal(ev.plan!.command, "python");
  assert.deepEqual(ev.plan!.install, [
    "git clone --depth 1 https://github.com/alice/weather-mcp.git .",
    "cd server && pip install -e .",
  ]);
});

Deno.test("kinds - variables named in a prose sentence are offered; required only when it says so", () => {
  const docs = documentedEnv(
    [
      "# X",
      "The `WEATHER_TOKEN` environment variable is required. Set `WEATHER_REGION` as an env var.",
      "You can optionally set the `WEATHER_PROXY` environment variable.",
      "The `NOT_AN_ENV` flag of the CLI.",
    ].join("\n"),
    [],
  );
  const by = Object.fromEntries(docs.map((d) => [d.key, d.required]));
  assert.deepEqual(by, { WEATHER_TOKEN: true, WEATHER_REGION: null, WEATHER_PROXY: false });
});

Deno.test("kinds - a hosted endpoint is planned only when the README offers nothing local", () => {
  const both = plan([
    "# Weather",
    "## Hosted",
    block({ mcpServers: { w: { url: "https://weather.example/mcp" } } }),
    "## Local",
    block(server("npx", ["-y", "@alice/weather-mcp"])),
  ].join("\n"));
  assert.equal(both.plan!.runtime, "npx");
  assert.deepEqual(both.plan!.alternatives!.map((a) => a.url), ["https://weather.example/mcp"]);
  const hosted = plan(block({ mcpServers: { w: { url: "https://weather.example/mcp" } } }));
  assert.equal(hosted.plan!.runtime, "remote");
});

Deno.test("kinds - upkeep steps (uninstall, update, setup sub-commands) are never the launch", () => {
  const readme = [
    "# Tool",
    "## Install in Claude Desktop",
    block(server("npx", ["-y", "@acme/tool@latest"])),
    "## Uninstalling",
    "### Automatic Uninstallation (Recommended)",
    `${fence}bash\nnpx @acme/tool@latest remove\n${fence}`,
    "### Setup helper",
    `${fence}bash\nnpx @acme/tool@latest setup\n${fence}`,
  ].join("\n");
  const p = plan(readme, { repo: "tool", owner: "acme" });
  assert.deepEqual(p.plan?.args, ["-y", "@acme/tool@latest"]);
});

Deno.test("kinds - one placeholder key exported as a run step is required; grouped exports are not", () => {
  const text = "# X\n## Usage\n```bash\nexport ACME_API_KEY=your_key\n```\n";
  const grouped = "# X\n## Usage\n```bash\n# cloud\nexport A_API_KEY=your-key\n# self-hosted\n" +
    "export B_TOKEN=your-token\n```\n";
  const req = (t: string) =>
    documentedEnv(t, readmeBlocksOf(t)).filter((d) => d.required).map((d) => d.key);
  assert.deepEqual(req(text), ["ACME_API_KEY"]);
  assert.deepEqual(req(grouped), []);
});
