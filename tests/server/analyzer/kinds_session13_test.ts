/**
 * @module Analyzer error kinds found on fresh repositories (issue #13, session 13), one test per
 * kind on a small synthetic README.
 */
import assert from "node:assert/strict";
import { block, fence, gather, required, sh } from "./readme_kit.ts";
import { isPlaceholder } from "../../../server/analyzer/env_names.ts";
import { moveSecretArgs } from "../../../server/analyzer/secret_args.ts";

Deno.test("kinds/session13 - a bracketed name ([TOKEN], {API_KEY}) is a placeholder, a braced phrase is a value", () => {
  for (const v of ["[TOKEN]", "[IP]", "{API_KEY}", "{{api_key}}"]) {
    assert.equal(isPlaceholder(v), true, v);
  }
  assert.equal(isPlaceholder("{ODBC Driver 17 for SQL Server}"), false);
  const ev = gather([
    "# Portainer MCP",
    "## Usage",
    block("/path/to/portainer-mcp", ["-server", "10.0.0.2:9443", "-token", "[TOKEN]"]),
  ].join("\n"));
  assert.deepEqual(ev.plan?.args, ["-server", "10.0.0.2:9443"]);
});

Deno.test("kinds/session13 - '// Optional' comment lines above a JSON env key, or after it on its line", () => {
  const ev = gather([
    "# Pages MCP",
    "## Configure MCP",
    `${fence}json`,
    `{
  "mcpServers": {
    "pages": {
      "command": "npx",
      "args": ["pages-mcp"],
      "env": {
        // Optional. If deploying a folder to a project
        // provide your API token.
        // How to obtain it: https://example.com/token
        "PAGES_API_TOKEN": "",
        "PAGES_REGION": "eu",  // Optional. Default value: eu
        "PAGES_ACCOUNT_ID": "your-account-id"
      }
    }
  }
}`,
    fence,
  ].join("\n"));
  const env = ev.plan?.env ?? [];
  assert.deepEqual(required(env), ["PAGES_ACCOUNT_ID"]);
});

Deno.test("kinds/session13 - an export step the sentence before makes conditional ('if you want') is not required", () => {
  const readme = (lead: string) =>
    [
      "# Reader MCP",
      "## Quick Start",
      "The reader works without a key.",
      lead,
      sh("export READER_API_KEY=your_api_key"),
      block("npx", ["-y", "reader-mcp"], { READER_API_KEY: "your_api_key" }),
    ].join("\n");
  const conditional = gather(readme("Set the API key in your shell if you want search as well:"));
  assert.deepEqual(required(conditional.plan?.env ?? []), []);
  const plain = gather(readme("Set the API key in your shell:"));
  assert.deepEqual(required(plain.plan?.env ?? []), ["READER_API_KEY"]);
});

Deno.test("kinds/session13 - blocks under 'Choose one of the following authentication methods' are alternatives", () => {
  const ev = gather([
    "# Airflow MCP",
    "## Setup",
    block("uvx", ["airflow-mcp"]),
    "### Authentication",
    "Choose one of the following authentication methods:",
    "**Basic Authentication (default):**",
    `${fence}`,
    "AIRFLOW_USERNAME=<your-airflow-username>",
    "AIRFLOW_PASSWORD=<your-airflow-password>",
    fence,
    "**JWT Token Authentication:**",
    `${fence}`,
    "AIRFLOW_JWT_TOKEN=<your-jwt-token>",
    fence,
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
});

Deno.test("kinds/session13 - a key argument whose value only ever appears as <NAME> names no variable", () => {
  const readme = [
    "# Store MCP",
    "## Init",
    sh("uvx store-mcp init --api-key <STORE_API_KEY>"),
    block("uvx", ["store-mcp", "start", "--api-key", "<STORE_API_KEY>"]),
  ].join("\n");
  const moved = moveSecretArgs(
    ["store-mcp", "start", "--api-key", "<STORE_API_KEY>"],
    new Set(),
    readme,
  );
  assert.deepEqual(moved.args, ["store-mcp", "start"]);
  assert.deepEqual(moved.env, []);
  assert.equal(moved.fields[0]?.flag, "--api-key");
  // Named as a variable elsewhere ("set `STORE_API_KEY`"), it is that variable.
  const named = moveSecretArgs(
    ["store-mcp", "start", "--api-key", "<STORE_API_KEY>"],
    new Set(),
    `${readme}\nOr set STORE_API_KEY in the environment.`,
  );
  assert.deepEqual(named.env, ["STORE_API_KEY"]);
});

Deno.test("kinds/session13 - a password whose flag is 'empty by default', given empty in the launch, is not required", () => {
  const readme = (doc: string) =>
    [
      "# Greptime MCP",
      "## Configuration",
      "Or via command-line args:",
      "* `--host` the database host, `localhost` by default,",
      doc,
      "## Claude Desktop",
      block("uv", ["--directory", "/path/to/db-mcp", "run", "-m", "db_mcp.server"], {
        DB_HOST: "localhost",
        DB_PASSWORD: "",
      }),
    ].join("\n");
  const empty = gather(readme("* `--password` the database password, empty by default."));
  assert.deepEqual(required(empty.plan?.env ?? []), []);
  const silent = gather(readme("* `--password` the database password."));
  assert.deepEqual(required(silent.plan?.env ?? []), ["DB_PASSWORD"]);
});

Deno.test("kinds/session13 - a launch's connection string to the user's database (URL or keyword form) is required", () => {
  for (
    const value of [
      "dbname=database_name host=hostname port=5433 user=username password=password",
      "postgresql://user:password@localhost:5433/yugabyte",
    ]
  ) {
    const ev = gather([
      "# Yuga MCP",
      "## Configuration",
      "- `YUGA_URL`: The connection string for your database",
      "## Claude Desktop",
      block("uv", ["--directory", "/path/to/yuga-mcp", "run", "src/server.py"], {
        YUGA_URL: value,
      }),
      "## Docker",
      sh('docker run -p 8080:8080 -e YUGA_URL="your-db-url" mcp/yuga --transport=http'),
    ].join("\n"));
    assert.deepEqual(required(ev.plan?.env ?? []), ["YUGA_URL"], value);
  }
});

Deno.test("kinds/session13 - 'The following environment variables are required:' over KEY=placeholder lines", () => {
  const readme = (lead: string) =>
    [
      "# Rad MCP",
      "## Usage",
      "### Environment Variables",
      lead,
      sh(
        "RAD_ACCESS_KEY_ID=your_access_key",
        "RAD_SECRET_KEY=your_secret_key",
        "RAD_ACCOUNT_ID=your_account_id",
      ),
      "### Claude Desktop",
      block("npx", ["-y", "@rad/mcp-server"], { RAD_ACCESS_KEY_ID: "<your-access-key-id>" }),
      "### Docker",
      sh("docker run -i -e RAD_ACCESS_KEY_ID=your_access_key rad/mcp-server"),
    ].join("\n");
  const said = gather(readme("The following environment variables are required:"));
  assert.deepEqual(required(said.plan?.env ?? []), [
    "RAD_ACCESS_KEY_ID",
    "RAD_ACCOUNT_ID",
    "RAD_SECRET_KEY",
  ]);
});

Deno.test("kinds/session13 - an off-switch a block only demonstrates ('To disable it:') is left out of the plan", () => {
  const readme = (lead: string) =>
    [
      "# Maps MCP",
      "## Usage",
      "### UI Support",
      lead,
      "**Via Command-Line Flag:**",
      sh("node dist/index.js --disable-ui"),
      "**In Claude Desktop config:**",
      block("npx", ["-y", "@maps/mcp-server", "--disable-ui"], { MAPS_TOKEN: "your_token" }),
    ].join("\n");
  const demo = gather(readme("UI is **enabled by default**. To disable it:"));
  assert.deepEqual(demo.plan?.args, ["-y", "@maps/mcp-server"]);
  assert.ok(demo.warnings.some((w: string) => w.includes("--disable-ui")));
  // A block that simply runs the server with the switch keeps it.
  const plain = gather(readme("Run the server without its UI:"));
  assert.deepEqual(plain.plan?.args, ["-y", "@maps/mcp-server", "--disable-ui"]);
});

Deno.test("kinds/session13 - a pyproject's script yields to the README's launch when the README installs it from git", () => {
  const files = {
    "pyproject.toml": [
      "[project]",
      'name = "metrics-mcp-server"',
      "[project.scripts]",
      'metrics-mcp = "metrics_mcp.main:run"',
    ].join("\n"),
  };
  const readme = (install: string) =>
    [
      "# Metrics MCP",
      "## Installation",
      sh(install),
      "### Run Without Installation",
      sh(
        "pipx run --spec git+https://github.com/alice/metrics-mcp.git metrics-mcp --url http://your-metrics:9090",
      ),
    ].join("\n");
  const git = gather(readme("pipx install git+https://github.com/alice/metrics-mcp.git"), files);
  assert.equal(git.plan?.command, "pipx");
  // Shown on PyPI, the package's own script stays the plan.
  const pypi = gather(readme("pip install metrics-mcp-server"), files);
  assert.equal(pypi.plan?.command, "uvx");
});

Deno.test("kinds/session13 - of a pyproject's twin scripts, the one spelled as the package is run", () => {
  const ev = gather(
    ["# SecOps MCP", "## Quick Start", sh("pip install secops-mcp")].join("\n"),
    {
      "pyproject.toml": [
        "[project]",
        'name = "secops-mcp"',
        "[project.scripts]",
        'secops_mcp = "secops_mcp.server:main"',
        'secops-mcp = "secops_mcp.server:main"',
      ].join("\n"),
    },
  );
  assert.deepEqual(ev.plan?.args, ["secops-mcp"]);
});

Deno.test("kinds/session13 - a client form written out (Command: `node`, Args: `[…]`) is a config entry", () => {
  const ev = gather([
    "# Shortcuts MCP",
    "## Register in Rebel",
    "Add the connector in **Settings → Connectors** with:",
    "- **Command:** `node`",
    '- **Args:** `["<absolute path to>/mcp-servers/shortcuts/dist/index.js"]`',
  ].join("\n"));
  assert.equal(ev.plan?.command, "node");
  assert.deepEqual(ev.plan?.args, ["<absolute path to>/mcp-servers/shortcuts/dist/index.js"]);
});

Deno.test("kinds/session13 - a block's npm package under another scope than the folder's own (which the README names) is the own one", () => {
  const files = {
    "package.json": JSON.stringify({
      name: "@mcp-get-community/server-llm-txt",
      bin: { "server-llm-txt": "dist/index.js" },
    }),
  };
  const readme = (install: string) =>
    [
      "# LLM.txt MCP Server",
      "## Installation",
      install,
      "### Manual Configuration",
      block("npx", ["-y", "@modelcontextprotocol/server-llm-txt"]),
    ].join("\n");
  const named = gather(
    readme(sh("npx @michaellatman/mcp-get@latest install @mcp-get-community/server-llm-txt")),
    files,
  );
  assert.deepEqual(named.plan?.args, ["-y", "@mcp-get-community/server-llm-txt"]);
  // A package.json the README never names (a later rename, a fork's) leaves the block as written.
  const unnamed = gather(readme("Add it to Claude Desktop:"), files);
  assert.deepEqual(unnamed.plan?.args, ["-y", "@modelcontextprotocol/server-llm-txt"]);
});

Deno.test("kinds/session13 - an HTTP image's own listener token (X_MCP_HTTP_AUTH_TOKEN) is not required", () => {
  const ev = gather([
    "# BookStack MCP",
    "## Docker",
    sh(
      "docker run -d -p 3000:3000 \\",
      "  -e BOOK_BASE_URL=https://your-bookstack.example \\",
      "  -e BOOK_TOKEN_SECRET=your-token-secret \\",
      "  -e BOOK_MCP_TRANSPORT=http \\",
      "  -e BOOK_MCP_HTTP_AUTH_TOKEN=your-http-token \\",
      "  ghcr.io/alice/book-mcp-server",
    ),
    "MCP endpoint: `http://localhost:3000/mcp`",
  ].join("\n"));
  assert.equal(ev.plan?.transport, "http");
  assert.deepEqual(required(ev.plan?.env ?? []), ["BOOK_BASE_URL", "BOOK_TOKEN_SECRET"]);
});

Deno.test("kinds/session13 - prose of the Claude section does not make the next client's block Claude's", () => {
  const entry = (command: string, jar: string) =>
    block(command, ["-jar", jar], { BUILD_HOME: "/opt/build" });
  const ev = gather([
    "# JVM Build MCP",
    "### MCP Client Configuration",
    "#### Claude Desktop",
    "Add to `claude_desktop_config.json`:",
    entry("/path/to/java", "/path/to/build-mcp.jar"),
    "#### Cursor",
    entry("java", "/absolute/path/to/build-mcp.jar"),
    "#### Windsurf",
    entry("java", "/absolute/path/to/build-mcp.jar"),
    "#### Cline",
    entry("java", "/absolute/path/to/build-mcp.jar"),
  ].join("\n"));
  assert.equal(ev.plan?.command, "/path/to/java");
  // The other client's heading one level up ("Usage with Windsurf > Using Docker Image") too.
  const nested = gather([
    "# Harness MCP",
    "## Claude Desktop Configuration",
    "Add the server configuration to your Claude config file:",
    block("/path/to/harness-mcp-server", ["stdio"], { HARNESS_API_KEY: "your-key" }),
    "## Usage with Windsurf",
    "### Using Docker Image",
    block("docker", ["run", "-i", "--rm", "-e", "HARNESS_API_KEY", "harness/mcp-server", "stdio"], {
      HARNESS_API_KEY: "your-key",
    }),
  ].join("\n"));
  assert.equal(nested.plan?.command, "/path/to/harness-mcp-server");
});

Deno.test("kinds/session13 - `pip install PKG`, then its own script in the client block, is planned as written", () => {
  const files = {
    "pyproject.toml": [
      "[project]",
      'name = "pypi-query-mcp-server"',
      "[project.scripts]",
      'pypi-query-mcp = "pypi_query_mcp.server:main"',
    ].join("\n"),
  };
  const readme = [
    "# PyPI Query MCP",
    "## Installation",
    sh("pip install pypi-query-mcp-server"),
    "## Claude Desktop",
    block("pypi-query-mcp", []),
  ].join("\n");
  const ev = gather(readme, files);
  assert.deepEqual([ev.plan?.runtime, ev.plan?.command, ev.plan?.package], [
    "uvx",
    "pypi-query-mcp",
    "pypi-query-mcp-server",
  ]);
  const withUvx = gather(
    `${readme}\n### Claude Desktop with uvx\n${
      block("uvx", ["--from", "pypi-query-mcp-server", "pypi-query-mcp"])
    }`,
    files,
  );
  assert.equal(withUvx.plan?.command, "uvx");
});

Deno.test("kinds/session13 - a list of this machine's addresses (localhost,127.0.0.1) is a setting made, one host is not", () => {
  const ev = gather([
    "# Merk MCP",
    "## Docker",
    sh(
      "docker run -i --rm -e MERK_TOKEN -e MERK_ALLOWED_HOSTS=localhost,127.0.0.1 -e MERK_DB_HOST=localhost alice/merk-mcp",
    ),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["MERK_DB_HOST", "MERK_TOKEN"]);
});

Deno.test("kinds/session13 - an off-switch of another feature than the one the prose turns off stays", () => {
  const ev = gather([
    "# Browser MCP",
    "## Telemetry",
    "Telemetry is on by default. To disable it, set `BROWSER_TELEMETRY=0`.",
    "## Claude Desktop",
    block("npx", ["-y", "@browser/mcp", "--no-sandbox"]),
  ].join("\n"));
  assert.deepEqual(ev.plan?.args, ["-y", "@browser/mcp", "--no-sandbox"]);
});

Deno.test("kinds/session13 - '- (Optional)`KEY` is the …' documents KEY as optional", () => {
  const ev = gather([
    "# Code Indexer MCP",
    "## Environment Variables",
    "- `INDEX_ADDRESS` is the address of your index, e.g. `https://your-index.example`",
    "- (Optional)`INDEX_TOKEN` is the token of your index, which can be left empty without auth.",
    "## Claude Desktop",
    block("npx", ["-y", "@indexer/mcp"], {
      INDEX_ADDRESS: "your-index-address",
      INDEX_TOKEN: "your-token",
    }),
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["INDEX_ADDRESS"]);
  assert.match(
    ev.plan?.env.find((e) => e.key === "INDEX_TOKEN")?.description ?? "",
    /token of your index/,
  );
});
