/**
 * @module Analyzer error kinds found on registry packages' READMEs (PyPI descriptions, npm
 * tarballs) and fresh tuning repositories (issue #13), one test per kind on a small synthetic
 * README: env-name look-alikes (prefixes, words in code, bold words), `uv run --with` read as the
 * package's launcher, mode-group comments, experimental sections, transport-only requirements,
 * sub-items of a sentence, `.env` setup steps, flag documentation and `python -m` of a pip package.
 */
import assert from "node:assert/strict";
import { gather, json, required as requiredKeys, sh } from "./readme_kit.ts";
import { documentedEnv } from "../../../server/analyzer/env_vars.ts";
import { optionalSecretKinds } from "../../../server/analyzer/env_prose.ts";
import { readmeBlocks } from "../../../server/analyzer/readme_blocks.ts";
import { launcherArgs } from "../../../server/analyzer/package_plan.ts";

const server = (command: string, args: string[], env?: Record<string, string>) => ({
  mcpServers: { x: env ? { command, args, env } : { command, args } },
});

const evidence = (readme: string, files: Record<string, string> = {}, repo = "weather-mcp") =>
  gather(readme, files, repo).plan!;
const required = (p: ReturnType<typeof evidence>) => requiredKeys(p.env);
const keys = (text: string) => documentedEnv(text, readmeBlocks(text)).map((d) => d.key);

Deno.test("kinds/pkg - prefixes, words in a prose cell and bold words are no env vars", () => {
  const text = [
    "# x",
    "## Configuration",
    "| Provider | Env prefix |",
    "| --- | --- |",
    "| `Auth0Provider` | `FASTMCP_SERVER_AUTH_AUTH0_` |",
    "",
    "| Feature | Notes |",
    "| --- | --- |",
    "| Input: supports `local files` or a valid `URL` | Output: `JSON` |",
    "",
    "- `WEATHER_TOKEN`: the API token",
    "  * **WARNING:** never share it",
    "- HTTP: `8123` (plain)",
    "- `DEBUG`: more logs",
  ].join("\n");
  const found = keys(text);
  assert.deepEqual(found.filter((k) => !["WEATHER_TOKEN", "DEBUG"].includes(k)), []);
  assert.ok(found.includes("WEATHER_TOKEN") && found.includes("DEBUG"));
});

Deno.test("kinds/pkg - `uv run --with PKG [--python V] CMD` is read as uvx's own arguments", () => {
  const uv = (...a: string[]) => launcherArgs("uv", a, "uvx");
  assert.deepEqual(uv("run", "--with", "mcp-x", "--python", "3.12", "mcp-x"), [
    "--python",
    "3.12",
    "mcp-x",
  ]);
  assert.deepEqual(uv("run", "--with", "mcp-x", "mcp-x-server", "--ro"), [
    "--from",
    "mcp-x",
    "mcp-x-server",
    "--ro",
  ]);
  assert.deepEqual(uv("tool", "run", "mcp-x"), ["mcp-x"]);
  assert.deepEqual(launcherArgs("/usr/local/bin/uvx", ["mcp-x"], "uvx"), ["mcp-x"]);
  assert.equal(uv("run", "server.py"), null);
  assert.equal(launcherArgs("bunx", ["mcp-x"], "npx"), null);
});

Deno.test("kinds/pkg - a comment heading a group of exports names the one mode they are for", () => {
  const p = evidence([
    "# chroma-like",
    "## Usage with Claude Desktop",
    json(server("uvx", ["weather-mcp"])),
    "### Using Environment Variables",
    sh(
      "# Common variables",
      'export WEATHER_CLIENT_TYPE="http"',
      "",
      "# For cloud client",
      'export WEATHER_TENANT="your-tenant-id"',
      'export WEATHER_API_KEY="your-api-key"',
      "",
      "# For HTTP client (self-hosted)",
      'export WEATHER_HOST="your-host"',
      "",
      "# Optional: path to .env",
      'export WEATHER_DOTENV_PATH="/path/to/.env"',
    ),
  ].join("\n"));
  assert.deepEqual(required(p), []);
  assert.ok(p.env.some((e) => e.key === "WEATHER_API_KEY"));
});

Deno.test("kinds/pkg - a 'must' under an experimental heading is that feature's", () => {
  const p = evidence([
    "# weather-mcp",
    json(server("uvx", ["weather-mcp"], { WEATHER_URL: "postgresql://user:pass@host/db" })),
    "## Experimental: forecasts by LLM",
    "To get forecasts, you must provide an OpenAI API key by setting the `OPENAI_API_KEY` environment variable.",
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_URL"]);
});

Deno.test("kinds/pkg - a token 'required on HTTP requests' is the HTTP transport's", () => {
  const p = evidence([
    "# weather-mcp",
    json(server("uvx", ["weather-mcp"])),
    "## Configuration",
    "| Flag | Environment variable | Default | Meaning |",
    "| --- | --- | --- | --- |",
    "| `--port PORT` | `WEATHER_PORT` | `8017` | HTTP port |",
    "| | `WEATHER_AUTH_TOKEN` | none | Bearer token required on HTTP requests |",
  ].join("\n"));
  assert.deepEqual(required(p), []);
});

Deno.test("kinds/pkg - a sentence's variable does not take the next list's sub-items", () => {
  const docs = documentedEnv(
    [
      "# x",
      "## Tools",
      "> Posting is off by default. To enable, set the `WEATHER_POST_TOOL` environment variable.",
      "- `post`: posts a message",
      "  - `channel_id` (string, required): the channel",
      '  - `content_type` (string, default: "text/markdown")',
    ].join("\n"),
    [],
  );
  const doc = docs.find((d) => d.key === "WEATHER_POST_TOOL")!;
  assert.notEqual(doc.required, true);
  assert.equal(doc.default, null);
});

Deno.test("kinds/pkg - a key written to .env as its own setup step must be filled", () => {
  const p = evidence([
    "# weather-mcp",
    "## Setup",
    "### Installation",
    sh("# Set API key in .env", "WEATHER_API_KEY=your-weather-api-key"),
    "## Connecting to Claude Desktop",
    json(server("/path/to/uv", ["--directory", "/abs/path/weather-mcp", "run", "server.py"])),
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_API_KEY"]);
  assert.equal(p.command, "/path/to/uv");
});

Deno.test("kinds/pkg - a flag documented as an alternative to a variable leaves it required", () => {
  const p = evidence([
    "# weather-mcp",
    json(server("npx", ["-y", "weather-mcp"], { WEATHER_API_KEY: "YOUR_WEATHER_API_KEY" })),
    "## Options",
    "- `--key`: your API key (alternative to the `WEATHER_API_KEY` env var)",
    "",
    "Environment variables:",
    "- `WEATHER_API_KEY`: your API key (required)",
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/pkg - `pip install PKG` then `python -m pkg` runs the package's module as written", () => {
  const readme = [
    "# weather-mcp",
    "## Installation",
    sh("pip install weather-mcp"),
    "## Usage",
    json(server("python", ["-m", "weather_mcp"])),
  ].join("\n");
  const pyproject = [
    "[project]",
    'name = "weather-mcp"',
    "[project.scripts]",
    'weather-mcp = "weather_mcp.__main__:main"',
  ].join("\n");
  // (The install image puts the package's venv first on PATH: its `python` has the module.)
  for (const p of [evidence(readme, { "pyproject.toml": pyproject }), evidence(readme)]) {
    assert.deepEqual([p.runtime, p.command, p.args, p.package], [
      "uvx",
      "python",
      ["-m", "weather_mcp"],
      "weather-mcp",
    ]);
  }
  // Beside the README's own `uvx weather-mcp` block, that block is the plan.
  const both = evidence([readme, "## Using uvx", json(server("uvx", ["weather-mcp"]))].join("\n"), {
    "pyproject.toml": pyproject,
  });
  assert.deepEqual([both.command, both.args], ["uvx", ["weather-mcp"]]);
});

Deno.test("kinds/pkg - 'an access token is required' and no launch shows env: its one key", () => {
  const p = evidence([
    "# weather-mcp",
    "**A Weather access token is required to use this MCP server.**",
    "## Usage",
    json(server("npx", ["-y", "weather-mcp"])),
    "## Development",
    sh("# 2. Edit .env to add your WEATHER_ACCESS_TOKEN"),
    "## Configuration",
    "- `WEATHER_ACCESS_TOKEN`: your token",
    "- `WEATHER_API_ENDPOINT`: the API's address",
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_ACCESS_TOKEN"]);
});

Deno.test("kinds/pkg - placeholder flags with an env twin move there; `-p password` is dropped", () => {
  const twin = evidence([
    "# weather-mcp",
    "| Flag | Env | Description | Required |",
    "| --- | --- | --- | --- |",
    "| `--uc_server` | `UC_SERVER` | The server's URL | Required |",
    json(
      server("uv", [
        "--directory",
        "/path/weather-mcp",
        "run",
        "weather-mcp",
        "--uc_server",
        "<your server url>",
      ]),
    ),
  ].join("\n"));
  assert.deepEqual(twin.args, ["--directory", "/path/weather-mcp", "run", "weather-mcp"]);
  assert.deepEqual(required(twin), ["UC_SERVER"]);
  const word = evidence(json(server("weather-mcp", ["-h", "localhost", "-p", "password"])));
  assert.deepEqual(word.args, ["-h", "localhost"]);
});

Deno.test("kinds/pkg - a short flag documented as a secret env var carries the user's secret", () => {
  const p = evidence([
    "# weather-mcp",
    "The API token can also be provided via the `weather_token` environment variable.",
    "| Option | Flags | Description |",
    "| --- | --- | --- |",
    "| API Token | `--token`, `-t` | API token (can also be provided via `weather_token` environment variable) |",
    json(server("npx", ["-y", "weather-mcp", "-t", "abcd123"])),
  ].join("\n"));
  assert.deepEqual(p.args, ["-y", "weather-mcp"]);
  assert.deepEqual(required(p), ["weather_token"]);
});

Deno.test("kinds/pkg - '(Optional) Restrict the API key' is a step, not an optional key", () => {
  const p = evidence([
    "# weather-mcp",
    "3. Get API Key:",
    "   - Copy your API key",
    "   - (Optional) Restrict the API key to only the Weather API",
    json(server("npx", ["-y", "weather-mcp"], { WEATHER_API_KEY: "your-api-key-here" })),
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/pkg - a flag that 'replaces' a variable carries it; a bare word is no key", () => {
  const p = evidence([
    "# weather-mcp",
    "Get an ACCESS TOKEN from your profile.",
    json(server("weather-mcp", ["--token=YOUR_WEATHER_TOKEN", "--units=metric"])),
    "**Available CLI arguments:**",
    "- `--token` - Weather access token (replaces `WEATHER_PERSONAL_ACCESS_TOKEN`)",
  ].join("\n"));
  assert.deepEqual(p.args, ["--units=metric"]);
  assert.deepEqual(required(p), ["WEATHER_PERSONAL_ACCESS_TOKEN"]);
});

Deno.test("kinds/pkg - `pipx run PKG` is a uvx launch that keeps its literal launcher", () => {
  const p = evidence(json(server("pipx", ["run", "weather-mcp"], { WEATHER_KEY: "KEY" })));
  assert.deepEqual([p.runtime, p.command, p.args, p.package], [
    "uvx",
    "pipx",
    ["run", "weather-mcp"],
    "weather-mcp",
  ]);
});

Deno.test("kinds/pkg - the vendor's own API endpoint in every example is a working value", () => {
  const block = (key: string) =>
    json(server("uvx", ["weather-mcp"], {
      WEATHER_USER_API_KEY: key,
      WEATHER_API_HOST: "https://api.weather.com",
      WEATHER_SITE_URL: "https://try.weather.org",
    }));
  const p = evidence([
    "# weather-mcp",
    "## VS Code",
    block("${input:weather-api-key}"),
    "## Claude Desktop",
    block("your-weather-api-key-here"),
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_SITE_URL", "WEATHER_USER_API_KEY"]);
});

Deno.test("kinds/pkg - a list introduced as 'configuration options:' documents env vars", () => {
  const p = evidence([
    "# weather-mcp",
    "## Installation",
    "These are the available configuration options:",
    "",
    "- `WEATHER_LOCAL=true`: use the local API (default: false)",
    "- `WEATHER_API_KEY`: your API key (not required for the local API)",
    json(server("uvx", ["weather-mcp"], { WEATHER_LOCAL: "true", WEATHER_API_KEY: "" })),
  ].join("\n"));
  assert.deepEqual(required(p), []);
});

Deno.test("kinds/pkg - 'only two are required; `X` defaults to `standard`': X has a default", () => {
  const p = evidence([
    "# weather-mcp",
    "Only two env vars are required; `WEATHER_TOOL_PACKAGE` defaults to `standard`, so leave it out.",
    json(server("uvx", ["weather-mcp"], { WEATHER_URL: "https://your-instance.weather.com" })),
    json(server("uvx", ["weather-mcp"], {
      WEATHER_URL: "https://your-instance.weather.com",
      WEATHER_TOOL_PACKAGE: "standard",
    })),
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_URL"]);
});

Deno.test("kinds/pkg - env tables: an unnamed second column, ✅ in the Required column", () => {
  const docs = documentedEnv(
    [
      "# x",
      "## Settings",
      "| Variable | |",
      "|---|---|",
      "| `WEATHER_API_KEY` | Required. A workspace key, `ak_...` |",
      "| `WEATHER_BASE_URL` | Defaults to `https://api.weather.ai` |",
      "",
      "| Variable | Required | Description |",
      "|---|---|---|",
      "| `WEATHER_USERNAME` | ✅ | Your account |",
      "| `WEATHER_REGION` | Optional | Region, default `cn` |",
    ].join("\n"),
    [],
  );
  const req = (k: string) => docs.find((d) => d.key === k)?.required;
  assert.deepEqual(
    ["WEATHER_API_KEY", "WEATHER_BASE_URL", "WEATHER_USERNAME", "WEATHER_REGION"].map(req),
    [true, null, true, false],
  );
});

Deno.test("kinds/pkg - a `--setup` wizard line is not the server's launch", () => {
  const p = evidence([
    "# weather-mcp",
    "## Setup",
    sh("uvx weather-mcp --setup"),
    "## Claude Desktop",
    sh("uvx weather-mcp"),
  ].join("\n"));
  assert.deepEqual(p.args, ["weather-mcp"]);
});

Deno.test("kinds/pkg - defaults written in other languages (默认值：, デフォルト, por defecto)", () => {
  const docs = documentedEnv(
    [
      "## Environment",
      "- `WEATHER_REGION`: 区域 (默认值：cn-beijing)",
      "- `WEATHER_LANG`: idioma, por defecto `es`",
      "- `WEATHER_UNITS`: 単位、デフォルトは metric",
    ].join("\n"),
    [],
  );
  assert.deepEqual(docs.map((d) => d.default), ["cn-beijing", "es", "metric"]);
});

Deno.test("kinds/pkg - a shell line's npx arguments are kept as the README writes them", () => {
  const p = evidence(["# weather-mcp", "## Usage", sh("npx weather-mcp")].join("\n"));
  assert.deepEqual([p.runtime, p.args], ["npx", ["weather-mcp"]]);
});

Deno.test("kinds/pkg - a Claude section's custom connector URL is Claude Desktop's way", () => {
  const p = evidence(
    [
      "# weather-mcp",
      "## Quick Start",
      sh("npx weather-mcp"),
      "## Setup Guide",
      "#### Claude Desktop",
      "",
      "1. Open Settings → Connectors → Add custom connector",
      "2. Enter `https://ai.weather.net/mcp` and complete OAuth authentication",
      "#### Cursor",
      json({
        mcpServers: {
          w: { command: "npx", args: ["-y", "mcp-remote", "https://ai.weather.net/mcp"] },
        },
      }),
    ].join("\r\n"),
    { "package.json": JSON.stringify({ name: "weather-mcp", bin: "index.js" }) },
  );
  assert.deepEqual([p.runtime, p.url], ["remote", "https://ai.weather.net/mcp"]);
});

Deno.test("kinds/pkg - toolchain modules, upkeep scripts and `[OPTIONS]` are no launch parts", () => {
  const venv = evidence([
    "# weather-mcp",
    "## Setup",
    sh("python -m venv .venv", "python -m pip install -r requirements.txt"),
    "## Run",
    sh("python server.py [OPTIONS]"),
  ].join("\n"));
  assert.deepEqual([venv.command, venv.args], ["python", ["server.py"]]);
  const update = evidence(["# weather-mcp", "## Update", sh("./scripts/update.sh")].join("\n"));
  assert.notEqual(update?.command, "./scripts/update.sh");
});

Deno.test("kinds/pkg - `bunx PKG` keeps its launcher; a URL's `{a | b}` choice takes the first", () => {
  const bun = evidence(json(server("bunx", ["weather-mcp@latest"])));
  assert.deepEqual([bun.runtime, bun.command, bun.args], ["npx", "bunx", ["weather-mcp@latest"]]);
  const remote = evidence(
    json({ mcpServers: { w: { url: "https://mcp.weather.com/{minimal | mcp}" } } }),
  );
  assert.equal(remote.url, "https://mcp.weather.com/minimal");
});

Deno.test("kinds/pkg - a recommendation wrapped over lines; 'no `uvx`' names a way left out", () => {
  const p = evidence([
    "# weather-mcp",
    "## Quick start",
    "The recommended way to run the Weather MCP server is to point your MCP",
    "client at the hosted server. The client handles OAuth; no",
    "local install, no `uvx`.",
    json({ mcpServers: { weather: { url: "https://mcp.weather.com/mcp" } } }),
    "## Local",
    json(server("uvx", ["weather-mcp@latest"], { WEATHER_TOKEN: "<token>" })),
  ].join("\n"));
  assert.deepEqual([p.runtime, p.url], ["remote", "https://mcp.weather.com/mcp"]);
  const win = evidence([
    "# weather-mcp",
    "For Windows:",
    json(server("C:\\path\\to\\weather\\.venv\\Scripts\\python.exe", ["-m", "weather_mcp"])),
    "For Linux/Mac:",
    json(server("/path/to/weather/.venv/bin/python", ["-m", "weather_mcp"])),
  ].join("\n"));
  assert.equal(win.command, "/path/to/weather/.venv/bin/python");
});

Deno.test("kinds/pkg - a tool call's arguments name no server; `# Using …` above a launch line", () => {
  const p = evidence([
    "# weather-mcp",
    "## Running",
    sh("# Using direct binary", "WEATHER_API_KEY=your_api_key ./weather-mcp"),
    "## Tools",
    json({ name: "summarize", arguments: { url: "https://en.wikipedia.org/wiki/Weather" } }),
  ].join("\n"));
  assert.deepEqual([p.runtime, p.command], ["source", "./weather-mcp"]);
  assert.deepEqual(required(p), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/pkg - a short placeholder flag is read by the long name a table pairs it with", () => {
  const p = evidence([
    "# weather-mcp",
    json(
      server("npx", ["-y", "weather-mcp", "mcp", "-a", "<your_app_id>", "-s", "<your_app_secret>"]),
    ),
    "| Option | Short | Description |",
    "| --- | --- | --- |",
    "| `--app-id` | `-a` | App ID |",
    "| `--app-secret` | `-s` | App Secret |",
    "## Environment variables",
    "The env vars can replace the flags:",
    sh("export APP_ID=cli_xxxx", "export APP_SECRET=yyyyy"),
  ].join("\n"));
  assert.deepEqual(p.args, ["-y", "weather-mcp", "mcp"]);
  assert.deepEqual(required(p), ["APP_ID", "APP_SECRET"]);
});

Deno.test("kinds/pkg - the template's 'Development/Unpublished Servers Configuration' is the launch", () => {
  const p = evidence(
    [
      "# weather-mcp",
      "#### Claude Desktop",
      "<details>",
      "  <summary>Development/Unpublished Servers Configuration</summary>",
      "  ```",
      '  "mcpServers": {',
      '    "weather": {"command": "uv", "args": ["--directory", "path_to_project", "run", "weather-mcp"],',
      '      "env": {"WEATHER_API_KEY": "YOUR API KEY"}}',
      "  }",
      "  ```",
      "</details>",
    ].join("\n"),
    {
      "pyproject.toml":
        '[project]\nname = "weather-mcp"\n[project.scripts]\nweather-mcp = "w:main"\n',
    },
  );
  assert.deepEqual([p.runtime, p.command], ["source", "uv"]);
  assert.deepEqual(required(p), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/pkg - a config block's bare script of an unpublished package runs the checkout", () => {
  const p = evidence(
    [
      "# weather-mcp",
      "## Install",
      sh("uv tool install git+https://github.com/alice/weather-mcp"),
      "## Claude Code",
      json(server("weather-mcp", [])),
    ].join("\n"),
    {
      "pyproject.toml":
        '[project]\nname = "weather-mcp"\n[project.scripts]\nweather-mcp = "w:main"\n',
    },
  );
  assert.deepEqual([p.runtime, p.command], ["source", "weather-mcp"]);
});

Deno.test("kinds/pkg - a .env the user creates holds required keys; a global npm package's short bin", () => {
  const dotenv = evidence([
    "# weather-mcp",
    "## Install",
    "3. **Set up environment variables:**",
    "   Create a file named `.env` in the project root:",
    "```dotenv",
    "WEATHER_API_KEY=your_weather_api_key_here",
    "```",
    json(server("node", ["/absolute/path/to/weather-mcp/build/index.js"])),
  ].join("\n"));
  assert.deepEqual(required(dotenv), ["WEATHER_API_KEY"]);
  const bin = evidence(
    [
      "# weather-mcp-server",
      sh("npm install -g @acme/weather-mcp-server"),
      "#### Using the weather-mcp command (after global installation)",
      sh("weather-mcp --transport stdio"),
    ].join("\n"),
    {},
    "weather-mcp-server",
  );
  assert.deepEqual([bin.runtime, bin.args], [
    "npx",
    ["-y", "@acme/weather-mcp-server", "--transport", "stdio"],
  ]);
});

Deno.test("kinds/pkg - an identity flag left empty (`--username=`) is an optional field, not an arg", () => {
  const p = evidence(
    json(server("/path/to/weather-mcp", ["--host=localhost", "--username=", "--password="])),
  );
  assert.deepEqual(p.args, ["--host=localhost"]);
  assert.deepEqual(p.arg_fields?.find((f) => f.flag === "--username")?.required, false);
});

Deno.test("kinds/pkg - 'the hosted server is the fastest way', its URL only in a sentence", () => {
  const p = evidence([
    "# weather-mcp",
    "The remote Weather MCP Server is hosted by us and provides the fastest way to start.",
    "The public instance is available at https://mcp.weather.com/mcp for clients that support it.",
    "## Docker",
    json(server("docker", ["run", "-i", "--rm", "-e", "WEATHER_API_KEY", "acme/weather-mcp"], {
      WEATHER_API_KEY: "<key>",
    })),
  ].join("\n"));
  assert.deepEqual([p.runtime, p.url], ["remote", "https://mcp.weather.com/mcp"]);
});

Deno.test("kinds/pkg - '# Optional: Bearer token' on one key's line says nothing of the others", () => {
  const p = evidence([
    "# weather-mcp",
    sh("npm install -g weather-mcp"),
    "## Configuration",
    "Set the following environment variables:",
    sh(
      'export WEATHER_BOT_TOKEN="xoxb-your-bot-token"',
      'export WEATHER_TEAM_ID="your-team-id"',
      'export WEATHER_CHANNELS="a,b"  # Optional: predefined channels',
      'export AUTH_TOKEN="your-auth-token"  # Optional: Bearer token for HTTP (HTTP only)',
    ),
    "## Usage",
    sh("weather-mcp"),
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_BOT_TOKEN", "WEATHER_TEAM_ID"]);
});

Deno.test("kinds/pkg - 'At minimum the server needs…:' before an export block makes it required", () => {
  const p = evidence([
    "# weather-mcp",
    "## Quick Start",
    sh("uvx weather-mcp"),
    "## Configuration",
    "At minimum the server needs to know which Weather instance to target:",
    sh('export WEATHER_URL="https://weather.example.org/"'),
    "Optionally:",
    sh('export WEATHER_UNITS="metric"'),
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_URL"]);
});

Deno.test("kinds/pkg - 'Required: Yes' with a real default is covered; 'works without a key'", () => {
  const docs = documentedEnv(
    [
      "### Environment Variables",
      "| Variable | Description | Required | Default |",
      "|---|---|---|---|",
      "| `WEATHER_API_KEY` | Partner API key | Yes | - |",
      "| `WEATHER_STORE_ID` | Regional store | Yes | `www.weather.com` |",
    ].join("\n"),
    [],
  );
  assert.deepEqual(docs.map((d) => [d.key, d.required]), [
    ["WEATHER_API_KEY", true],
    ["WEATHER_STORE_ID", false],
  ]);
  assert.deepEqual(optionalSecretKinds("The reader works without a key, subject to rate limits."), [
    "API_KEY",
  ]);
});

Deno.test("kinds/pkg - a locally built image's block loses to the checkout's own block", () => {
  const p = evidence([
    "# weather-mcp",
    "## Setup",
    "Add to your claude_desktop_config.json:",
    json(server("uv", ["--directory", "/path/to/weather-mcp", "run", "weather"])),
    "### Docker",
    sh("docker build -t weather-mcp .", "docker run -i --rm --env-file .env weather-mcp"),
    "#### Claude MCP Integration",
    json(server("docker", ["run", "-i", "--rm", "--env-file", "/path/to/.env", "weather-mcp"])),
  ].join("\n"));
  assert.deepEqual([p.runtime, p.command], ["source", "uv"]);
});

Deno.test("kinds/pkg - '# comment' before a bare fragment; camelCase flag twins; per-tool requirements", () => {
  const frag = evidence([
    "# weather-mcp",
    "```bash",
    "# Add the server to your claude_desktop_config.json",
    '"mcpServers": {',
    '  "weather": {"command": "uv", "args": ["--directory", "parent/servers/weather", "run", "weather-mcp"]}',
    "}",
    "```",
  ].join("\n"));
  assert.deepEqual([frag.command, frag.args[0]], ["uv", "--directory"]);
  const camel = evidence([
    "# weather-mcp",
    json(
      server("npx", ["weather-mcp", "--clientId", "<YOUR_CLIENT_ID>", "--repoDir", "$REPO_DIR"]),
    ),
    "## Environment",
    "- `WEATHER_CLIENT_ID`: the app's client id",
    "- `WEATHER_LEDGER_URL` (required for `weather-attribution`): the ledger's base URL",
    "- `WEATHER_REPO_DIR`: where the checkout is",
  ].join("\n"));
  assert.deepEqual(camel.args, ["weather-mcp", "--repoDir", "$REPO_DIR"]);
  assert.deepEqual(required(camel), ["WEATHER_CLIENT_ID"]);
});

Deno.test("kinds/pkg - a list introduced by 'The following environment variable is required'", () => {
  const docs = documentedEnv(
    [
      "### Environment Variables",
      "The following environment variable is required in your config. Get a key from [W](https://w.ai)",
      "",
      "- `WEATHER_API_KEY`: Your Weather API key",
    ].join("\n"),
    [],
  );
  assert.equal(docs[0]?.required, true);
});

Deno.test("kinds/pkg - `// OR …` and `// … (optional)` comments inside an env object", () => {
  const p = evidence([
    "# weather-mcp",
    "```json",
    '{"mcpServers": {"w": {"command": "npx", "args": ["-y", "weather-mcp"], "env": {',
    '  "WEATHER_BASE_URL": "https://api.example.com",',
    "  // Basic Auth",
    '  "AUTH_BASIC_USERNAME": "your-username",',
    '  "AUTH_BASIC_PASSWORD": "your-password",',
    "  // OR Bearer Token",
    '  "AUTH_BEARER": "your-token",',
    "  // Custom Headers (optional)",
    '  "HEADER_Accept": "application/json"',
    "}}}}",
    "```",
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_BASE_URL"]);
});

Deno.test("kinds/pkg - a setup-guide link is no endpoint; a title naming Claude is no Claude section", () => {
  const p = evidence([
    "# Weather — Claude Code Plugin & MCP Server",
    "## Quick start",
    "### Any other MCP client",
    "Point your client at the endpoint:",
    "```",
    "https://mcp.weather.com/mcp",
    "```",
    json({
      mcpServers: {
        w: { command: "npx", args: ["-y", "mcp-remote", "https://mcp.weather.com/mcp"] },
      },
    }),
    "Clients with remote support (Grok custom connectors) can use the URL directly.",
    "Per-client setup guides: [weather.com/mcp](https://weather.com/mcp).",
  ].join("\n"));
  assert.equal(p.url, "https://mcp.weather.com/mcp");
});

Deno.test("kinds/pkg - a `<your path to …>/NAME` command is a built binary's placeholder path", () => {
  const p = evidence(
    json(server("<your path to Weather MCP server go executable>/weather-mcp", [], {
      WEATHER_AUTH_TOKEN: "<your auth token>",
    })),
  );
  assert.deepEqual([p.runtime, p.command], [
    "source",
    "<your path to Weather MCP server go executable>/weather-mcp",
  ]);
  assert.deepEqual(required(p), ["WEATHER_AUTH_TOKEN"]);
});

Deno.test("kinds/pkg - a server that defaults to HTTP: the env switch to stdio is required, prefilled", () => {
  const p = evidence([
    "# weather-mcp",
    "| Transport | Set | Use |",
    "| --- | --- | --- |",
    "| `http` (default) | `MCP_TRANSPORT=http` | shared server |",
    "| `stdio` | `MCP_TRANSPORT=stdio` | Claude Desktop |",
    json(server("uvx", ["weather-mcp"], { MCP_TRANSPORT: "stdio", WEATHER_KEY: "<key>" })),
  ].join("\n"));
  const t = p.env.find((e) => e.key === "MCP_TRANSPORT")!;
  assert.deepEqual([t.required, t.default], [true, "stdio"]);
});
