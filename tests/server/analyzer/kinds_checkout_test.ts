/**
 * @module Analyzer error kinds of checkout-run servers found on fresh tuning repositories (issue
 * #13, batches Q–R), one test per kind on a small synthetic README: `docker compose run SERVICE`
 * blocks, project runners (`poetry run`), `uv run --with TOOL TOOL run FILE`, the SDK's
 * `mcp install FILE`, env pairs typed with a comma, "Replace `X` with your …" sentences, variables
 * of another mode's section, and project tooling run with npx.
 */
import assert from "node:assert/strict";
import { gather, json, required, sh } from "./readme_kit.ts";
import { parseJsonish } from "../../../server/analyzer/jsonish.ts";
import { documentedEnv } from "../../../server/analyzer/env_vars.ts";
import { readmeBlocks } from "../../../server/analyzer/readme_blocks.ts";
import { checkoutLaunch, interpretLaunch } from "../../../server/analyzer/launch.ts";
import { isHelperPackage } from "../../../server/analyzer/helper_packages.ts";
import { sdkInstallAsRun } from "../../../server/analyzer/client_add.ts";

Deno.test("kinds/checkout - `docker compose run SERVICE` runs the image built from the checkout, with its env", () => {
  const readme = [
    "# Weather MCP",
    "## Environment",
    "| Variable | Required | Default | Description |",
    "|---|---|---|---|",
    "| `WEATHER_USER` | Yes | — | API user |",
    "| `WEATHER_SECRET` | Yes | — | API secret |",
    "| `WEATHER_REGION` | No | `eu` | Region |",
    "## Claude Desktop",
    json({
      mcpServers: {
        weather: {
          command: "docker",
          args: [
            "compose",
            "-f",
            "/path/to/weather/docker-compose.yml",
            "run",
            "--rm",
            "-T",
            "mcp",
          ],
          env: { WEATHER_USER: "your_user", WEATHER_SECRET: "your_secret" },
        },
      },
    }),
  ].join("\n");
  const ev = gather(readme, { Dockerfile: 'FROM node:22\nCMD ["node", "dist/main.js"]\n' });
  assert.equal(ev.plan, null);
  assert.equal(ev.execCommand, null); // the image's own command
  assert.deepEqual(required(ev.builtImageEnv ?? []), ["WEATHER_SECRET", "WEATHER_USER"]);
  assert.ok(ev.builtImageEnv?.some((e) => e.key === "WEATHER_REGION" && !e.required));
});

Deno.test("kinds/checkout - `poetry run python -m pkg` beats a pyproject script the README never publishes", () => {
  const readme = [
    "# Weather MCP",
    "## Quick Start",
    "1. Install:",
    sh("poetry install"),
    "2. Run the MCP server:",
    sh("poetry run python -m src.server"),
  ].join("\n");
  const pyproject = [
    "[tool.poetry]",
    'name = "weather-mcp"',
    'version = "0.1.0"',
    'description = "x"',
    "[tool.poetry.scripts]",
    'weather-mcp = "src.server:main"',
  ].join("\n");
  const plan = gather(readme, { "pyproject.toml": pyproject }).plan!;
  assert.equal(plan.runtime, "source");
  assert.deepEqual([plan.command, ...plan.args], ["poetry", "run", "python", "-m", "src.server"]);
  // A runner's test and lint tools are no launch.
  assert.equal(checkoutLaunch("poetry", ["run", "pytest"]), null);
  assert.equal(checkoutLaunch("pipenv", ["run", "python", "server.py"])?.runtime, "source");
});

Deno.test("kinds/checkout - `uv run --with fastmcp fastmcp run /path/x.py` runs the checkout's file", () => {
  const l = interpretLaunch("uv", [
    "run",
    "--with",
    "fastmcp",
    "fastmcp",
    "run",
    "/path/to/repo/server.py",
  ]);
  assert.equal(l?.runtime, "source");
  assert.equal(l?.package, null);
  // A published tool run by name stays the package's launch.
  assert.equal(interpretLaunch("uv", ["run", "--with", "mcp-x", "mcp-x"])?.runtime, "uvx");
});

Deno.test("kinds/checkout - the SDK's `mcp install x.py` stands for `mcp run x.py`, below written launches", () => {
  assert.deepEqual(sdkInstallAsRun(["mcp", "install", "main.py", "--name", "Dune", "-v", "K=1"]), {
    words: ["mcp", "run", "main.py"],
    env: { K: "1" },
  });
  assert.deepEqual(sdkInstallAsRun(["uv", "run", "mcp", "install", "cli.py"])?.words, [
    "uv",
    "run",
    "mcp",
    "run",
    "cli.py",
  ]);
  assert.equal(sdkInstallAsRun(["mcp", "dev", "main.py"]), null);
  const only = gather(
    [
      "# Dune MCP",
      "## Usage",
      sh("mcp dev main.py"),
      "Install into Claude:",
      sh("mcp install main.py"),
    ]
      .join("\n"),
  ).plan!;
  assert.deepEqual([only.command, ...only.args], ["mcp", "run", "main.py"]);
  const written = gather(
    [
      "# Dune MCP",
      "## Install in Claude Desktop",
      sh("mcp install server.py"),
      "## Direct execution",
      sh("python server.py"),
    ].join("\n"),
  ).plan!;
  assert.deepEqual([written.command, ...written.args], ["python", "server.py"]);
});

Deno.test("kinds/checkout - an env pair typed with a comma is still read, and 'Replace `x` with your' makes it required", () => {
  const block = [
    "```json",
    "{",
    '  "mcpServers": {',
    '    "jobs": {',
    '      "command": "uv",',
    '      "args": ["--directory", "/path/to/jobs-mcp", "run", "main.py"],',
    '      "env": { "JOBS_API_TOKEN", "your-api-token" },',
    "    }",
    "  }",
    "}",
    "```",
  ].join("\n");
  assert.deepEqual(
    (parseJsonish(block.split("\n").slice(1, -1).join("\n")) as {
      mcpServers: { jobs: { env: unknown } };
    }).mcpServers.jobs.env,
    { JOBS_API_TOKEN: "your-api-token" },
  );
  const readme = [
    "# Jobs MCP",
    "## Install",
    block,
    "Replace `/path/to/jobs-mcp` with your path, and `your-api-token` with your API token.",
    "## Usage",
    "Run directly:",
    sh("uv run main.py"),
  ].join("\n");
  assert.deepEqual(required(gather(readme, {}, "jobs-mcp").plan!.env), ["JOBS_API_TOKEN"]);
});

Deno.test("kinds/checkout - a remote deployment's or OAuth proxy's variables are not the local launch's", () => {
  const text = [
    "# Docs MCP",
    "## Configuration",
    "| Variable | Required | Description |",
    "| --- | --- | --- |",
    "| `DOCS_TOKEN` | Yes | Personal token |",
    "## Remote Deployment (Cloud Run)",
    "| Variable | Description |",
    "| --- | --- |",
    "| `BASE_URL` | Public URL of the deployed server (required for OAuth redirects) |",
    "### Using MCP OAuth Proxy",
    "| Variable | Required | Description |",
    "| --- | --- | --- |",
    "| `DOCS_MCP_OAUTH` | ✅ | Set to `true` to enable |",
  ].join("\n");
  const docs = documentedEnv(text, readmeBlocks(text));
  const req = (k: string) => docs.find((d) => d.key === k)?.required;
  assert.equal(req("DOCS_TOKEN"), true);
  assert.equal(req("BASE_URL"), null);
  assert.equal(req("DOCS_MCP_OAUTH"), null);
});

Deno.test("kinds/checkout - generators, linters and scaffolders run with npx are no server", () => {
  for (
    const p of ["plop", "prettier@3", "@changesets/cli", "create-mcp-server", "@acme/create-app"]
  ) {
    assert.ok(isHelperPackage(p), p);
  }
  assert.ok(!isHelperPackage("@mapbox/mcp-server"));
  assert.equal(interpretLaunch("npx", ["plop", "create-tool"]), null);
});

Deno.test("kinds/checkout - a placeholder path flag is no twin of another file's env var", () => {
  const readme = [
    "# Snow MCP",
    "| Parameter | Flag | Env | Description |",
    "| --- | --- | --- | --- |",
    "| Private Key File | --private-key-file | `SNOW_PRIVATE_KEY_FILE` | Path to private key file |",
    "## Claude Desktop",
    json({
      mcpServers: {
        snow: {
          command: "uvx",
          args: ["snow-mcp", "--service-config-file", "<path_to_file>/tools.yaml"],
        },
      },
    }),
  ].join("\n");
  const plan = gather(readme, {}, "snow-mcp").plan!;
  assert.deepEqual(required(plan.env), []);
});

Deno.test("kinds/checkout - 'They are optional and can be removed if you aren't using the product'", () => {
  const readme = [
    "# Suite MCP",
    "The server is started with the tokens of your products. They are optional and can be removed",
    "from your configuration if you aren't using the product.",
    "## Claude Desktop",
    json({
      mcpServers: {
        suite: {
          command: "npx",
          args: ["-y", "@acme/suite-mcp"],
          env: { BUGS_AUTH_TOKEN: "your_token", DOCS_API_KEY: "your_key" },
        },
      },
    }),
  ].join("\n");
  assert.deepEqual(required(gather(readme, {}, "suite-mcp").plan!.env), []);
});

Deno.test("kinds/checkout - `LOGIN` / `PASSWORD` halves, 'Required for stdio' exports; prefixes and FOO are no keys", () => {
  const readme = [
    "# Seo MCP",
    "## Quick Start",
    "Start the server on stdio (set `SEO_LOGIN` / `SEO_PASSWORD`):",
    sh("npx seo-mcp-server@latest"),
    "## Authentication",
    "Login and password via environment variables. Required for CLI and stdio MCP; HTTP uses OAuth.",
    sh('export SEO_LOGIN="your_login"', 'export SEO_PASSWORD="your_password"'),
    "Any variable prefixed with `SEO_MCP_` is passed on; e.g. `FOO=1`.",
  ].join("\n");
  const plan = gather(readme, {}, "seo-mcp-server").plan!;
  assert.deepEqual(required(plan.env), ["SEO_LOGIN", "SEO_PASSWORD"]);
  assert.ok(!plan.env.some((e) => e.key === "SEO_MCP_" || e.key === "FOO"));
});

Deno.test("kinds/checkout - a token 'required to access the HTTP endpoint' is the HTTP mode's", () => {
  const text = [
    "# Mongo MCP",
    "| Variable | Description |",
    "| --- | --- |",
    "| `MONGO_URI` | Connection string (required) |",
    "| `MCP_HTTP_AUTH_TOKEN` | Bearer token required to access the HTTP endpoint |",
    "| `MCP_HTTP_ORIGINS` | Origins allowed in HTTP mode (required) |",
  ].join("\n");
  const docs = documentedEnv(text, readmeBlocks(text));
  const req = (k: string) => docs.find((d) => d.key === k)?.required;
  assert.equal(req("MONGO_URI"), true);
  assert.equal(req("MCP_HTTP_AUTH_TOKEN"), false);
  assert.equal(req("MCP_HTTP_ORIGINS"), false);
});
