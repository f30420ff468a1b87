/**
 * @module Analyzer error kinds found on fresh repositories and registry packages (issue #13,
 * session 8), one test per kind on a small synthetic README.
 */
import assert from "node:assert/strict";
import { gather, json, required } from "./readme_kit.ts";
import { looksSecret } from "../../../server/analyzer/env_names.ts";
import { requiredFrom } from "../../../server/analyzer/env_hints.ts";
import { documentedEnv } from "../../../server/analyzer/env_vars.ts";
import { interpretLaunch } from "../../../server/analyzer/launch.ts";
import { transportFromArgs } from "../../../server/analyzer/launch_transport.ts";

/** Each key a README fragment documents, with what it says of need. */
const docsRequired = (lines: string[]) =>
  documentedEnv(lines.join("\n"), []).map((d) => [d.key, d.required]);

Deno.test("kinds/session8 - numbered fallback keys (KEY2, KEY_3) beside the key are never required", () => {
  const ev = gather([
    "# weather-mcp",
    json({
      mcpServers: {
        weather: {
          command: "npx",
          args: ["-y", "weather-mcp"],
          env: {
            WEATHER_API_KEY: "your_primary_key",
            WEATHER_API_KEY2: "your_secondary_key",
            WEATHER_API_KEY_3: "your_third_key",
          },
        },
      },
    }),
    "## Configuration",
    "Set the following environment variables:",
    "* `WEATHER_API_KEY`: Primary API key",
    "* `WEATHER_API_KEY2`: Secondary fallback API key",
    "* `WEATHER_API_KEY_3`: Third fallback API key",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY"]);
  assert.deepEqual(ev.plan?.env.map((e) => e.key).sort(), [
    "WEATHER_API_KEY",
    "WEATHER_API_KEY2",
    "WEATHER_API_KEY_3",
  ]);
});

Deno.test("kinds/session8 - secret names: the secret itself, not its settings, switches or counts", () => {
  const secret = [
    "GITLAB_PERSONAL_ACCESS_TOKEN",
    "SNOWFLAKE_PAT",
    "REDIS_PWD",
    "SHORTCUT_API_TKN",
    "ONEDRIVE_CLIENT_CRED",
    "AWS_ACCESS_KEY_ID",
    "AZURE_CONNECTION_STRING",
    "DATABASE_URL",
    "API_KEYS",
    "VECTARA_AUTHORIZED_TOKENS",
    "motherduck_token",
    "TELEGRAM_API_HASH",
    "BASIC_AUTH",
  ];
  const plain = [
    "GITLAB_OAUTH_REDIRECT_URI",
    "GITLAB_MCP_OAUTH",
    "GITLAB_OAUTH_SCOPES",
    "REQUIRE_REQUEST_TOKEN",
    "CLICKHOUSE_MCP_AUTH_DISABLED",
    "OAUTH_REGISTER_RATE_LIMIT_PER_HOUR",
    "JOB_LOG_TOKEN_THRESHOLD",
    "KYUTAI_TTS_MAX_TOKENS",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "OAUTH_JWT_PUBLIC_KEY",
    "AUTH_BASIC_USERNAME",
    "NO_PROXY_BYPASS",
    "STREAMABLE_HTTP_REQUIRE_AUTH",
    "JIRA_PROJECT_KEY",
    "BUSINESS_UNIT_KEY",
  ];
  assert.deepEqual(secret.filter((k) => !looksSecret(k)), []);
  assert.deepEqual(plain.filter((k) => looksSecret(k)), []);
});

Deno.test("kinds/session8 - 'required' only with another setting's value is conditional", () => {
  assert.equal(
    requiredFrom(
      "Required (=true) to start with REQUIRE_REQUEST_TOKEN=false on a non-loopback address",
    ),
    false,
  );
  assert.equal(requiredFrom("Required when MODE=http is set"), false);
  assert.equal(requiredFrom("Required. Your API key"), true);
});

Deno.test("kinds/session8 - a Default cell of '(empty)' or 'unset' gives no default", () => {
  const ev = gather([
    "# weather-mcp",
    "```sh",
    "uvx weather-mcp",
    "```",
    "## Environment variables",
    "| Variable | Default | Meaning |",
    "|---|---|---|",
    "| `WEATHER_TOKEN` | *(empty)* | **Required.** Your token. |",
    "| `WEATHER_REGION` | *(unset)* | Region to ask for. |",
    "| `WEATHER_UNITS` | `metric` | Units. |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_TOKEN"]);
  assert.equal(ev.plan?.env.find((e) => e.key === "WEATHER_REGION")?.default, undefined);
});

Deno.test("kinds/session8 - every setting of a .env the README has the user create is offered", () => {
  const ev = gather([
    "# weather-mcp",
    "### 1. Configuration `.env`",
    "Créez un fichier `.env` à la racine du projet :",
    "```env",
    "WEATHER_API_TOKEN=votre_jeton",
    "WEATHER_DOC_ID=id_du_document",
    "WEATHER_PERMISSIONS=READ_AND_CREATE # Options: READ_ONLY, READ_AND_CREATE, ALL_CRUD",
    "```",
    json({ "weather": { command: "npx", args: ["-y", "weather-mcp"] } }),
  ].join("\n"));
  assert.deepEqual(ev.plan?.env.map((e) => e.key).sort(), [
    "WEATHER_API_TOKEN",
    "WEATHER_DOC_ID",
    "WEATHER_PERMISSIONS",
  ]);
});

Deno.test("kinds/session8 - a setting's values listed as items are not settings", () => {
  const ev = gather([
    "# weather-mcp",
    "```env",
    "WEATHER_API_TOKEN=votre_jeton",
    "WEATHER_PERMISSIONS=READ_AND_CREATE # Options: READ_ONLY, READ_AND_CREATE, ALL_CRUD",
    "```",
    "### Permissions",
    "Le serveur respecte les permissions définies via `WEATHER_PERMISSIONS` :",
    "- `READ_ONLY` (Par défaut) : lecture seule.",
    "- `READ_AND_CREATE` : lecture et création.",
    "- `ALL_CRUD` : toutes les opérations.",
    json({ "weather": { command: "npx", args: ["-y", "weather-mcp"] } }),
  ].join("\n"));
  assert.deepEqual(ev.plan?.env.map((e) => e.key).sort(), [
    "WEATHER_API_TOKEN",
    "WEATHER_PERMISSIONS",
  ]);
});

Deno.test("kinds/session8 - 'By default, this will start an HTTP server': the stdio plan adds --transport stdio", () => {
  const readme = (intro: string) =>
    [
      "# weather-mcp",
      "```bash\nuvx weather-mcp\n```",
      intro,
      "Use `--transport stdio` for desktop clients.",
      json({ mcpServers: { weather: { command: "uvx", args: ["weather-mcp"] } } }),
    ].join("\n");
  const http = gather(readme("By default, this will:\n- Start an HTTP server on `localhost:8000`"));
  assert.deepEqual(http.plan?.args, ["weather-mcp", "--transport", "stdio"]);
  const stdio = gather(
    readme("By default the server runs over stdio; use --transport http to start an HTTP server."),
  );
  assert.deepEqual(stdio.plan?.args, ["weather-mcp"]);
});

Deno.test("kinds/session8 - 'Set the following environment variables:' over exports: required, unless their comments say optional", () => {
  const ev = gather([
    "# weather-mcp",
    "```bash\npip install weather-mcp\n```",
    "## Configuration",
    "Set the following environment variables:",
    "```bash",
    'export WEATHER_CLIENT_EMAIL="your-service-account@project.iam.gserviceaccount.com"',
    'export WEATHER_PRIVATE_KEY="your-private-key"',
    "# Optional: the region to use (defaults to US)",
    "# Possible values: US, EU",
    "export WEATHER_REGION=us",
    "```",
    "### Finding your values",
    "1. **WEATHER_CLIENT_EMAIL**: Found in your service account JSON file",
    "2. **WEATHER_PRIVATE_KEY**: Found in your service account JSON file",
    "## Usage",
    "```bash\nweather-mcp\n```",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_CLIENT_EMAIL", "WEATHER_PRIVATE_KEY"]);
});

Deno.test("kinds/session8 - a flags table's rows naming their variables (`*env* X`) are optional settings", () => {
  assert.deepEqual(
    docsRequired([
      "### Configuration",
      "| Option | Description |",
      "|--------|-------------|",
      "| --browser <browser> | browser to use.<br>*env* `WEATHER_MCP_BROWSER` |",
      "| --cdp-endpoint <endpoint> | CDP endpoint to connect to.<br>*env* `WEATHER_MCP_CDP_ENDPOINT` |",
      "| --token <t> | the API token (required).<br>*env* `WEATHER_MCP_TOKEN` |",
    ]),
    [
      ["WEATHER_MCP_BROWSER", false],
      ["WEATHER_MCP_CDP_ENDPOINT", false],
      ["WEATHER_MCP_TOKEN", true],
    ],
  );
});

Deno.test("kinds/session8 - 'required for creating …' is one action's; a 'Var' column names the keys", () => {
  assert.equal(requiredFrom("API key for Voyage AI (required for creating search indexes)"), false);
  assert.equal(requiredFrom("Required: the base URL of the server"), true);
  assert.deepEqual(
    docsRequired([
      "## Configuration",
      "| Var | Required | Default | Purpose |",
      "|---|---|---|---|",
      "| `WEATHER_URL` | yes | — | base URL of the endpoint |",
      "| `WEATHER_AUTH_TYPE` | no | `none` | `none` or `bearer` |",
    ]),
    [
      ["WEATHER_URL", true],
      ["WEATHER_AUTH_TYPE", false],
    ],
  );
});

Deno.test("kinds/session8 - 'Provide them as environment variables:' with a counting sample (123456): required", () => {
  const ev = gather([
    "# weather-mcp",
    "## Configuration",
    "Provide them as environment variables:",
    "```bash",
    "export WEATHER_CONTRACT_CODE=123456",
    "export WEATHER_API_TOKEN=your-api-token",
    "# optional: validate writes without persisting them",
    "export WEATHER_TESTMODE=1",
    "```",
    json({
      mcpServers: {
        weather: {
          command: "uvx",
          args: ["weather-mcp"],
          env: { WEATHER_CONTRACT_CODE: "123456", WEATHER_API_TOKEN: "your-api-token" },
        },
      },
    }),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_TOKEN", "WEATHER_CONTRACT_CODE"]);
});

Deno.test("kinds/session8 - a VS Code prompt value (`--db-path ${input:db_path}`) is a field, never a literal", () => {
  const ev = gather([
    "# weather-mcp",
    json({
      servers: {
        weather: { command: "uvx", args: ["weather-mcp", "--db-path", "${input:db_path}"] },
      },
    }),
  ].join("\n"));
  assert.deepEqual(ev.plan?.args, ["weather-mcp"]);
  assert.deepEqual(ev.plan?.arg_fields?.map((f) => [f.flag, f.required]), [["--db-path", true]]);
});

Deno.test("kinds/session8 - `npx --prefix /path/to/checkout BIN` runs the checkout: a source launch", () => {
  const l = interpretLaunch("npx", ["-y", "--prefix", "/path/to/weather-mcp", "weather-mcp"]);
  assert.equal(l?.runtime, "source");
  assert.deepEqual(l?.args, ["-y", "--prefix", "/path/to/weather-mcp", "weather-mcp"]);
  assert.equal(interpretLaunch("npx", ["-y", "weather-mcp"])?.runtime, "npx");
});

Deno.test("kinds/session8 - '- (required) `KEY`' list items: the marker before the name says it", () => {
  assert.deepEqual(
    docsRequired([
      "### API credentials",
      "You will need the following credentials:",
      "- Weather API credentials:",
      "  - (required) `WEATHER_PROJECT_ID`: the project to use",
      "  - (required) `WEATHER_KEY_SECRET`",
      "  - (optional) `WEATHER_REGION`: us or eu",
    ]),
    [
      ["WEATHER_PROJECT_ID", true],
      ["WEATHER_KEY_SECRET", true],
      ["WEATHER_REGION", false],
    ],
  );
});

Deno.test("kinds/session8 - 'Required when …' and a 'Conditional' Required cell are conditions, not needs", () => {
  assert.equal(requiredFrom("Required when `--host` is not loopback; use a separate token"), false);
  assert.equal(requiredFrom("Public base URL, required when Google OAuth is enabled"), false);
  assert.deepEqual(
    docsRequired([
      "## Configuration",
      "| Variable | Required | Default | Description |",
      "|---|---|---|---|",
      "| `WEATHER_API_KEY` | Yes | — | your key |",
      "| `WEATHER_BASE_URL` | Conditional | — | public URL |",
    ]),
    [
      ["WEATHER_API_KEY", true],
      ["WEATHER_BASE_URL", false],
    ],
  );
});

Deno.test("kinds/session8 - `git+REPO_URL` is this repository; `--http --port N` is an HTTP launch", () => {
  const ev = gather(
    [
      "# weather-mcp",
      "## Quickstart",
      "```bash",
      "weather-mcp --http --port 8901",
      "```",
      "Add it to Claude Desktop:",
      "```json",
      '{"mcpServers": {"weather": {',
      '  "command": "uvx", "args": ["--from", "git+REPO_URL", "weather-mcp"]}}}',
      "```",
    ].join("\n"),
    {
      "pyproject.toml":
        '[project]\nname = "weather-mcp"\n[project.scripts]\nweather-mcp = "w:main"\n',
    },
  );
  assert.ok(
    ev.candidates.some((c) => c.args.includes("git+https://github.com/alice/weather-mcp")),
    JSON.stringify(ev.candidates.map((c) => c.args)),
  );
  assert.equal(transportFromArgs(["weather-mcp", "--http", "--port", "8901"]), "http");
});

Deno.test("kinds/session8 - an 'HTTP transport' section's required table is that mode's, not the stdio launch's", () => {
  const ev = gather([
    "# weather-mcp",
    "## Quick start — stdio (Claude Desktop)",
    json({
      mcpServers: {
        weather: {
          command: "npx",
          args: ["-y", "weather-mcp"],
          env: { WEATHER_EMAIL: "you@example.com", WEATHER_PASSWORD: "your-password" },
        },
      },
    }),
    "## Quick start — HTTP transport",
    "### Step 3 — Configure and start the server",
    "| Variable | Required | Description |",
    "|---|---|---|",
    "| `MCP_PUBLIC_URL` | yes | Canonical URL of this server |",
    "| `MCP_OIDC_CLIENT_ID` | yes | Client ID from upstream IdP |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_EMAIL", "WEATHER_PASSWORD"]);
});

Deno.test("kinds/session8 - a Required cell '✅ (for custom OAuth)' is one mode's, 'One of' an alternative", () => {
  assert.deepEqual(
    docsRequired([
      "### Environment Variables",
      "| Variable | Description | Default | Required |",
      "|---|---|---|---|",
      "| `WP_API_URL` | Your site | - | ✅ |",
      "| `OAUTH_TOKEN_ENDPOINT` | OAuth token endpoint | - | ✅ (for custom OAuth) |",
      "| `WP_API_KEY` | API key | - | One of |",
    ]),
    [
      ["WP_API_URL", true],
      ["OAUTH_TOKEN_ENDPOINT", false],
      ["WP_API_KEY", false],
    ],
  );
});

Deno.test("kinds/session8 - 'Required for `jwt` auth' is one mode's; an 'Evaluations' section is the developers'", () => {
  assert.equal(requiredFrom("Required for `jwt` auth. 32+ character secret key."), false);
  assert.equal(requiredFrom("Required for oauth authentication. OIDC provider URL."), false);
  const ev = gather([
    "# weather-mcp",
    json({ mcpServers: { weather: { command: "npx", args: ["-y", "weather-mcp"] } } }),
    "## Evaluations",
    "### Running the evaluation",
    "```bash",
    "export ANTHROPIC_API_KEY=your_api_key_here",
    "```",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
});

Deno.test("kinds/session8 - the server's own HTTP listener's token is no stdio launch's need", () => {
  const ev = gather([
    "# weather-mcp",
    json({
      mcpServers: {
        weather: {
          command: "npx",
          args: ["-y", "weather-mcp"],
          env: { WEATHER_API_KEY: "your-key", WEATHER_MCP_HTTP_AUTH_TOKEN: "your-token" },
        },
      },
    }),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WEATHER_API_KEY"]);
});

Deno.test("kinds/session8 - `npx tsx /path/to/src/index.ts` runs the checkout; 'Required for write operations' is one feature's", () => {
  const l = interpretLaunch("npx", ["tsx", "/path/to/weather-mcp/src/index.ts"]);
  assert.equal(l?.runtime, "source");
  assert.deepEqual(l?.args, ["tsx", "/path/to/weather-mcp/src/index.ts"]);
  assert.equal(requiredFrom("Required for write operations (supply, borrow, transfer)"), false);
});

Deno.test("kinds/session8 - a camelCase key flag (`--apiKey <YOUR_API_KEY>`) moves to the documented X_API_KEY", () => {
  const ev = gather([
    "# weather-mcp",
    "## Environment Variables",
    "Create a `.env` file with your credentials:",
    "```",
    "WX_API_KEY=your_api_key_here",
    "WX_APP_KEY=your_app_key_here",
    "```",
    json({
      mcpServers: {
        weather: {
          command: "npx",
          args: ["weather-mcp", "--apiKey", "<YOUR_API_KEY>", "--appKey", "<YOUR_APP_KEY>"],
        },
      },
    }),
  ].join("\n"));
  assert.deepEqual(ev.plan?.args, ["weather-mcp"]);
  assert.deepEqual(required(ev.plan?.env ?? []), ["WX_API_KEY", "WX_APP_KEY"]);
});

Deno.test("kinds/session8 - a key set to a placeholder path (`/path/to/config/directory`) is the user's to fill", () => {
  const ev = gather([
    "# weather-mcp",
    "## Configuration",
    "Create a `.env` file:",
    "```",
    "WX_CREDS_DIR=/path/to/config/directory",
    "WX_CLIENT_ID=<CLIENT_ID>",
    "```",
    json({
      mcpServers: {
        weather: {
          command: "npx",
          args: ["-y", "weather-mcp"],
          env: { WX_CLIENT_ID: "<CLIENT_ID>", WX_CREDS_DIR: "/path/to/config/directory" },
        },
      },
    }),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["WX_CLIENT_ID", "WX_CREDS_DIR"]);
});
