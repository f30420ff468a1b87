/**
 * @module Analyzer error kinds found on fresh repositories (issue #13, session 12), one test per
 * kind on a small synthetic README.
 */
import assert from "node:assert/strict";
import { block, fence, gather, json, required, sh } from "./readme_kit.ts";
import { requiredFrom } from "../../../server/analyzer/env_hints.ts";
import { synopsisChoices } from "../../../server/analyzer/shell_lines.ts";
import { commandBin } from "../../../runtime/launch_args.ts";
import { parseJsonish } from "../../../server/analyzer/jsonish.ts";
import { composeUpBuilds } from "../../../server/analyzer/candidate_rules.ts";

Deno.test("kinds/session12 - a way 'recommended for npx' is recommended for an npx launch", () => {
  const ev = gather([
    "# Weather MCP",
    "## Installation",
    "### Method 1: Using environment variables",
    block("npx", ["-y", "@weather/mcp"], { WEATHER_API_KEY: "your_key" }),
    "### Method 2: Using command-line arguments (Recommended for npx)",
    block("npx", ["-y", "@weather/mcp", "--units=metric", "--tools=read-only"], {
      WEATHER_API_KEY: "your_key",
    }),
  ].join("\n"));
  assert.deepEqual(ev.plan?.args, ["-y", "@weather/mcp", "--units=metric", "--tools=read-only"]);
  // "Recommended for Docker" recommends nothing for the npx launch.
  const other = gather([
    "# Weather MCP",
    "### Method 1: Using environment variables",
    block("npx", ["-y", "@weather/mcp"], { WEATHER_API_KEY: "your_key" }),
    "### Method 2: Using command-line arguments (Recommended for Docker)",
    block("npx", ["-y", "@weather/mcp", "--units=metric"], { WEATHER_API_KEY: "your_key" }),
  ].join("\n"));
  assert.deepEqual(other.plan?.args, ["-y", "@weather/mcp"]);
});

Deno.test("kinds/session12 - an npx launch written with --package=P is kept as written", () => {
  const ev = gather([
    "# Weather MCP",
    "## Claude Desktop",
    block("npx", ["-y", "--package=@weather/mcp", "weather-mcp", "serve"]),
  ].join("\n"));
  assert.deepEqual(ev.plan?.args, ["-y", "--package=@weather/mcp", "weather-mcp", "serve"]);
});

Deno.test("kinds/session12 - a binary installed from the checkout (npm install -g .) is no published package", () => {
  const files = {
    "package.json": JSON.stringify({
      name: "@alice/weather-mcp",
      bin: { "weather-mcp": "dist/index.js" },
    }),
  };
  const ev = gather(
    [
      "# Weather MCP",
      "## Usage with Claude Desktop",
      block("npx", ["-y", "weather-mcp", "/Users/me/Desktop"]),
      "## Installation",
      sh(
        "npm install",
        "npm run build",
        "npm install -g .",
        "weather-mcp [/path/to/allowed/dir ...]",
      ),
    ].join("\n"),
    files,
  );
  assert.deepEqual(ev.plan?.args, ["-y", "weather-mcp", "/Users/me/Desktop"]);
  // The shell line runs the checkout's build, not the manifest's package from the registry.
  const shell = ev.candidates.filter((c) => c.kind === "shell");
  assert.ok(shell.every((c) => c.package !== "@alice/weather-mcp"));
});

Deno.test("kinds/session12 - a synopsis's repeatable optional argument is dropped", () => {
  assert.equal(synopsisChoices("node dist/index.js [/path/to/dir ...]"), "node dist/index.js");
  assert.deepEqual(synopsisChoices("weather-mcp [DIR…] --stdio").split(/\s+/), [
    "weather-mcp",
    "--stdio",
  ]);
  assert.equal(synopsisChoices("weather-mcp [OPTIONS]"), "weather-mcp");
});

Deno.test("kinds/session12 - a placeholder for a launcher's path names the launcher", () => {
  assert.equal(commandBin("<path_to_uv_or_python_executable>"), "uv");
  assert.equal(commandBin("{path to node}"), "node");
  assert.equal(commandBin("<your-server-binary>"), "<your-server-binary>");
  const ev = gather([
    "# Weather MCP",
    "## Claude Desktop",
    fence + "json",
    "{",
    '  "mcpServers": {',
    '    "weather": { // any name',
    '      "command": "<path_to_uv_or_python_executable>",',
    '      "args": ["--directory", "<path_to_cloned_repo>", "run", "main.py"]',
    "    }",
    "  }",
    "}",
    fence,
  ].join("\n"));
  assert.equal(ev.plan?.runtime, "source");
  assert.equal(ev.plan?.command, "<path_to_uv_or_python_executable>");
  assert.deepEqual(ev.plan?.args, ["--directory", "<path_to_cloned_repo>", "run", "main.py"]);
});

Deno.test("kinds/session12 - 'must point to' says required; a feature's key says optional", () => {
  assert.equal(
    requiredFrom(
      "This environment variable must point to the root of your SDK. If you haven't installed it, see the docs.",
    ),
    true,
  );
  assert.equal(requiredFrom("Must be set when using the HTTP transport."), null);
  assert.equal(requiredFrom("Alchemy API Key (required for NFT functionality)"), false);
  assert.equal(requiredFrom("Coinbase Project ID (for onramp functionality)"), false);
});

Deno.test("kinds/session12 - a client's toolchain variables are no settings to fill", () => {
  const ev = gather([
    "# Weather MCP",
    "## Claude Desktop",
    block("node", ["/path/to/weather-mcp/dist/index.js"], {
      WEATHER_API_KEY: "<your key>",
      NODE_VERSION: "v21.1.0",
      UV_PATH: "/usr/local/bin/uv",
    }),
  ].join("\n"));
  assert.deepEqual(ev.plan?.env.map((e) => e.key), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/session12 - 'run `go run ./cmd`' in a sentence is the checkout's launch", () => {
  const files = { "go.mod": "module weather-mcp\n\ngo 1.24\n" };
  const ev = gather(
    [
      "# Weather MCP",
      "## Use",
      "1. Set the environment variables and run `go run ./cmd`.",
    ].join("\n"),
    files,
  );
  assert.equal(ev.plan?.command, "go");
  assert.deepEqual(ev.plan?.args, ["run", "./cmd"]);
});

Deno.test("kinds/session12 - 'Or with Docker:' and an image with no namespace are the alternatives", () => {
  const docker = block("docker", [
    "run",
    "-i",
    "--rm",
    "--env-file",
    "/path/to/.env",
    "weather-mcp:latest",
  ]);
  const uv = block("uv", ["--directory", "/path/to/weather-mcp", "run", "weather-mcp"]);
  for (
    const [first, intro, second] of [[uv, "Or with Docker:", docker], [
      docker,
      "Or for local development:",
      uv,
    ]]
  ) {
    const ev = gather([
      "# Weather MCP",
      "## Claude Desktop Integration",
      "Add to your Claude Desktop configuration:",
      first,
      intro,
      second,
    ].join("\n"));
    assert.equal(ev.plan?.runtime, first === uv ? "source" : "image", intro);
  }
});

Deno.test("kinds/session12 - docker compose up --build serves the checkout's own image", () => {
  assert.equal(composeUpBuilds(["compose", "--env-file", ".env", "up", "-d", "--build"]), true);
  assert.equal(composeUpBuilds(["compose", "up", "-d"]), false);
  assert.equal(composeUpBuilds(["compose", "run", "--build", "server"]), false);
});

Deno.test("kinds/session12 - a key in a hosted endpoint's path is a secret the router fills in", () => {
  const ev = gather([
    "# Weather MCP",
    "Hosted at mcp.weather.example. You need an API key from your dashboard.",
    "## Claude Desktop",
    json({
      mcpServers: { weather: { url: "https://mcp.weather.example/YOUR_WEATHER_API_KEY/mcp" } },
    }),
  ].join("\n"));
  assert.equal(ev.plan?.url, "https://mcp.weather.example/${WEATHER_API_KEY}/mcp");
  const key = ev.plan?.env.find((e) => e.key === "WEATHER_API_KEY");
  assert.ok(key?.required && key.secret);
});

Deno.test("kinds/session12 - 'Installation > From Source' is a way to install, not development", () => {
  const files = {
    "package.json": JSON.stringify({
      name: "weather-mcp",
      bin: { "weather-server": "dist/index.js" },
    }),
  };
  const ev = gather(
    [
      "# Weather MCP",
      "## Installation",
      "### 1. From Source",
      sh("git clone https://github.com/alice/weather-mcp", "npm install", "npm run build"),
      "Then update your Claude configuration:",
      block("node", ["/absolute/path/to/weather-mcp/dist/index.js"]),
    ].join("\n"),
    files,
  );
  assert.equal(ev.plan?.runtime, "source");
  assert.deepEqual(ev.plan?.args, ["/absolute/path/to/weather-mcp/dist/index.js"]);
});

Deno.test("kinds/session12 - a binary only a manifest names yields to the README's own block", () => {
  const files = { "go.mod": "module github.com/alice/weather-mcp\n\ngo 1.24\n" };
  const ev = gather(
    [
      "# Weather MCP",
      "## Usage with Cursor",
      block("docker", ["run", "-i", "--rm", "-e", "WEATHER_TOKEN", "mcp/weather"], {
        WEATHER_TOKEN: "<YOUR_TOKEN>",
      }),
      "## Build",
      sh("docker build -t mcp/weather -f Dockerfile ."),
    ].join("\n"),
    files,
  );
  assert.equal(ev.plan?.runtime, "image");
});

Deno.test("kinds/session12 - a variable a tool's argument falls back to is optional", () => {
  const ev = gather([
    "# Weather MCP",
    "## Claude Desktop",
    block("npx", ["-y", "weather-mcp"], {
      WEATHER_API_TOKEN: "your_api_token",
      DEFAULT_CITY: "your_city",
    }),
    "## Tools",
    "### forecast",
    '- `city` (optional): the city; if not provided "DEFAULT_CITY" will be used',
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_TOKEN"]);
});

Deno.test("kinds/session12 - a token exported under 'Authentication' must be filled", () => {
  const files = { "go.mod": "module github.com/alice/weather-mcp\n\ngo 1.24\n" };
  const ev = gather(
    [
      "# Weather MCP",
      "## Installation",
      sh("go get github.com/alice/weather-mcp"),
      "## Authentication",
      "The server supports two methods of authentication:",
      "### Environment Variable Authentication",
      "Set your weather access token as an environment variable:",
      sh("export WEATHER_ACCESS_TOKEN=your_weather_token"),
      "### HTTP Header Authentication",
      "You can pass your token via the Authorization header.",
      "## Usage",
      "Run the server with `go run main.go`.",
    ].join("\n"),
    files,
  );
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_ACCESS_TOKEN"]);
});

Deno.test("kinds/session12 - a variable whose flag the launch keeps is not needed as well", () => {
  const ev = gather([
    "# Weather MCP",
    "## Claude Desktop",
    block("weather-mcp", ["--workspace", "/absolute/path/to/your/project"]),
    "## Environment Variables",
    "| Environment Variable | Equivalent Flag | Description |",
    "|---|---|---|",
    "| `WEATHER_WORKSPACE` | `--workspace` | Absolute path to your project root |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
});

Deno.test("kinds/session12 - --client-id in the other examples votes for X_CLIENT_ID", () => {
  const args = [
    "weather-mcp@1.0",
    "--client-id",
    "<your-client-id>",
    "--client-secret",
    "<your-secret>",
  ];
  const ev = gather([
    "# Weather MCP",
    "## Configuration",
    block("uvx", args),
    "Alternatively, you can set environment variables:",
    block("uvx", ["weather-mcp@1.0"], {
      WEATHER_CLIENT_ID: "<your-client-id>",
      WEATHER_CLIENT_SECRET: "<your-client-secret>",
    }),
    "## Namespacing",
    block("uvx", [...args, "--namespace", "app1"]),
    block("uvx", [...args, "--namespace", "app2"]),
    "## Environment Variables",
    "| Variable | Default | Description |",
    "|---|---|---|",
    "| `WEATHER_CLIENT_ID` | _(none)_ | API client ID |",
    "| `WEATHER_CLIENT_SECRET` | _(none)_ | API client secret |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_CLIENT_ID", "WEATHER_CLIENT_SECRET"]);
});

Deno.test("kinds/session12 - a commented-out setting said optional is optional", () => {
  const ev = gather([
    "# Weather MCP",
    "## Claude Desktop",
    block("uvx", ["weather-mcp"], {
      WEATHER_TOKEN: "your_token",
      WEATHER_ACCOUNT_ID: "your_account_id",
    }),
    "## Testing",
    sh(
      "# WEATHER_TOKEN=your_token",
      "# WEATHER_ACCOUNT_ID=your_account_id (optional, defaults to the first account)",
      "uv run chat.py",
    ),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_TOKEN"]);
});

Deno.test("kinds/session12 - an 'HTTP streaming transport mode' section is another mode's", () => {
  const ev = gather([
    "# Weather MCP",
    "### STDIO transport mode",
    sh("uvx weather-mcp"),
    "### HTTP streaming transport mode",
    sh("WEATHER_MCP_HOST=<hostname> WEATHER_MCP_PORT=<port> uvx weather-mcp"),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
});

Deno.test("kinds/session12 - a comma lost between two strings of an args array is put back", () => {
  assert.deepEqual(
    parseJsonish('{"args": [\n  "run",\n  "--directory", "<dir>"\n  "weather-mcp",\n  "run"\n]}'),
    { args: ["run", "--directory", "<dir>", "weather-mcp", "run"] },
  );
});

Deno.test("kinds/session12 - a --service-key placeholder goes to the variable its doc line pairs it with", () => {
  const ev = gather([
    "# Weather MCP",
    "## Configuration",
    "*   `--url <url>` or `WEATHER_URL=<url>`: The URL of your weather station.",
    "*   `--service-key <key>` or `WEATHER_SERVICE_ROLE_KEY=<key>`: Your service role key.",
    "*   `--db-url <url>` or `DATABASE_URL=<url>`: Direct database connection string.",
    "## Claude Desktop",
    block("node", [
      "/path/to/dist/index.js",
      "--url",
      "<your-weather-url>",
      "--service-key",
      "<your-service-key>",
      "--db-url",
      "<your-db-url>",
    ]),
  ].join("\n"));
  const args = ev.plan?.args ?? [];
  assert.ok(
    !args.includes("<your-service-key>") && !args.includes("--service-key"),
    args.join(" "),
  );
  const keys = ev.plan?.env.map((e) => e.key) ?? [];
  assert.ok(
    keys.includes("WEATHER_SERVICE_ROLE_KEY") && keys.includes("DATABASE_URL"),
    keys.join(),
  );
});

Deno.test("kinds/session12 - a launch the README says not to install is no candidate", () => {
  const ev = gather(
    [
      "# Weather MCP",
      "## Quick Start",
      "> Do not install this server with `uvx weather-mcp`: that PyPI name belongs to someone else.",
      "## MCP Client Configuration",
      "For Claude Desktop, point the server at a cloned checkout:",
      block("uv", ["--directory", "/full/path/to/weather-mcp", "run", "main.py"]),
    ].join("\n"),
    { "pyproject.toml": '[project]\nname = "weather-mcp"\n' },
  );
  assert.ok(!ev.candidates.some((c) => c.runtime === "uvx" && c.kind === "shell"));
  assert.equal(ev.plan?.runtime, "source");
});

Deno.test("kinds/session12 - 'Docker > Shared server (recommended)' recommends within Docker only", () => {
  const ev = gather([
    "# Weather MCP",
    "## MCP Client Configuration",
    "For Claude Desktop, point the server at a cloned checkout:",
    block("uv", ["--directory", "/full/path/to/weather-mcp", "run", "main.py"]),
    "## Docker",
    "### Shared server (recommended)",
    "Build the image:",
    sh("docker build -t weather-mcp .", "docker run -d -p 8000:8000 weather-mcp"),
  ].join("\n"));
  assert.equal(ev.plan?.runtime, "source");
});

Deno.test("kinds/session12 - 'Not if HTTP transport is used …, otherwise Yes' is required locally", () => {
  const ev = gather([
    "# Weather MCP",
    "## Claude Desktop",
    block("npx", ["-y", "@weather/mcp"], { WEATHER_APP: "your_app_id", WEATHER_KEY: "your_key" }),
    "## Configuration",
    "| Variable | Description | Required | Default |",
    "|---|---|---|---|",
    "| `WEATHER_APP` | The App ID. | Not if HTTP transport is used with authentication, otherwise **Yes** | - |",
    "| `WEATHER_KEY` | The secret. | Not if HTTP transport is used with authentication, otherwise **Yes** | - |",
    "| `WEATHER_UNITS` | Units. | No | metric |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_APP", "WEATHER_KEY"]);
});

Deno.test("kinds/session12 - 'Only A, B and C are required.' names the needed keys", () => {
  const ev = gather([
    "# Weather MCP",
    "## Configuration",
    "- `WEATHER_ORG_ID`: Your organization ID.",
    "- `WEATHER_ENV_ID`: Your environment ID.",
    "- `WEATHER_SECRET`: Your secret.",
    "- `WEATHER_PROXY`: A proxy URL.",
    "## Claude Desktop",
    block("npx", ["-y", "weather-mcp"], {
      WEATHER_ORG_ID: "your-org-id",
      WEATHER_ENV_ID: "your-env-id",
      WEATHER_SECRET: "your-secret",
      WEATHER_PROXY: "http://proxy:8080",
    }),
    "Only WEATHER_ORG_ID, WEATHER_ENV_ID and WEATHER_SECRET are required.",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), [
    "WEATHER_ENV_ID",
    "WEATHER_ORG_ID",
    "WEATHER_SECRET",
  ]);
});

Deno.test("kinds/session12 - a package's `x-auth` helper is no launch voting on the server's keys", () => {
  const ev = gather([
    "# Weather MCP",
    "## Setup",
    "### NPX",
    block("npx", ["-y", "@weather/mcp-server"], {
      WEATHER_CLIENT_ID: "<YOUR_CLIENT_ID>",
      WEATHER_ACCESS_TOKEN: "<YOUR_ACCESS_TOKEN>",
    }),
    "### Generate Access Token",
    sh("npx @weather/mcp-server weather-auth"),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_ACCESS_TOKEN", "WEATHER_CLIENT_ID"]);
});
