/**
 * @module Analyzer error kinds found on fresh repositories and registry packages (issue #13,
 * session 10), one test per kind on a small synthetic README.
 */
import assert from "node:assert/strict";
import { gather, json, required } from "./readme_kit.ts";
import { documentedEnv } from "../../../server/analyzer/env_vars.ts";

/** A Claude Desktop block launching `awslabs.demo-mcp-server` with env values. */
const awsBlock = (env: Record<string, string>) =>
  json({
    mcpServers: {
      "awslabs.demo-mcp-server": {
        command: "uvx",
        args: ["awslabs.demo-mcp-server@latest"],
        env,
      },
    },
  });

Deno.test("kinds/session10 - a heading naming a variable documents it, its marker says whether it is needed", () => {
  const docs = documentedEnv(
    [
      "### Environment variables",
      "",
      "#### `AWS_PROFILE` (optional)",
      "",
      "Specifies the AWS profile to use for authentication.",
      "",
      "* Default: None (If not set, uses default AWS credentials).",
      "",
      "#### `DEMO_API_TOKEN` (required)",
      "",
      "The token of your Demo account.",
      "",
      "#### DEMO_WORKSPACE",
      "",
      "The workspace to use. Default: `main`.",
      "",
      "#### Troubleshooting",
      "",
      "Nothing here names a variable.",
    ].join("\n"),
    [],
  );
  const byKey = Object.fromEntries(docs.map((d) => [d.key, d]));
  assert.equal(byKey.AWS_PROFILE?.required, false);
  assert.match(byKey.AWS_PROFILE?.description ?? "", /AWS profile to use/);
  assert.equal(byKey.DEMO_API_TOKEN?.required, true);
  assert.equal(byKey.DEMO_WORKSPACE?.required, null);
  assert.equal(byKey.DEMO_WORKSPACE?.default, "main");
  // A heading of prose, or a bare capitalised word, names no variable.
  assert.deepEqual(
    documentedEnv(["## Usage (optional)", "text", "## WARNING", "text"].join("\n"), []),
    [],
  );
});

Deno.test("kinds/session10 - the awslabs layout: every block sets AWS_PROFILE and AWS_REGION, the headings say optional", () => {
  const ev = gather([
    "# Demo MCP Server",
    awsBlock({
      FASTMCP_LOG_LEVEL: "ERROR",
      AWS_PROFILE: "your-aws-profile",
      AWS_REGION: "us-east-1",
    }),
    "### Environment variables",
    awsBlock({ FASTMCP_LOG_LEVEL: "ERROR", AWS_PROFILE: "my-profile", AWS_REGION: "us-west-2" }),
    "#### `AWS_PROFILE` (optional)",
    "Specifies the AWS profile to use for authentication.",
    "#### `AWS_REGION` (optional)",
    "Specifies the AWS region where clusters are managed.",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), []);
  assert.deepEqual(ev.plan?.env.map((e) => e.key).sort(), [
    "AWS_PROFILE",
    "AWS_REGION",
    "FASTMCP_LOG_LEVEL",
  ]);
});

Deno.test("kinds/session10 - a cloud region every example sets is a setting made, not a blank to fill", () => {
  for (const region of ["us-east-1", "eu-central-1", "europe-west1"]) {
    const ev = gather([
      "# Demo MCP Server",
      awsBlock({ AWS_PROFILE: "default", AWS_REGION: region }),
      "## Windows",
      awsBlock({ AWS_PROFILE: "default", AWS_REGION: region }),
      "## Configuration",
      "- **`AWS_REGION`**: the geographically closest pricing endpoint to use.",
    ].join("\n"));
    assert.deepEqual(required(ev.plan?.env ?? []), [], region);
  }
  // A placeholder region is still the user's to fill.
  const blank = gather([
    "# Demo MCP Server",
    awsBlock({ DEMO_REGION: "<your-region>" }),
    "## Windows",
    awsBlock({ DEMO_REGION: "<your-region>" }),
  ].join("\n"));
  assert.deepEqual(required(blank.plan?.env ?? []), ["DEMO_REGION"]);
});

Deno.test("kinds/session10 - `A` instead of `B` + `C` offers another sign-in: none of them is required alone", () => {
  const ev = gather([
    "# Tracker MCP",
    awsBlock({
      TRACKER_URL: "https://your-company.tracker.net",
      TRACKER_USERNAME: "your.email@company.com",
      TRACKER_API_TOKEN: "your_api_token",
    }),
    "> **Server users**: Use `TRACKER_PERSONAL_TOKEN` instead of `TRACKER_USERNAME` + `TRACKER_API_TOKEN`.",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["TRACKER_URL"]);
  // A new name for the same setting is not another way to sign in.
  const alias = gather([
    "# Tracker MCP",
    awsBlock({ TRACKER_API_TOKEN: "your_api_token" }),
    "You can also use the alternative name `TRACKER_API_TKN` instead of `TRACKER_API_TOKEN`.",
  ].join("\n"));
  assert.deepEqual(required(alias.plan?.env ?? []), ["TRACKER_API_TOKEN"]);
});

Deno.test("kinds/session10 - one plain word in every example (`neo4j`, `main`) is a working value; a user name or host stays the user's", () => {
  const block = json({
    mcpServers: {
      graph: {
        command: "graph-mcp",
        env: {
          GRAPH_URI: "bolt://your-host:7687",
          GRAPH_USERNAME: "neo4j",
          GRAPH_PASSWORD: "your-password",
          GRAPH_DATABASE: "neo4j",
          GRAPH_TENANT: "main",
        },
      },
    },
  });
  const ev = gather(["# graph-mcp", block, "## Cursor", block].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["GRAPH_PASSWORD", "GRAPH_URI", "GRAPH_USERNAME"]);
});

Deno.test("kinds/session10 - a table of sign-in methods (one row a way) makes its keys alternatives", () => {
  const block = json({
    mcpServers: {
      deploy: {
        command: "npx",
        args: ["-y", "deploy-mcp"],
        env: {
          DEPLOY_URL: "https://deploy.example.com",
          DEPLOY_API_KEY: "api-key",
          DEPLOY_API_SECRET: "api-secret",
        },
      },
    },
  });
  const page = (intro: string, header: string) =>
    gather([
      "# deploy-mcp",
      block,
      "## Authentication",
      intro,
      "",
      `| ${header} | Environment Variables | Best For |`,
      "|--------|----------------------|----------|",
      "| **API Key** (recommended) | `DEPLOY_API_KEY` + `DEPLOY_API_SECRET` | Automation |",
      "| **Username / Password** | `DEPLOY_USERNAME` + `DEPLOY_PASSWORD` | Interactive users |",
      "| **JWT Token** | `DEPLOY_JWT_TOKEN` | SSO |",
    ].join("\n"));
  assert.deepEqual(required(page("Choose one method:", "Way").plan?.env ?? []), ["DEPLOY_URL"]);
  assert.deepEqual(required(page("Connecting:", "Method").plan?.env ?? []), ["DEPLOY_URL"]);
  // A plain table of variables is no choice between them.
  assert.deepEqual(required(page("Connecting:", "Name").plan?.env ?? []), [
    "DEPLOY_API_KEY",
    "DEPLOY_API_SECRET",
    "DEPLOY_URL",
  ]);
});

Deno.test("kinds/session10 - a footnoted 'Yes*' leaves need to its footnote ('*Either `A` or both `B` and `C`')", () => {
  const ev = gather([
    "# bitbucket-mcp",
    json({
      mcpServers: {
        bitbucket: {
          command: "npx",
          args: ["-y", "bitbucket-mcp"],
          env: { BB_URL: "https://bitbucket.your-company.com", BB_TOKEN: "your-access-token" },
        },
      },
    }),
    "### Environment Variables",
    "| Variable | Required | Description |",
    "|----------|----------|-------------|",
    "| `BB_URL` | Yes | Base URL of your server |",
    "| `BB_TOKEN` | Yes* | Personal access token |",
    "| `BB_USERNAME` | Yes* | Username for basic auth |",
    "| `BB_PASSWORD` | Yes\\* | Password for basic auth |",
    "",
    "*Either `BB_TOKEN` or both `BB_USERNAME` and `BB_PASSWORD` are required.",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["BB_URL"]);
});

Deno.test("kinds/session10 - a sentence listing several keys does not outrank the table that says one is required", () => {
  const ev = gather([
    "# conf-mcp",
    "```bash",
    "uvx conf-mcp --client-id <client_id>",
    "```",
    "## Configuration",
    "1. **CLI options** — `--server`, `--port`, etc.",
    "2. **Environment variables** — `CONF_SERVER`, `CONF_PORT`, etc.",
    "",
    "| Option | Environment variable | Default | Description |",
    "|---|---|---|---|",
    "| `--server` | `CONF_SERVER` | *(required)* | Server host |",
    "| `--client-id` | `CONF_CLIENT_ID` | *(required)* | OAuth client ID |",
    "| `--port` | `CONF_PORT` | `443` | Server port |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["CONF_CLIENT_ID", "CONF_SERVER"]);
});

Deno.test("kinds/session10 - a launch the README says to remove is no candidate; a testing section in Chinese is a dev section", () => {
  for (
    const sentence of [
      "Remove any earlier `uvx weather-upstream` stdio config before connecting.",
      "删除或停用客户端之前的 `uvx weather-upstream` stdio 配置。",
    ]
  ) {
    const ev = gather([
      "# weather-server",
      "Runs weather-upstream in a container.",
      "```bash",
      "docker run -i --rm alice/weather-server",
      "```",
      sentence,
      "## 测试",
      "```bash",
      "uv run --locked ruff check weather_server tests",
      "```",
    ].join("\n"));
    assert.equal(ev.plan?.runtime, "image", sentence);
    assert.equal(ev.plan?.image, "alice/weather-server", sentence);
  }
});

Deno.test("kinds/session10 - a table of flags headed `Option` is no choice between its variables", () => {
  const ev = gather([
    "# conf-mcp",
    json({
      mcpServers: {
        conf: {
          command: "uvx",
          args: ["conf-mcp"],
          env: { CONF_SERVER: "<host>", CONF_TOKEN: "<token>" },
        },
      },
    }),
    "| Option | Environment variable | Description |",
    "|---|---|---|",
    "| `--server` | `CONF_SERVER` | Server host |",
    "| `--token` | `CONF_TOKEN` | API token |",
  ].join("\n"));
  assert.deepEqual(required(ev.plan?.env ?? []), ["CONF_SERVER", "CONF_TOKEN"]);
});
