/**
 * @module More analyzer error kinds found on fresh tuning repositories (issue #13), one test per
 * kind on a small synthetic README: env set in the step after a bare launch line, login helpers of
 * the same package, comments above dotenv lines, other languages, connection strings, bridge
 * headers, placeholder flags beside an env twin, README recommendations, clients' own
 * "(Recommended)", image management sub-commands, shell launches of a clone, inline tool names,
 * usage synopses, "(required)" and conditional requirements.
 */
import assert from "node:assert/strict";
import { gatherEvidence } from "../../../server/analyzer/evidence.ts";
import { documentedEnv } from "../../../server/analyzer/env_vars.ts";
import { isPlaceholder } from "../../../server/analyzer/env_names.ts";
import {
  alternativeKeys,
  flagDefaults,
  requiredSecretKinds,
} from "../../../server/analyzer/env_prose.ts";
import { readmeBlocks } from "../../../server/analyzer/readme_blocks.ts";
import { synopsisChoices } from "../../../server/analyzer/shell_lines.ts";
import { bridgeHeaders } from "../../../server/analyzer/launch.ts";
import { readSmithery } from "../../../server/analyzer/smithery.ts";

const fence = "```";
const json = (o: unknown) => [`${fence}json`, JSON.stringify(o, null, 2), fence].join("\n");
const sh = (...lines: string[]) => [`${fence}bash`, ...lines, fence].join("\n");
const server = (command: string, args: string[], env?: Record<string, string>) => ({
  mcpServers: { x: env ? { command, args, env } : { command, args } },
});

function plan(readme: string, repo = "weather-mcp") {
  return gatherEvidence({
    readme: { path: "README.md", text: readme },
    files: {},
    repoName: repo,
    subpath: null,
    owner: "alice",
  }).plan!;
}
const required = (p: ReturnType<typeof plan>) =>
  p.env.filter((e) => e.required).map((e) => e.key).sort();

Deno.test("kinds+ - a bare launch line whose next step sets the keys does not make them optional", () => {
  const p = plan([
    "# weather-mcp",
    "## Manual configuration",
    "1. Start the server:",
    sh("npx -y weather-mcp"),
    "2. Configure environment variables:",
    sh("WEATHER_API_KEY=<your-api-key>"),
    "## JSON configuration",
    json(server("npx", ["-y", "weather-mcp"], { WEATHER_API_KEY: "<your-api-key>" })),
  ].join("\n"));
  assert.deepEqual(required(p), ["WEATHER_API_KEY"]);
});

Deno.test("kinds+ - the same package's login helper is not an example of the server's launch", () => {
  const from = ["--from", "git+https://github.com/alice/tg-mcp"];
  const p = plan(
    [
      "# tg-mcp",
      "## Configuration",
      json(server("uvx", [...from, "tg-mcp"], { TG_API_ID: "your-api-id" })),
      "### Authentication",
      sh(
        `uvx ${from.join(" ")} tg-mcp-auth request-code`,
        `uvx ${from.join(" ")} tg-mcp-auth status`,
      ),
    ].join("\n"),
    "tg-mcp",
  );
  assert.deepEqual(p.args, [...from, "tg-mcp"]);
  assert.deepEqual(required(p), ["TG_API_ID"]);
});

Deno.test("kinds+ - a comment above a dotenv line says required or optional, in other languages too", () => {
  const text = [
    "## Configurar ambiente",
    sh(
      "# API do clima (OBRIGATÓRIO)",
      "WEATHER_API_KEY=sua_api_key_aqui",
      "# Cache (opcional)",
      "CACHE_URL=redis://x",
    ),
  ].join("\n");
  const docs = documentedEnv(text, readmeBlocks(text));
  assert.equal(docs.find((d) => d.key === "WEATHER_API_KEY")?.required, true);
  assert.equal(docs.find((d) => d.key === "CACHE_URL")?.required, false);
  assert.ok(isPlaceholder("sua_api_key_aqui"));
  assert.ok(isPlaceholder("SUA_API_KEY"));
  assert.ok(!isPlaceholder("production"));
});

Deno.test("kinds+ - a database connection string in the block is the user's own service", () => {
  const p = plan([
    "# weather-mcp",
    "## Claude Desktop",
    json(server("node", ["/path/to/weather-mcp/dist/index.js"], {
      DATABASE_URL: "postgresql://user:pass@localhost:5432/weather",
      NODE_ENV: "production",
    })),
    "## Troubleshooting",
    sh("node dist/index.js"),
  ].join("\n"));
  assert.deepEqual(required(p), ["DATABASE_URL"]);
  assert.equal(p.env.find((e) => e.key === "DATABASE_URL")?.secret, true);
});

Deno.test("kinds+ - mcp-remote --header credentials: the remote plan sends them, the key is required", () => {
  const args = [
    "-y",
    "mcp-remote@latest",
    "https://mcp.acme.dev/sse",
    "--header",
    "Authorization:${ACME_AUTH}",
  ];
  assert.deepEqual(bridgeHeaders(args), { Authorization: "${ACME_AUTH}" });
  const p = plan(
    [
      "# acme-mcp",
      "## Claude Desktop",
      json(server("npx", args, { ACME_AUTH: "Bearer {INSERT_YOUR_KEY}" })),
    ].join("\n"),
    "acme-mcp",
  );
  assert.equal(p.runtime, "remote");
  assert.deepEqual(p.headers, { Authorization: "${ACME_AUTH}" });
  assert.deepEqual(required(p), ["ACME_AUTH"]);
});

Deno.test("kinds+ - placeholder flags lose to the same launch with the settings in env", () => {
  const pkg = "weather-mcp@0.1.4";
  const p = plan([
    "# weather-mcp",
    "## Configuration",
    json(
      server("uvx", [
        pkg,
        "--db-url",
        "neo4j+s://xxxx.example.io",
        "--username",
        "<your-username>",
      ]),
    ),
    "Alternatively, you can set environment variables:",
    json(
      server("uvx", [pkg], { DB_URL: "neo4j+s://xxxx.example.io", DB_USERNAME: "<your-username>" }),
    ),
  ].join("\n"));
  assert.deepEqual(p.args, [pkg]);
  assert.deepEqual(required(p), ["DB_URL", "DB_USERNAME"]);
});

Deno.test("kinds+ - 'Start with the hosted MCP' beats the repository's own package", () => {
  const p = plan(
    [
      "# acme-mcp",
      "**Start with the hosted MCP** unless you have a reason to self-host.",
      "## Claude Code",
      sh("claude mcp add --transport http acme https://mcp.acme.dev/mcp"),
      "## npm package (recommended for self-host)",
      json(server("npx", ["-y", "acme-mcp"], { ACME_TOKEN: "<token>" })),
    ].join("\n"),
    "acme-mcp",
  );
  assert.equal(p.runtime, "remote");
  assert.equal(p.url, "https://mcp.acme.dev/mcp");
});

Deno.test("kinds+ - '(Recommended)' inside another client's section does not beat Claude's block", () => {
  const p = plan([
    "# weather-mcp",
    "## Usage with Claude Desktop",
    json(
      server("uv", [
        "--directory",
        "/path/to/weather-mcp",
        "run",
        "server.py",
        "--uri",
        "http://localhost:1",
      ]),
    ),
    "## Usage with Cursor",
    "### Option 2: project configuration (Recommended)",
    json(
      server("uv", [
        "--directory",
        "/path/to/weather-mcp",
        "run",
        "server.py",
        "--uri",
        "http://127.0.0.1:1",
      ]),
    ),
  ].join("\n"));
  assert.ok(p.args.includes("http://localhost:1"), JSON.stringify(p.args));
});

Deno.test("kinds+ - an image's init step ranks below its serve step", () => {
  const p = plan(
    [
      "# acme-mcp",
      "### Docker (Recommended)",
      sh(
        "docker run -it --rm -e ACME_TOKEN=x -v cfg:/cfg acme/acme-mcp:latest init",
        "docker run -i --rm -v cfg:/cfg acme/acme-mcp:latest serve",
      ),
    ].join("\n"),
    "acme-mcp",
  );
  assert.equal(p.runtime, "image");
  assert.deepEqual(p.args, ["serve"]);
});

Deno.test("kinds+ - a clone's shell launch is a candidate; a tool name in inline code is not a launch", () => {
  const p = plan(
    [
      "# scan-mcp",
      "## Installation",
      sh("pip install scan"),
      "## Features",
      "- `scan_code`: scan code snippets",
      "## Usage",
      "#### stdio",
      sh("uv run mcp run server.py -t stdio"),
    ].join("\n"),
    "scan-mcp",
  );
  assert.equal(p.runtime, "source");
  assert.deepEqual([p.command, ...p.args], ["uv", "run", "mcp", "run", "server.py", "-t", "stdio"]);
});

Deno.test("kinds+ - a usage synopsis becomes its stdio choice without optional groups", () => {
  assert.equal(
    synopsisChoices("deno run -N jsr:@acme/mcp [stdio|sse|warmup] [--mount local:remote]"),
    "deno run -N jsr:@acme/mcp stdio",
  );
  assert.equal(synopsisChoices("x [sse|http]"), "x sse");
  const p = plan(
    [
      "# acme-mcp",
      "The server can be run with:",
      sh("deno run \\", "  -N -R=node_modules \\", "  jsr:@acme/mcp [stdio|sse] [--mount a:b]"),
    ].join("\n"),
    "acme-mcp",
  );
  assert.deepEqual([p.command, ...p.args], [
    "deno",
    "run",
    "-N",
    "-R=node_modules",
    "jsr:@acme/mcp",
    "stdio",
  ]);
});

Deno.test("kinds+ - '(required)' after an e.g.; 'required for remote deployments' is conditional", () => {
  const text = [
    "## Configuration",
    "| Variable | Description |",
    "| --- | --- |",
    "| `ACME_HOST` | Your API host, e.g. `x.acme.com` (required) |",
    "| `MCP_URL` | Public base URL; required for remote deployments |",
  ].join("\n");
  const docs = documentedEnv(text, readmeBlocks(text));
  assert.equal(docs.find((d) => d.key === "ACME_HOST")?.required, true);
  assert.equal(docs.find((d) => d.key === "MCP_URL")?.required, false);
});

Deno.test("kinds+ - the repository's binary run bare after a build runs from the built path", () => {
  const p = plan(
    [
      "# gatus-mcp-rs",
      "### From Source",
      sh(
        "git clone https://github.com/alice/gatus-mcp-rs.git",
        "cd gatus-mcp-rs",
        "cargo build --release",
      ),
      "The binary will be available at `target/release/gatus-mcp-rs`.",
      "## Usage",
      "### Stdio Mode (Default)",
      sh("gatus-mcp-rs stdio"),
      "### HTTP Mode",
      sh("gatus-mcp-rs http --port 8080"),
    ].join("\n"),
    "gatus-mcp-rs",
  );
  assert.equal(p.runtime, "source");
  assert.deepEqual([p.command, ...p.args], ["target/release/gatus-mcp-rs", "stdio"]);
});

Deno.test("kinds+ - a bare package launch takes its keys from the README's client block of a checkout", () => {
  const p = plan(
    [
      "# n8n-mcp",
      "## Installation",
      sh("npm install -g @alice/n8n-mcp"),
      "## Running the server",
      sh("n8n-mcp"),
      "## Integrating with Claude Desktop",
      json(server("node", ["/path/to/n8n-mcp/build/index.js"], {
        N8N_API_URL: "http://your-n8n:5678/api/v1",
        N8N_API_KEY: "YOUR_N8N_API_KEY",
      })),
    ].join("\n"),
    "n8n-mcp",
  );
  assert.deepEqual(required(p), ["N8N_API_KEY", "N8N_API_URL"]);
});

Deno.test("kinds+ - with no env in any launch, the unmarked service URL of a list marking its optional keys is required", () => {
  const p = plan(
    [
      "# gatus-mcp",
      "## Usage",
      sh("./target/release/gatus-mcp stdio"),
      "### Environment Variables",
      "- `GATUS_API_URL`: The base URL of your Gatus instance (e.g., `http://localhost:8080`).",
      "- `GATUS_API_KEY`: (Optional) Your Gatus API key for authentication.",
      "- `GATUS_SERVER_PORT`: Port for the HTTP server (default: `8080`).",
    ].join("\n"),
    "gatus-mcp",
  );
  assert.deepEqual(required(p), ["GATUS_API_URL"]);
});

Deno.test("kinds+ - a binary `go install` provides is the repository's own launch, not the image beside it", () => {
  const p = plan(
    [
      "# mcp-panel",
      "### Install via go install",
      sh("go install github.com/alice/mcp-panel@latest"),
      "## Usage",
      "#### Using Local Binary",
      json(server("mcp-panel", [], { PANEL_TOKEN: "<your token>" })),
      "#### Running in Docker",
      json(server("docker", ["run", "-i", "--rm", "-e", "PANEL_TOKEN", "alice/panel-mcp-server"], {
        PANEL_TOKEN: "<your token>",
      })),
    ].join("\n"),
    "mcp-panel",
  );
  assert.equal(p.runtime, "source");
  assert.equal(p.command, "mcp-panel");
  assert.ok(
    p.install.includes("go install github.com/alice/mcp-panel@latest"),
    JSON.stringify(p.install),
  );
});

Deno.test("kinds+ - an SSE-mode example (`-transport sse`, `server http`) says nothing about the stdio launch's env", () => {
  const p = plan(
    [
      "# mcp-panel",
      sh("go install github.com/alice/mcp-panel@latest"),
      "### stdio Mode",
      json(
        server("mcp-panel", [], {
          PANEL_HOST: "such as http://localhost:8080",
          PANEL_TOKEN: "<token>",
        }),
      ),
      "### sse Mode",
      sh(
        "mcp-panel -host http://localhost:8080 -token <token> -transport sse -addr http://localhost:8000",
      ),
    ].join("\n"),
    "mcp-panel",
  );
  assert.deepEqual(required(p), ["PANEL_HOST", "PANEL_TOKEN"]);
});

Deno.test("kinds+ - a block introduced by 'recommended:' wins over its sibling", () => {
  const p = plan(
    [
      "# mindmap-mcp",
      "## With Claude Desktop",
      json(server("uvx", ["mindmap-mcp", "--return-type", "html"])),
      "or",
      "recommended:",
      json(server("uvx", ["mindmap-mcp", "--return-type", "filePath"])),
    ].join("\n"),
    "mindmap-mcp",
  );
  assert.deepEqual(p.args, ["mindmap-mcp", "--return-type", "filePath"]);
});

Deno.test("kinds+ - an inline `uv --directory … run mcp run main.py` is a checkout launch", () => {
  const p = plan(
    [
      "# mcp-server",
      "Add to Cursor via Cursor Settings -> MCP Servers:",
      "2. Command `uv --directory /{PATH_TO_REPO}/mcp-server run mcp run main.py`",
    ].join("\n"),
    "mcp-server",
  );
  assert.equal(p.runtime, "source");
  assert.deepEqual(p.args, [
    "--directory",
    "/{PATH_TO_REPO}/mcp-server",
    "run",
    "mcp",
    "run",
    "main.py",
  ]);
});

Deno.test("kinds+ - only an installer for the repository's binary: run it by name, the installer is the step", () => {
  const line =
    "curl -LsSf https://github.com/alice/fs-mcp/releases/download/v0.3.4/fs-mcp-installer.sh | sh";
  const p = plan(
    ["# fs-mcp", "### Quick installation", sh(line), sh("brew install alice/tap/fs-mcp")].join(
      "\n",
    ),
    "fs-mcp",
  );
  assert.equal(p.runtime, "source");
  assert.equal(p.command, "fs-mcp");
  assert.deepEqual(p.install, [line]);
});

Deno.test("kinds+ - a positional connection string moves to the env var the README names for it", () => {
  const p = plan(
    [
      "# mcp-mongo-server",
      "## Usage",
      sh("npx -y mcp-mongo-server mongodb://alice:secret@localhost:27017/database --read-only"),
      "### Environment Variables",
      "| Variable | Description |",
      "|---|---|",
      "| `MCP_MONGODB_URI` | MongoDB connection URI |",
      "| `MCP_MONGODB_READONLY` | Enable read-only mode |",
    ].join("\n"),
    "mcp-mongo-server",
  );
  assert.deepEqual(p.args, ["-y", "mcp-mongo-server", "--read-only"]);
  assert.deepEqual(required(p), ["MCP_MONGODB_URI"]);
});

Deno.test("kinds+ - smithery.yaml's start command env and config schema say which keys are required", () => {
  const yaml = [
    "startCommand:",
    "  type: stdio",
    "  configSchema:",
    "    type: object",
    "    required: [emailAddress]",
    "    properties:",
    "      emailAddress: { type: string, description: The address. }",
    "      smtpPort: { type: number }",
    "  commandFunction: |-",
    "    (config) => ({ command: 'x', env: { EMAIL_ADDRESS: config.emailAddress, SMTP_PORT: String(config.smtpPort) } })",
  ].join("\n");
  assert.deepEqual(readSmithery(yaml), {
    stdio: true,
    env: [
      { name: "EMAIL_ADDRESS", isRequired: true, description: "The address." },
      { name: "SMTP_PORT", isRequired: false },
    ],
  });
  assert.deepEqual(readSmithery("startCommand: 3").env, []);
});

Deno.test("kinds+ - keys offered as alternatives are not required on their own; aliases are not alternatives", () => {
  const keys = alternativeKeys([
    "Authenticate with either `ES_API_KEY` or `ES_USERNAME` and `ES_PASSWORD`.",
    "Set `GITHUB_TOKEN`/`GH_TOKEN` for higher limits.",
    "The `ALLOW_COMMANDS` (or its alias `ALLOWED_COMMANDS`) variable lists commands.",
  ].join("\n"));
  assert.deepEqual([...keys].sort(), [
    "ES_API_KEY",
    "ES_PASSWORD",
    "ES_USERNAME",
    "GH_TOKEN",
    "GITHUB_TOKEN",
  ]);
  const p = plan(
    [
      "# es-mcp",
      "Authenticate with either `ES_API_KEY` or `ES_USERNAME` and `ES_PASSWORD`.",
      "## Claude Desktop",
      json(server("npx", ["-y", "es-mcp"], { ES_URL: "<your-url>", ES_API_KEY: "<key>" })),
    ].join("\n"),
    "es-mcp",
  );
  assert.deepEqual(required(p), ["ES_URL"]);
});

Deno.test("kinds+ - 'You'll need an API key to use this server' makes the block's key required", () => {
  assert.deepEqual(requiredSecretKinds("You'll need a DeepL API key to use this server."), [
    "API_KEY",
  ]);
  assert.deepEqual(requiredSecretKinds("You need an API key if you want higher limits."), []);
  const p = plan(
    [
      "# deepl-mcp",
      "You'll need a DeepL API key to use this server.",
      "## Claude Desktop",
      json(server("npx", ["deepl-mcp"], { DEEPL_API_KEY: "{YOUR_API_KEY}" })),
      "## Usage",
      sh("npx -y deepl-mcp"),
    ].join("\n"),
    "deepl-mcp",
  );
  assert.deepEqual(required(p), ["DEEPL_API_KEY"]);
});

Deno.test("kinds+ - exports before a launch line in the same block are its env", () => {
  const p = plan(
    [
      "# vec-mcp",
      "### Running with npx",
      sh("export VEC_ORG_ID=YOUR_ORG_ID", "export VEC_TOKEN=YOUR_TOKEN", "npx -y vec-mcp"),
      "## Configuration on Claude",
      json(
        server("npx", ["-y", "vec-mcp"], { VEC_ORG_ID: "your-org-id", VEC_TOKEN: "your-token" }),
      ),
    ].join("\n"),
    "vec-mcp",
  );
  assert.deepEqual(required(p), ["VEC_ORG_ID", "VEC_TOKEN"]);
});

Deno.test("kinds+ - an identity placeholder flag is left for the user; a flag's documented default covers its env twin", () => {
  const p = plan(
    [
      "# hub-mcp",
      "## Claude Desktop",
      json(
        server("node", [
          "/FULL/PATH/TO/hub-mcp/dist/index.js",
          "--transport=stdio",
          "--username=YOUR_HUB_USERNAME",
        ], {
          DB_HOST: "localhost",
        }),
      ),
      "Or via command-line args:",
      "* `--host` the database host, `localhost` by default,",
    ].join("\n"),
    "hub-mcp",
  );
  assert.deepEqual(p.args, ["/FULL/PATH/TO/hub-mcp/dist/index.js", "--transport=stdio"]);
  assert.deepEqual(required(p), []);
  assert.deepEqual([
    ...flagDefaults("* `--token` GitHub token, no default\n* `--port` 8080 by default"),
  ], ["PORT"]);
});

Deno.test("kinds+ - a pyproject script run bare in a README that only clones runs the checkout's block", () => {
  const ev = gatherEvidence({
    readme: {
      path: "README.md",
      text: [
        "# alpha",
        "## Clone the project",
        sh("git clone https://github.com/alice/alpha.git"),
        "### Stdio Server (Default)",
        sh("alpha"),
        "### Usage with Claude Desktop",
        json(
          server("uv", ["--directory", "<DIR>/alpha", "run", "alpha"], {
            ALPHA_API_KEY: "YOUR_KEY",
          }),
        ),
      ].join("\n"),
    },
    files: {
      "pyproject.toml": '[project]\nname = "alpha"\n[project.scripts]\nalpha = "alpha:main"\n',
    },
    repoName: "alpha",
    subpath: null,
    owner: "alice",
  });
  assert.equal(ev.plan!.runtime, "source");
  assert.deepEqual([ev.plan!.command, ...ev.plan!.args], [
    "uv",
    "--directory",
    "<DIR>/alpha",
    "run",
    "alpha",
  ]);
});

Deno.test("kinds+ - a key in the hosted endpoint's query becomes a URL template and a required env var", () => {
  const p = plan(
    [
      "# ref-mcp",
      "## Setup",
      json({
        mcpServers: { Ref: { type: "http", url: "https://api.ref.dev/mcp?apiKey=YOUR_API_KEY" } },
      }),
      "Or set `REF_API_KEY` for the stdio server.",
    ].join("\n"),
    "ref-mcp",
  );
  assert.equal(p.runtime, "remote");
  assert.equal(p.url, "https://api.ref.dev/mcp?apiKey=${REF_API_KEY}");
  assert.deepEqual(required(p), ["REF_API_KEY"]);
  assert.deepEqual(p.headers, {});
});
