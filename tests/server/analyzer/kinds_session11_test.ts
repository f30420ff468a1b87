/**
 * @module Analyzer error kinds found on fresh repositories (issue #13, session 11), one test per
 * kind on a small synthetic README.
 */
import assert from "node:assert/strict";
import { block, fence, gather, json, required, sh } from "./readme_kit.ts";
import { requiredFrom } from "../../../server/analyzer/env_hints.ts";
import { installLinks } from "../../../server/analyzer/install_links.ts";
import { npmLaunch } from "../../../runtime/launch_command.ts";
import { documentedEnv } from "../../../server/analyzer/env_vars.ts";

Deno.test("kinds/session11 - a later sentence that is the word Required alone says so", () => {
  assert.equal(
    requiredFrom("API key from example.com/account. Required. New accounts get $20."),
    true,
  );
  assert.equal(requiredFrom("Your token. **Required**"), true);
  // "Required by some configurations …" is a condition, not the word alone.
  assert.equal(
    requiredFrom("Path to the client certificate. Required by some database configurations."),
    null,
  );
  const ev = gather([
    "# Weather MCP",
    block("uvx", ["weather-mcp"], { WEATHER_API_KEY: "wx_live_your_key_here" }),
    "## Environment Variables",
    "| Variable | Description |",
    "|---|---|",
    "| `WEATHER_API_KEY` | API key from [weather.example](https://weather.example/account). Required. New accounts get credit. |",
    "| `WEATHER_API_URL` | Override the API base URL. |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/session11 - a table of REST endpoints names HTTP methods, not variables", () => {
  const ev = gather([
    "# Weather MCP",
    block("uvx", ["weather-mcp"], { WEATHER_API_KEY: "<key>" }),
    "## Environment variables",
    "| Method | Endpoint | Purpose |",
    "|---|---|---|",
    "| `POST` | `/uploads/presigned` | Get an upload URL |",
    "| `GET`  | `/conversations/{id}` | Poll a conversation |",
    "| `PUT`  | `<presigned_url>` | Upload bytes |",
  ].join("\n"));
  assert.deepEqual(ev.plan?.env.map((e) => e.key), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/session11 - a token offered only for higher rate limits is optional", () => {
  const ev = gather([
    "# Weather MCP",
    "Natively supports `GITHUB_TOKEN` authentication to increase API rate limits from 60 to 5,000 requests/hour.",
    block("/usr/local/bin/weather_mcp", [], {
      GITHUB_TOKEN: "ghp_your_personal_access_token_here",
    }),
    "**Important:** Adding a `GITHUB_TOKEN` is highly recommended to avoid the 60 requests/hour rate limit.",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
  assert.deepEqual(ev.plan?.env.map((e) => e.key), ["GITHUB_TOKEN"]);
  // A key the README calls required stays so, rate limits or not.
  const needed = gather([
    "# Weather MCP",
    block("npx", ["-y", "weather-mcp"], { WEATHER_TOKEN: "<token>" }),
    "`WEATHER_TOKEN` is required; without it you hit the rate limit of 60 requests.",
  ].join("\n"));
  assert.deepEqual(required(needed.plan?.env ?? []), ["WEATHER_TOKEN"]);
});

Deno.test("kinds/session11 - the one blank of a .env step is needed; a port and a sample URL beside it are no blanks", () => {
  const env = (...lines: string[]) =>
    gather([
      "# Weather MCP",
      "## Quick start",
      "- **Add server configuration to your `.env` file:**",
      fence,
      ...lines,
      fence,
      sh("uv run python -m weather_mcp.main"),
    ].join("\n"));
  const one = env(
    'DATABASE_URL="postgresql://postgres:password@localhost:5432/postgres"',
    'BEARER_TOKEN="YOUR_BEARER_TOKEN"',
    'PORT="8000"',
  );
  assert.ok(required(one.plan?.env ?? []).includes("BEARER_TOKEN"));
  // Two blanks (a client id and its secret): not one step's single key.
  const two = env(
    "WEATHER_CLIENT_ID=your_client_id",
    "WEATHER_CLIENT_SECRET=your_client_secret",
    "WEATHER_USER_AGENT=YourApp/1.0",
  );
  assert.ok(!required(two.plan?.env ?? []).includes("WEATHER_CLIENT_SECRET"));
});

Deno.test("kinds/session11 - a .env step under a heading that calls it optional is not needed", () => {
  const ev = gather([
    "# Weather MCP",
    block("uvx", ["weather-mcp"]),
    "### Vision API Key (Optional, for OCR)",
    "1. Create an API key.",
    "2. Add to `.env`:",
    fence,
    "VISION_API_KEY=AIzaSy...",
    fence,
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
});

Deno.test("kinds/session11 - an install badge carrying a hosted endpoint (installthismcp ?url=) is a remote block", () => {
  const line =
    "[![Install](https://img.shields.io/badge/Install-x)](https://installthismcp.com/Weather%20MCP?url=https%3A%2F%2Fmcp.weather.example%2Fmcp)";
  assert.deepEqual(installLinks(line), [{
    client: "installthismcp",
    name: "Weather MCP",
    config: { url: "https://mcp.weather.example/mcp" },
  }]);
  const ev = gather(["# Weather MCP", "## Installation", line].join("\n"), {
    "package.json": JSON.stringify({
      name: "weather-mcp",
      bin: { "weather-mcp": "dist/index.js" },
    }),
  });
  assert.equal(ev.plan?.runtime, "remote");
  assert.equal(ev.plan?.url, "https://mcp.weather.example/mcp");
});

Deno.test("kinds/session11 - `go run` of the checkout is a source launch; the stdio program beats its HTTP twin", () => {
  const ev = gather(
    [
      "# Weather MCP",
      "## HTTP Server",
      sh("WEATHER_SERVER_ADDRESS=:8080 go run cmd/mcp-http/main.go"),
      "## STDIO Server",
      sh("WEATHER_BEARER_TOKEN=your-token go run cmd/mcp-stdio/main.go"),
    ].join("\n"),
    { "go.mod": "module github.com/alice/weather-mcp\n\ngo 1.22\n" },
  );
  assert.equal(ev.plan?.runtime, "source");
  assert.equal(ev.plan?.command, "go");
  assert.deepEqual(ev.plan?.args, ["run", "cmd/mcp-stdio/main.go"]);
  const client = gather([
    "# Weather MCP",
    block("go", ["run", "/path/to/weather/cmd/mcp-stdio/main.go"], { WEATHER_TOKEN: "<token>" }),
  ].join("\n"));
  assert.deepEqual([client.plan?.command, client.plan?.args], [
    "go",
    ["run", "/path/to/weather/cmd/mcp-stdio/main.go"],
  ]);
});

Deno.test("kinds/session11 - a mode switch each example sets its own way is a choice, not a blank", () => {
  const ev = gather([
    "# Weather MCP",
    "#### For CLI sign-in:",
    block("npx", ["-y", "weather-mcp"], { WEATHER_CONNECTION_TYPE: "Weather_CLI" }),
    "#### For password sign-in:",
    block("npx", ["-y", "weather-mcp"], {
      WEATHER_CONNECTION_TYPE: "User_Password",
      WEATHER_USERNAME: "your_username",
    }),
    "#### For OAuth:",
    block("npx", ["-y", "weather-mcp"], {
      WEATHER_CONNECTION_TYPE: "OAuth_2.0_Client_Credentials",
      WEATHER_CLIENT_ID: "your_client_id",
    }),
  ].join("\n"));
  assert.ok(!required(ev.plan?.env ?? []).includes("WEATHER_CONNECTION_TYPE"));
});

Deno.test("kinds/session11 - `npm exec PKG` and `pnpm dlx PKG` are npx by other names", () => {
  const ev = gather([
    "# Weather MCP",
    "#### Option 2: NPX Installation (Recommended for Users)",
    block("npm", ["exec", "@alice/weather-mcp"], { WEATHER_API_KEY: "your_key" }),
  ].join("\n"));
  assert.equal(ev.plan?.runtime, "npx");
  assert.equal(ev.plan?.package, "@alice/weather-mcp");
  assert.deepEqual([ev.plan?.command, ev.plan?.args], ["npm", ["exec", "@alice/weather-mcp"]]);
  // The container runs the installed package, as for npx.
  assert.deepEqual(
    npmLaunch({ package: null, command: "npm", args: ["exec", "-y", "--", "weather-mcp", "--x"] })
      .installSpecs,
    ["weather-mcp"],
  );
  assert.deepEqual(
    npmLaunch({ package: null, command: "pnpm", args: ["dlx", "weather-mcp@1", "a"] }).command
      .slice(1),
    ["a"],
  );
  // `npm run start` stays a project script.
  assert.deepEqual(
    npmLaunch({ package: "weather-mcp", command: "npm", args: ["run", "start"] }).command,
    ["npm", "run", "start"],
  );
});

Deno.test("kinds/session11 - an npx spec fetched from git is no package beating the README's image", () => {
  const ev = gather([
    "# Weather MCP",
    "## Usage",
    "### npm",
    block("npx", ["-y", "github:alice/weather-mcp"], { WEATHER_TOKEN: "<token>" }),
    "### Docker",
    block("docker", ["run", "-i", "--rm", "-e", "WEATHER_TOKEN", "alice/weather-mcp"], {
      WEATHER_TOKEN: "<token>",
    }),
  ].join("\n"));
  assert.equal(ev.plan?.runtime, "image");
});

Deno.test("kinds/session11 - a shell temporary handed on as another's value is no setting", () => {
  const ev = gather([
    "# Weather MCP",
    "## Run",
    "`WEATHER_TOKEN` must be base64 of `<email>:<pat>`:",
    sh(
      "WEATHER_PAT_B64=$(printf '%s' \"you@example.com:$WEATHER_PAT\" | base64)",
      "",
      "docker run -i --rm \\",
      "  -e WEATHER_ORG=<your-org> \\",
      '  -e WEATHER_TOKEN="$WEATHER_PAT_B64" \\',
      "  weather-mcp",
    ),
    "## MCP client config example",
    json({
      servers: {
        weather: {
          type: "stdio",
          command: "docker",
          args: ["run", "-i", "--rm", "-e", "WEATHER_ORG", "-e", "WEATHER_TOKEN", "weather-mcp"],
          env: { WEATHER_ORG: "<your-org>", WEATHER_TOKEN: "<base64>" },
        },
      },
    }),
  ].join("\n"));
  assert.ok(ev.plan?.env.some((e) => e.key === "WEATHER_TOKEN"));
  assert.ok(!(ev.plan?.env ?? []).some((e) => e.key === "WEATHER_PAT_B64"));
});

Deno.test("kinds/session11 - variables of a 'Deploy your own server' or OAuth deployment section are that mode's", () => {
  const ev = gather([
    "# Weather MCP",
    block("uvx", ["weather-mcp"]),
    "## Deploy Your Own Server",
    "### Cloud OAuth Deployment Entrypoint",
    "| Environment variable | Purpose |",
    "| --- | --- |",
    "| `WEATHER_CLOUD_AUTH_TOKEN_KEY` | Required signing key for issued OAuth access tokens |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
});

Deno.test("kinds/session11 - a key every commented group of a .env sets is needed in each mode", () => {
  const ev = gather([
    "# Weather MCP",
    "## Quick Start",
    "### 2. Configure Database",
    "Create `.env` file:",
    sh(
      "# For local SQL Server (Linux/Docker)",
      'export WEATHER_CONNECTION_STRING="Server=localhost,1433;UID=sa;PWD=YourPassword123"',
      "",
      "# Or for Windows Auth",
      'export WEATHER_CONNECTION_STRING="Server=localhost;Trusted_Connection=yes"',
    ),
    "### 3. Run the Server",
    sh("python -m weather_mcp.cli"),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_CONNECTION_STRING"]);
});

Deno.test("kinds/session11 - keys the server falls back to are alternatives, even against smithery's required list", () => {
  const ev = gather(
    [
      "# Weather MCP",
      block("uvx", ["--from", "weather-connector", "weather"], {
        WEATHER_ACCESS_TOKEN: "WEATHER_ACCESS_TOKEN",
        WEATHER_INSTANCE_URL: "WEATHER_INSTANCE_URL",
      }),
      "This server supports two authentication methods:",
      "- **OAuth (Recommended):** Set `WEATHER_ACCESS_TOKEN` and `WEATHER_INSTANCE_URL` as environment variables.",
      "- **Username/Password (Legacy):** If `WEATHER_ACCESS_TOKEN` and `WEATHER_INSTANCE_URL` are not set, the server will fall back to using `WEATHER_USERNAME`, `WEATHER_PASSWORD`, and `WEATHER_SECURITY_TOKEN`.",
    ].join("\n"),
    {
      "smithery.yaml": [
        "startCommand:",
        "  type: stdio",
        "  configSchema:",
        "    type: object",
        "    required:",
        "      - weatherUsername",
        "    properties:",
        "      weatherUsername:",
        "        type: string",
        "        description: The username for the Weather account.",
        "  commandFunction: |-",
        "    (config) => ({ command: 'weather', env: { WEATHER_USERNAME: config.weatherUsername } })",
      ].join("\n"),
    },
  );
  assert.deepEqual(required(ev.plan?.env ?? []), []);
});

Deno.test("kinds/session11 - two names of one setting (an alias) are not two ways", () => {
  const ev = gather(
    [
      "# Weather MCP",
      block("uvx", ["weather-mcp"], { ALLOW_COMMANDS: "ls,cat,pwd" }),
      "The `ALLOW_COMMANDS` (or its alias `ALLOWED_COMMANDS` ) environment variable specifies which commands are allowed.",
      "Valid formats for ALLOW_COMMANDS or ALLOWED_COMMANDS:",
    ].join("\n"),
    {
      "smithery.yaml": [
        "startCommand:",
        "  type: stdio",
        "  configSchema:",
        "    type: object",
        "    required:",
        "      - allowCommands",
        "    properties:",
        "      allowCommands:",
        "        type: string",
        "        description: Comma-separated list of allowed commands.",
        "  commandFunction: |-",
        "    (config) => ({ command: 'weather-mcp', env: { ALLOW_COMMANDS: config.allowCommands } })",
      ].join("\n"),
    },
  );
  assert.deepEqual(required(ev.plan?.env ?? []), ["ALLOW_COMMANDS"]);
});

Deno.test("kinds/session11 - a sentence saying keys are optional (but needed for some operations) makes them so", () => {
  const ev = gather([
    "# Weather MCP",
    block("docker", ["run", "-i", "--rm", "-e", "KEY", "-e", "FUNDER", "alice/weather-mcp"], {
      KEY: "your_private_key_here",
      FUNDER: "your_wallet_address_here",
    }),
    "Note: The `KEY` and `FUNDER` environment variables are optional but required for certain operations that need authentication.",
    "> WEATHER_API_URL is optional, defaulting to https://api.weather.example",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
});

Deno.test("kinds/session11 - a flag whose value is a documented variable's name moves to that variable", () => {
  const ev = gather([
    "# Weather MCP",
    block("uvx", ["weather-loki-mcp", "-u", "WEATHER_URL", "-k", "WEATHER_API_KEY"]),
    "- `WEATHER_URL`: URL of your Weather instance",
    "- `WEATHER_API_KEY`: Weather API key with appropriate permissions",
    "## Environment variables",
    sh(
      "export WEATHER_URL=https://your-weather.example.com",
      "export WEATHER_API_KEY=your-api-key",
    ),
  ].join("\n"));
  assert.deepEqual(ev.plan?.args, ["weather-loki-mcp"]);
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY", "WEATHER_URL"]);
});

Deno.test("kinds/session11 - a proxy section's copy of the launch adds no needed keys", () => {
  const ev = gather([
    "# Weather MCP",
    "## Usage with Claude Desktop",
    block("docker", ["run", "-i", "--rm", "-e", "WEATHER_API_KEY", "alice/weather-mcp"], {
      WEATHER_API_KEY: "<your key>",
    }),
    "## Proxy Configuration",
    "### Docker",
    block("docker", [
      "run",
      "-i",
      "--rm",
      "-e",
      "WEATHER_API_KEY",
      "-e",
      "http_proxy_host",
      "alice/weather-mcp",
    ], { WEATHER_API_KEY: "<your key>", http_proxy_host: "proxy.example.com" }),
    "**Complete example:**",
    sh(
      "docker run -i --rm \\",
      '  -e http_proxy_host="proxy.example.com" \\',
      "  -e WEATHER_API_KEY \\",
      "  alice/weather-mcp",
    ),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/session11 - a `# Required` comment heads its whole group of lines", () => {
  const ev = gather([
    "# Weather MCP",
    "### Environment Variables",
    "Create a `.env` file or set environment variables:",
    sh(
      "# Required",
      "WEATHER_URL=https://your-weather.local",
      "WEATHER_API_KEY=your-api-key-here",
      "",
      "# Optional",
      "WEATHER_VERIFY_SSL=true                    # Verify SSL certificates",
      "WEATHER_LOG_LEVEL=INFO                     # Logging level",
    ),
    "**Add to your Claude Desktop config**:",
    block("uvx", ["weather-mcp"], {
      WEATHER_URL: "https://your-weather.local",
      WEATHER_API_KEY: "your-api-key-here",
      WEATHER_VERIFY_SSL: "false",
    }),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY", "WEATHER_URL"]);
});

Deno.test("kinds/session11 - a Required cell that says 'Yes only when MODE=http' is one mode's", () => {
  const docs = documentedEnv(
    [
      "## Environment variables",
      "| Variable | Description | Required |",
      "|---|---|---|",
      "| `WEATHER_URL` | Your Weather URL | Yes |",
      "| `MCP_SERVER_PORT` | Port for HTTP transport mode | Yes only when `TRANSPORT_MODE=http` |",
      "| `WEATHER_TLS` | TLS | Yes, if TLS is on |",
    ].join("\n"),
    [],
  );
  const byKey = Object.fromEntries(docs.map((d) => [d.key, d.required]));
  assert.deepEqual(byKey, { WEATHER_URL: true, MCP_SERVER_PORT: false, WEATHER_TLS: false });
});

Deno.test("kinds/session11 - the client block written for Claude Desktop outweighs a bare launch line", () => {
  const ev = gather(
    [
      "# Weather MCP Server",
      "## Run",
      "### npm",
      sh("npx @alice-co/server"),
      "### Docker",
      sh("docker run -i --rm -e WEATHER_URL ghcr.io/alice-co/server"),
      "## Usage",
      "### Config file",
      "Add this to the Claude Desktop configuration file:",
      block("docker", ["run", "-i", "--rm", "-e", "WEATHER_URL", "ghcr.io/alice-co/server"], {
        WEATHER_URL: "https://your-weather.example",
      }),
    ].join("\n"),
    {},
    "server",
  );
  assert.equal(ev.plan?.runtime, "image");
});

Deno.test("kinds/session11 - the pyproject's script run bare after an editable install is the checkout's, not a PyPI package", () => {
  const pyproject = [
    "[project]",
    'name = "weather-mcp"',
    'version = "0.1.0"',
    "",
    "[project.scripts]",
    'weather-mcp = "weather_mcp.server:main"',
  ].join("\n");
  const readme = (install: string) =>
    [
      "# weather-mcp",
      "## Installation",
      sh("git clone https://github.com/alice/weather-mcp", "cd weather-mcp", install),
      "## Adding to VSCode",
      json({ servers: { weather: { type: "stdio", command: "weather-mcp", args: [] } } }),
    ].join("\n");
  const editable = gather(readme("pip install -e ."), { "pyproject.toml": pyproject });
  assert.deepEqual([editable.plan?.runtime, editable.plan?.command], ["source", "weather-mcp"]);
  // Installed from PyPI, the same script is the package's.
  const published = gather(readme("pip install weather-mcp"), { "pyproject.toml": pyproject });
  assert.equal(published.plan?.runtime, "uvx");
});
