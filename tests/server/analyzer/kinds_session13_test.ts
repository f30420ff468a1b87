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
