/**
 * @module Analyzer error kinds found on popular npm packages' READMEs (issue #13, session 7), one
 * test per kind on a small synthetic README: one-click install links (Cursor, VS Code, install-mcp)
 * as config blocks, a credential's sample value in the only config, "Set `KEY` as an environment
 * variable", the transport an env assignment picks, a package's CLI sub-commands beside its
 * server launch, and the extra keys of a "multiple workspaces" section.
 */
import assert from "node:assert/strict";
import { gather, json, required, sh } from "./readme_kit.ts";
import { installLinks } from "../../../server/analyzer/install_links.ts";
import { interpretLaunch } from "../../../server/analyzer/launch.ts";
import { isExampleValue } from "../../../server/analyzer/package_plan.ts";
import { documentedEnv } from "../../../server/analyzer/env_vars.ts";
import { isPlaceholder } from "../../../server/analyzer/env_names.ts";
import { documentedFlagFields } from "../../../server/analyzer/flag_docs.ts";
import { parseJsonish } from "../../../server/analyzer/jsonish.ts";
import { alternativeKeys } from "../../../server/analyzer/env_prose.ts";
import { readmeBlocks } from "../../../server/analyzer/readme_blocks.ts";
import { requiredFrom } from "../../../server/analyzer/env_hints.ts";

/** Base64 of a text (ASCII here). */
const encodeBase64 = (text: string) => btoa(text);

const cursorLink = (config: unknown) =>
  `https://cursor.com/en/install-mcp?name=weather&config=${
    encodeURIComponent(encodeBase64(JSON.stringify(config)))
  }`;

Deno.test("kinds/registry - install links decode to their client's entry (base64, URL-encoded, one-string command)", () => {
  const cursor = installLinks(
    `[![Add to Cursor](https://cursor.com/deeplink/mcp-install-dark.svg)](${
      cursorLink({ command: "npx -y weather-mcp@latest", env: { WEATHER_KEY: "your-key" } })
    })`,
  );
  assert.deepEqual(cursor, [{
    client: "Cursor",
    name: "weather",
    config: {
      command: "npx",
      args: ["-y", "weather-mcp@latest"],
      env: { WEATHER_KEY: "your-key" },
    },
  }]);
  const vscode = installLinks(
    `[Install in VS Code](https://insiders.vscode.dev/redirect/mcp/install?name=weather&config=${
      encodeURIComponent(JSON.stringify({ command: "uvx", args: ["weather-mcp"] }))
    })`,
  );
  assert.deepEqual(vscode[0].config, { command: "uvx", args: ["weather-mcp"] });
  assert.equal(vscode[0].client, "VS Code");
  const inline = installLinks(
    `<a href="vscode:mcp/install?${
      encodeURIComponent(JSON.stringify({ name: "hf", gallery: true, url: "https://hf.co/mcp" }))
    }">here</a>`,
  );
  assert.deepEqual(inline, [{
    client: "VS Code",
    name: "hf",
    config: { url: "https://hf.co/mcp" },
  }]);
  // A template, not a payload.
  assert.deepEqual(
    installLinks("vscode:mcp/install?${encodeURIComponent(JSON.stringify(obj))}"),
    [],
  );
});

Deno.test("kinds/registry - an install link that is the README's only config plans its launch and key", () => {
  const readme = [
    "# weather-mcp",
    "## Installation",
    `Follow the instructions on [install-mcp](https://adamjones.me/install-mcp/?config=${
      encodeBase64(JSON.stringify({
        command: "npx",
        args: ["-y", "weather-mcp"],
        name: "weather",
        env: { WEATHER_API_KEY: "wk123.abc123" },
      }))
    }), which generates the config for your client.`,
    "",
    "You'll need a Weather token. Set it as `WEATHER_API_KEY` (replacing the placeholder).",
    "## HTTP transport",
    sh("MCP_TRANSPORT=http PORT=3000 npx weather-mcp"),
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual([ev.plan?.command, ev.plan?.args], ["npx", ["-y", "weather-mcp"]]);
  // The sample token is the author's, and the HTTP line is another mode: the key is required.
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/registry - `MCP_TRANSPORT=http` before a launch makes it an HTTP launch", () => {
  const l = interpretLaunch("npx", ["weather-mcp"], { env: { MCP_TRANSPORT: "http" } });
  assert.equal(l?.transport, "http");
  const s = interpretLaunch("npx", ["weather-mcp"], { env: { MCP_TRANSPORT: "stdio" } });
  assert.equal(s?.transport, "stdio");
});

Deno.test('kinds/registry - "Set `KEY` as an environment variable" after the launch makes it required', () => {
  const readme = [
    "# Weather MCP",
    "**Local:**",
    sh("npx @acme/weather-mcp"),
    "Add `--full` for the full mode. Set `WEATHER_API_KEY` as an environment variable.",
    "Set `WEATHER_LOG` to `debug` in the environment variables for more logs.",
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/registry - a package's CLI sub-commands cast no vote on its server's env", () => {
  const readme = [
    "# Weather MCP",
    "## Try it",
    sh("npx -y @acme/weather-mcp get --path /v1/forecast"),
    sh("npx -y @acme/weather-mcp get --path /v1/alerts"),
    sh("npx -y @acme/weather-mcp list --kind stations"),
    "## Claude Desktop",
    json({
      mcpServers: {
        weather: {
          command: "npx",
          args: ["-y", "@acme/weather-mcp"],
          env: { WEATHER_SITE: "your-company", WEATHER_API_TOKEN: "your_api_token" },
        },
      },
    }),
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual(ev.plan?.args, ["-y", "@acme/weather-mcp"]);
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_TOKEN", "WEATHER_SITE"]);
});

Deno.test('kinds/registry - a "multiple workspaces" section\'s extra keys are not required', () => {
  const entry = (token: string, prefix?: string) => ({
    command: "npx",
    args: ["weather-mcp"],
    env: { WEATHER_TOKEN: token, ...(prefix ? { TOOL_PREFIX: prefix } : {}) },
  });
  const readme = [
    "# Weather MCP",
    "## Claude Desktop",
    json({ mcpServers: { weather: entry("your_token_here") } }),
    "## Using Multiple Weather Workspaces",
    json({ mcpServers: { a: entry("your_a_token", "a"), b: entry("your_b_token", "b") } }),
    json({ mcpServers: { c: entry("your_c_token", "c") } }),
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_TOKEN"]);
});

Deno.test("kinds/registry - an HTTP launch is read as its stdio twin when the README documents `--transport stdio`", () => {
  const readme = [
    "# weather-mcp",
    "## Installation",
    sh('npx weather-mcp@latest --transport http --port 8080 --region "eu"'),
    "## Development",
    sh("pnpm build && pnpm start --transport stdio"),
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual(
    [ev.plan?.transport, ev.plan?.args],
    ["stdio", ["weather-mcp@latest", "--transport", "stdio", "--region", "eu"]],
  );
  // Without a documented stdio value the launch stays HTTP.
  const http = gather(readme.replace("--transport stdio", ""));
  assert.notEqual(http.plan?.transport, "stdio");
});

Deno.test("kinds/registry - a connection string with a sample user:password is an example value", () => {
  assert.ok(isExampleValue("postgres://user:password@localhost:5432/dbname?sslmode=disable"));
  assert.ok(isExampleValue("--dsn=mysql://username:pass@db:3306/app"));
  assert.ok(!isExampleValue("postgres://localhost:5432/postgres"));
});

Deno.test("kinds/registry - other languages' placeholder words count only as whole words", () => {
  assert.ok(!isPlaceholder("awslabs.aws-pricing-mcp-server@latest")); // "ici" in "pricing"
  assert.ok(!isPlaceholder("aquifer-data"));
  assert.ok(isPlaceholder("pon_tu_clave_aqui"));
  assert.ok(isPlaceholder("cle_ici"));
});

Deno.test("kinds/registry - flags documented as required become required fields when the launch lacks them", () => {
  const readme = [
    "#### Command Line Arguments",
    "- `--project-id`: (Required) Your Google Cloud project ID",
    "- `--location`: (Optional) BigQuery location, defaults to 'US'",
    "- `--api-key <key>`: Required. Your API key",
    "",
    "| Flag | Description | Required |",
    "|---|---|---|",
    "| `--dataset` | Default dataset | Yes |",
    "| `--timeout` | Query timeout | No |",
  ].join("\n");
  const fields = documentedFlagFields(readme, ["-y", "bq-mcp", "--dataset", "sales"], [], [
    "BQ_API_KEY",
  ]);
  assert.deepEqual(fields.map((f) => [f.flag, f.required]), [["--project-id", true]]);
});

Deno.test('kinds/registry - a comma forgotten before the next `"key":` is put back', () => {
  const text = [
    '{ "mcpServers": { "weather": { "command": "npx", "args": ["weather-mcp"], "env": {',
    '  "WEATHER_TOKEN": "<your token>",',
    '  "WEATHER_ZONE": "<optional zone>"',
    '  "WEATHER_RATE": "<optional rate>"',
    "} } } }",
  ].join("\n");
  const v = parseJsonish(text) as { mcpServers: { weather: { env: Record<string, string> } } };
  assert.deepEqual(Object.keys(v.mcpServers.weather.env), [
    "WEATHER_TOKEN",
    "WEATHER_ZONE",
    "WEATHER_RATE",
  ]);
});

Deno.test("kinds/registry - blocks with disjoint env are sign-in modes: the planned block's keys are required", () => {
  const entry = (env: Record<string, string>) => ({
    mcpServers: { weather: { command: "npx", args: ["-y", "weather-mcp"], env } },
  });
  const readme = [
    "# Weather MCP",
    "#### 1. Custom connections",
    "Recommended for Claude Desktop:",
    json(entry({ WEATHER_CLIENT_ID: "your_client_id_here", WEATHER_SECRET: "your_secret_here" })),
    "#### 2. Bearer token",
    json(entry({ WEATHER_BEARER_TOKEN: "your_bearer_token" })),
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_CLIENT_ID", "WEATHER_SECRET"]);
  assert.ok(ev.plan?.env.some((e) => e.key === "WEATHER_BEARER_TOKEN" && !e.required));
});

Deno.test('kinds/registry - a bold "Required …:" / "Optional …:" label says it for the list under it', () => {
  const docs = documentedEnv(
    [
      "## Environment",
      "**Required Configuration:**",
      "",
      "- `WEATHER_CLIENT_ID`: Your client ID",
      "- `WEATHER_REGION_URL`: Your API region URL",
      "",
      "**Optional Configuration:**",
      "",
      "- `WEATHER_MODULES`: Modules to enable",
    ].join("\n"),
    [],
  );
  const by = Object.fromEntries(docs.map((d) => [d.key, d.required]));
  assert.deepEqual(by, {
    WEATHER_CLIENT_ID: true,
    WEATHER_REGION_URL: true,
    WEATHER_MODULES: false,
  });
});

Deno.test('kinds/registry - "Set up the following environment variables" above a table makes its rows required', () => {
  const docs = documentedEnv(
    [
      "## Usage",
      "Set up the following environment variables in your shell or in an .env file. You can use",
      "the sample file as a template:",
      "",
      "| Key | Description |",
      "|---|---|",
      "| **WEATHER_APP_ID** | UUID of your application |",
      "| **WEATHER_TENANT_ID** | Tenant uuid in case of SingleTenant |",
    ].join("\n"),
    [],
  );
  const by = Object.fromEntries(docs.map((d) => [d.key, d.required]));
  assert.deepEqual(by, { WEATHER_APP_ID: true, WEATHER_TENANT_ID: false });
});

Deno.test("kinds/registry - a block running the repository's Go binary from go/bin keeps the README's path", () => {
  const readme = [
    "# weather-mcp",
    "## Installation",
    sh("go install github.com/alice/weather-mcp@latest"),
    json({ mcpServers: { weather: { command: "/Users/alice/go/bin/weather-mcp" } } }),
    "## Usage",
    sh("weather-mcp"),
  ].join("\n");
  const ev = gather(readme, { "go.mod": "module github.com/alice/weather-mcp\n\ngo 1.22\n" });
  assert.deepEqual([ev.plan?.runtime, ev.plan?.command], [
    "source",
    "/Users/alice/go/bin/weather-mcp",
  ]);
});

Deno.test("kinds/registry - a scoped build of mcp-remote bridges to its URL like mcp-remote", () => {
  const l = interpretLaunch("npx", ["-y", "@wix/mcp-remote", "https://mcp.wix.com/sse"]);
  assert.deepEqual([l?.runtime, l?.url, l?.transport], [
    "remote",
    "https://mcp.wix.com/sse",
    "sse",
  ]);
});

Deno.test("kinds/registry - a package's name in a sentence is no launch; Claude Code's line yields to the client block", () => {
  const readme = [
    "# Weather MCP",
    "`weather-mcp` lets your coding agent (such as Claude or Cursor) read forecasts.",
    "## Getting started",
    json({ mcpServers: { weather: { command: "npx", args: ["-y", "weather-mcp@latest"] } } }),
    "### Claude Code",
    "Use the Claude Code CLI to add the server:",
    sh("claude mcp add weather npx weather-mcp@latest"),
  ].join("\n");
  const ev = gather(readme, {
    "package.json": JSON.stringify({ name: "weather-mcp", bin: "x.js" }),
  });
  assert.deepEqual(ev.plan?.args, ["-y", "weather-mcp@latest"]);
});

Deno.test('kinds/registry - "If only `A` is provided …" sentences make each set of keys optional', () => {
  const keys = alternativeKeys([
    "- If only `WEATHER_USERNAME` and `WEATHER_PASSWORD` are provided, the server exposes the scraper tools;",
    "- If only `WEATHER_STUDIO_KEY` is provided, the server exposes the studio tools;",
  ].join("\n"));
  assert.deepEqual([...keys].sort(), [
    "WEATHER_PASSWORD",
    "WEATHER_STUDIO_KEY",
    "WEATHER_USERNAME",
  ]);
});

Deno.test("kinds/registry - the README's \"Required\" outweighs server.json's isRequired: false", () => {
  const readme = [
    "# weather-mcp",
    "| Variable | Description | Required |",
    "|---|---|---|",
    "| `WEATHER_URL` | Connection string | **Required** |",
    "| `WEATHER_TLS` | TLS mode | No |",
    "## Claude Desktop",
    json({ mcpServers: { weather: { command: "uvx", args: ["weather-mcp"] } } }),
  ].join("\n");
  const serverJson = JSON.stringify({
    name: "io.github.alice/weather-mcp",
    packages: [{
      registryType: "pypi",
      identifier: "weather-mcp",
      transport: { type: "stdio" },
      environmentVariables: [
        { name: "WEATHER_URL", isRequired: false },
        { name: "WEATHER_TLS", isRequired: false },
      ],
    }],
  });
  const ev = gather(readme, { "server.json": serverJson });
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_URL"]);
});

Deno.test("kinds/registry - numbered list items document variables too", () => {
  const docs = documentedEnv(
    [
      "## Configuration Parameters",
      "1. `WEATHER_API_KEY` - The user's API token.",
      "2. `WEATHER_HOST_URL` (optional) - The host URL. Defaults to https://api.weather.example/",
      "3. Clone the repository.",
    ].join("\n"),
    [],
  );
  assert.deepEqual(docs.map((d) => [d.key, d.required]), [
    ["WEATHER_API_KEY", null],
    ["WEATHER_HOST_URL", false],
  ]);
});

Deno.test("kinds/registry - a hosted entry's apiKey field and YOUR_KEY header placeholders name its credential", () => {
  const readme = [
    "# Weather MCP",
    "We recommend the hosted server.",
    "## Claude Desktop",
    json({
      mcpServers: {
        weather: { url: "https://mcp.weather.example/mcp", apiKey: "YOUR_WEATHER_API_KEY" },
      },
    }),
    "## VS Code",
    json({
      "mcp.servers": {
        weather: {
          url: "https://mcp.weather.example/mcp",
          headers: { Authorization: "Bearer YOUR_WEATHER_API_KEY" },
        },
      },
    }),
  ].join("\n");
  const ev = gather(readme);
  assert.equal(ev.plan?.runtime, "remote");
  assert.deepEqual(ev.plan?.headers, { Authorization: "Bearer ${WEATHER_API_KEY}" });
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/registry - a one-line ```…``` block does not swallow the config block after it", () => {
  const readme = [
    "# weather-mcp",
    "### Claude Desktop Configuration",
    "```code ~/Library/Application\\ Support/Claude/claude_desktop_config.json```",
    "Add the configuration:",
    json({
      mcpServers: {
        weather: {
          command: "uv",
          args: ["--directory", "/path/to/weather-mcp", "run", "server.py"],
        },
      },
    }),
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual(ev.plan?.args, ["--directory", "/path/to/weather-mcp", "run", "server.py"]);
  const blocks = readmeBlocks("```npx -y weather-mcp```\n");
  assert.deepEqual([blocks[0].lang, blocks[0].text], ["", "npx -y weather-mcp"]);
});

Deno.test("kinds/registry - a hosted endpoint only server.json names yields to the README's client block", () => {
  const readme = [
    "# Weather MCP",
    "## Usage with Claude Desktop",
    json({ mcpServers: { weather: { command: "npx", args: ["-y", "@acme/weather-mcp"] } } }),
  ].join("\n");
  const serverJson = JSON.stringify({
    name: "io.github.acme/weather-mcp",
    remotes: [{ type: "streamable-http", url: "https://api.weather.example/v3/mcp" }],
  });
  const ev = gather(readme, { "server.json": serverJson });
  assert.deepEqual([ev.plan?.runtime, ev.plan?.args], ["npx", ["-y", "@acme/weather-mcp"]]);
});

Deno.test("kinds/registry - a list's indented values are no variables; a feature's 'set the following' is not the server's", () => {
  const docs = documentedEnv(
    [
      "## Usage",
      "**Configuration Options:**",
      "- `WEATHER_SAFE_MODE`: filtering level (optional)",
      "  - `STRICT`: maximum filtering",
      "  - `OFF`: no filtering",
      "",
      "### Storage Configuration",
      "To use the storage functionality, you'll need to set the following environment variables:",
      "",
      "- **`WEATHER_BUCKET`**: S3 URI of the bucket",
    ].join("\n"),
    [],
  );
  assert.deepEqual(docs.map((d) => [d.key, d.required]), [
    ["WEATHER_SAFE_MODE", false],
    ["WEATHER_BUCKET", null],
  ]);
});

Deno.test("kinds/registry - VS Code's ${input:…} header names its key; an install link yields to a written block", () => {
  const link = `https://cursor.com/en/install-mcp?name=weather&config=${
    encodeURIComponent(btoa(JSON.stringify({
      url: "https://mcp.weather.example/minimal",
      headers: { Authorization: "Bearer YOUR_API_KEY" },
    })))
  }`;
  const readme = [
    "# Weather MCP",
    "### Cursor integration",
    `[![Install](https://cursor.com/deeplink/mcp-install-dark.svg)](${link})`,
    "### VS Code integration",
    json({
      servers: {
        weather: {
          type: "http",
          url: "https://mcp.weather.example/minimal",
          headers: { Authorization: "Bearer ${input:weather-api-key}" },
        },
      },
    }),
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual(ev.plan?.headers, { Authorization: "Bearer ${WEATHER_API_KEY}" });
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/registry - 'we recommend the HTTP protocol' picks the hosted endpoint; a fallback section yields", () => {
  const hosted = json({ mcpServers: { weather: { url: "https://mcp.weather.example/mcp" } } });
  const local = json({
    mcpServers: { weather: { command: "npx", args: ["-y", "@acme/weather-mcp"] } },
  });
  const recommended = gather([
    "# Weather MCP",
    "## Getting Started",
    "Weather supports both STDIO and streamable HTTP. For a hassle-free setup, we recommend using the HTTP protocol.",
    "### HTTP Server",
    hosted,
    "### STDIO Server",
    local,
  ].join("\n"));
  assert.equal(recommended.plan?.runtime, "remote");
  const fallback = gather(
    [
      "# Weather MCP",
      "## Connect",
      hosted,
      "## Stdio support (fallback)",
      "If you are unable to use the remote MCP server, run it locally:",
      local,
    ].join("\n"),
  );
  assert.equal(fallback.plan?.runtime, "remote");
});

Deno.test("kinds/registry - placeholders left unquoted in a JSON fragment are read as strings", () => {
  const v = parseJsonish([
    '"weather": {',
    '  "command": "uv",',
    '  "args": ["--directory", "/path/to/weather", "run", "weather-mcp"],',
    '  "env": { "WEATHER_ID": YOUR_CLIENT_ID, "WEATHER_DEBUG": true, "WEATHER_PORT": 8080 }',
    "}",
  ].join("\n")) as { weather: { env: Record<string, unknown> } };
  assert.deepEqual(v.weather.env, {
    WEATHER_ID: "YOUR_CLIENT_ID",
    WEATHER_DEBUG: true,
    WEATHER_PORT: 8080,
  });
});

Deno.test("kinds/registry - `# comments` after JSON values are dropped", () => {
  const v = parseJsonish([
    "{",
    '  "args": [',
    '    "--directory",',
    '    "/Users/me/Workspace/weather", # the absolute path of the project',
    '    "run"',
    "  ]",
    "}",
  ].join("\n")) as { args: string[] };
  assert.deepEqual(v.args, ["--directory", "/Users/me/Workspace/weather", "run"]);
});

Deno.test("kinds/registry - a package.json name the README never uses yields to its build's launch", () => {
  const readme = [
    "# Markdownify",
    "## Usage with Desktop App",
    json({
      mcpServers: { md: { command: "node", args: ["{ABSOLUTE PATH TO FILE HERE}/dist/index.js"] } },
    }),
  ].join("\n");
  const ev = gather(readme, {
    "package.json": JSON.stringify({
      name: "mcp-markdownify-server",
      bin: { md: "dist/index.js" },
    }),
  });
  assert.deepEqual([ev.plan?.runtime, ev.plan?.command], ["source", "node"]);
});

Deno.test("kinds/registry - `pip install uv` installs the toolchain, not the server's package", () => {
  const readme = [
    "# weather-mcp",
    "## Setup",
    sh("pip install uv", "uv sync"),
    "## Claude Desktop",
    json({
      mcpServers: {
        weather: {
          command: "uv",
          args: ["--directory", "path/to/weather-mcp/", "run", "server.py"],
        },
      },
    }),
  ].join("\n");
  const ev = gather(readme);
  assert.deepEqual([ev.plan?.runtime, ev.plan?.command, ev.plan?.args], [
    "source",
    "uv",
    ["--directory", "path/to/weather-mcp/", "run", "server.py"],
  ]);
});

Deno.test("kinds/registry - `./build/BIN` of the checkout's Go binary is the launch, as the README writes it", () => {
  const readme = [
    "# weather-mcp",
    "## Usage",
    "Build the server:",
    sh("make build"),
    "To run the server:",
    sh("./build/weather-mcp"),
  ].join("\n");
  const ev = gather(readme, { "go.mod": "module github.com/alice/weather-mcp\n\ngo 1.22\n" });
  assert.deepEqual([ev.plan?.runtime, ev.plan?.command], ["source", "./build/weather-mcp"]);
});

Deno.test("kinds/registry - a key 'required for OpenAI models' is one provider's, not the server's", () => {
  assert.equal(requiredFrom("Your OpenAI API key (required for OpenAI models in API mode)"), false);
  assert.equal(requiredFrom("Your Weather API key (required)"), true);
});

Deno.test("kinds/registry - '`KEY=<token>` must exist' documents a required key; the next list item is no part of it", () => {
  const docs = documentedEnv(
    [
      "## Other MCP Clients",
      "- The environment variable `WEATHER_TOKEN=<your-token>` must exist when running the server",
      "- (Optional) Set `WEATHER_ZONE=<zone-name>` to pick a zone",
      "- Set `WEATHER_AUTH=<token>` as a fallback environment variable",
    ].join("\n"),
    [],
  );
  assert.deepEqual(docs.map((d) => [d.key, d.required]), [["WEATHER_TOKEN", true]]);
});

Deno.test("kinds/registry - a config arg written as '--flag value' is the flag and its value", () => {
  const readme = json({
    mcpServers: {
      fs: {
        command: "npx",
        args: ["-y", "@acme/fs-mcp", "--allowed-directories /tmp", "--name 'My FS'"],
      },
    },
  });
  const ev = gather(`# fs\n## Claude Desktop\n${readme}`);
  assert.deepEqual(ev.plan?.args, [
    "-y",
    "@acme/fs-mcp",
    "--allowed-directories",
    "/tmp",
    "--name 'My FS'",
  ]);
});
