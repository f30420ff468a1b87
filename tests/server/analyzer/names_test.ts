/**
 * @module Tests for server names derived from sources. The npm and PyPI names are real, popular
 * packages (taken from the registries' download figures); a name that says nothing (`mcp`,
 * `server`) must never be the result.
 */
import assert from "node:assert/strict";
import {
  deriveServerNames,
  displayNameFor,
  stripMcpAffixes,
} from "../../../server/analyzer/server_names.ts";
import { planFromSource } from "../../../server/analyzer/source_plan.ts";
import { ServerNameSchema } from "../../../server/schemas/server.ts";

/** Real npm packages (monthly downloads at the time of writing in the comment) → name, display. */
const NPM: [string, string, string][] = [
  ["@playwright/mcp", "playwright", "Playwright"], // 6.3 M
  ["chrome-devtools-mcp", "chrome-devtools", "Chrome DevTools"], // 1.8 M
  ["@upstash/context7-mcp", "context7", "Context7"], // 1.4 M
  ["@modelcontextprotocol/server-filesystem", "filesystem", "Filesystem"], // 1.1 M
  [
    "@modelcontextprotocol/server-sequential-thinking",
    "sequential-thinking",
    "Sequential Thinking",
  ],
  ["@azure-devops/mcp", "azure-devops", "Azure DevOps"], // 286 k
  ["@supabase/mcp-server-supabase", "supabase", "Supabase"],
  ["@modelcontextprotocol/server-github", "github", "GitHub"],
  ["@modelcontextprotocol/server-memory", "memory", "Memory"],
  ["@modelcontextprotocol/server-postgres", "postgres", "Postgres"],
  ["@azure/mcp", "azure", "Azure"],
  ["@notionhq/notion-mcp-server", "notion", "Notion"],
  ["@circleci/mcp-server-circleci", "circleci", "CircleCI"],
  ["@stripe/mcp", "stripe", "Stripe"],
  ["tavily-mcp", "tavily", "Tavily"],
  ["@modelcontextprotocol/server-slack", "slack", "Slack"],
  ["mongodb-mcp-server", "mongodb", "MongoDB"],
  ["@zereight/mcp-gitlab", "gitlab", "GitLab"],
  ["firecrawl-mcp", "firecrawl", "Firecrawl"],
  ["@salesforce/mcp", "salesforce", "Salesforce"],
  ["@sentry/mcp-server", "sentry", "Sentry"],
  ["@launchdarkly/mcp-server", "launchdarkly", "LaunchDarkly"],
  ["figma-developer-mcp", "figma-developer", "Figma Developer"],
  ["@executeautomation/playwright-mcp-server", "playwright", "Playwright"],
  ["@eslint/mcp", "eslint", "ESLint"],
  ["@winor30/mcp-server-datadog", "datadog", "Datadog"],
  ["@dynatrace-oss/dynatrace-mcp-server", "dynatrace", "Dynatrace"],
  ["@cocal/google-calendar-mcp", "google-calendar", "Google Calendar"],
  ["@hubspot/mcp-server", "hubspot", "HubSpot"],
  ["@perplexity-ai/mcp-server", "perplexity-ai", "Perplexity AI"],
  ["@google-cloud/cloud-run-mcp", "cloud-run", "Cloud Run"],
  ["@brave/brave-search-mcp-server", "brave-search", "Brave Search"],
  ["slack-mcp-server", "slack", "Slack"],
  ["mcp-server-kubernetes", "kubernetes", "Kubernetes"],
  ["@aashari/mcp-server-atlassian-jira", "atlassian-jira", "Atlassian Jira"],
  ["exa-mcp-server", "exa", "Exa"],
  ["@ivotoby/openapi-mcp-server", "openapi", "OpenAPI"],
  ["n8n-mcp", "n8n", "n8n"],
];

/** Real PyPI packages (among the 15,000 most downloaded) → name, display. */
const PYPI: [string, string, string][] = [
  ["mcp-server-qdrant", "qdrant", "Qdrant"],
  ["mcp-server-git", "git", "Git"],
  ["awslabs-aws-documentation-mcp-server", "aws-documentation", "AWS Documentation"],
  ["awslabs.aws-documentation-mcp-server", "aws-documentation", "AWS Documentation"],
  ["mcp-server-fetch", "fetch", "Fetch"],
  ["mcp-atlassian", "atlassian", "Atlassian"],
  ["office-word-mcp-server", "office-word", "Office Word"],
  ["databricks-mcp", "databricks", "Databricks"],
  ["excel-mcp-server", "excel", "Excel"],
  ["duckduckgo-mcp-server", "duckduckgo", "DuckDuckGo"],
  ["cli-mcp-server", "cli", "CLI"],
  ["lean-lsp-mcp", "lean-lsp", "Lean LSP"],
  ["awslabs-aws-api-mcp-server", "aws-api", "AWS API"],
  ["mcp-server-duckdb", "duckdb", "DuckDB"],
  ["mcp-server-time", "time", "Time"],
  ["workspace-mcp", "workspace", "Workspace"],
  ["chroma-mcp", "chroma", "Chroma"],
  ["snowflake-labs-mcp", "snowflake-labs", "Snowflake Labs"],
  ["mcp-clickhouse", "clickhouse", "ClickHouse"],
  ["blender-mcp", "blender", "Blender"],
  ["awslabs-aws-iac-mcp-server", "aws-iac", "AWS IaC"],
  ["arxiv-mcp-server", "arxiv", "arXiv"],
  ["opensearch-mcp-server-py", "opensearch", "OpenSearch"],
  ["dbt-mcp", "dbt", "dbt"],
  ["markitdown-mcp", "markitdown", "MarkItDown"],
  ["fastapi-mcp", "fastapi", "FastAPI"],
];

Deno.test("names - real npm packages get their meaningful part", () => {
  for (const [spec, name, display] of NPM) {
    assert.deepEqual(
      deriveServerNames({ kind: "npm", spec }),
      { name, display_name: display },
      spec,
    );
  }
});

Deno.test("names - real PyPI packages get their meaningful part", () => {
  for (const [spec, name, display] of PYPI) {
    assert.deepEqual(
      deriveServerNames({ kind: "pypi", spec }),
      { name, display_name: display },
      spec,
    );
  }
});

Deno.test("names - every derived name is a valid server name, never a generic word", () => {
  assert.ok(NPM.length + PYPI.length >= 40);
  for (const [spec] of NPM) {
    const { name } = deriveServerNames({ kind: "npm", spec });
    ServerNameSchema.parse(name);
    assert.ok(!["mcp", "server", "mcp-server"].includes(name), spec);
  }
  for (const [spec] of PYPI) ServerNameSchema.parse(deriveServerNames({ kind: "pypi", spec }).name);
});

Deno.test("names - versions, tags, extras and constraints are not part of the name", () => {
  const npm = (spec: string) => deriveServerNames({ kind: "npm", spec }).name;
  const pypi = (spec: string) => deriveServerNames({ kind: "pypi", spec }).name;
  assert.equal(npm("@playwright/mcp@latest"), "playwright");
  assert.equal(npm("@modelcontextprotocol/server-everything@1.2.0"), "everything");
  assert.equal(npm("tavily-mcp@0.2.1"), "tavily");
  assert.equal(pypi("mcp-server-fetch==2025.1.1"), "fetch");
  assert.equal(pypi("mcp-server-git>=0.6"), "git");
  assert.equal(pypi("mcp-atlassian@latest"), "atlassian");
  assert.equal(pypi("markitdown-mcp[all]"), "markitdown");
  assert.equal(pypi("awslabs.aws-documentation-mcp-server@latest"), "aws-documentation");
});

Deno.test("names - a generic last segment falls back to the scope or namespace", () => {
  for (
    const [spec, name] of [
      ["@acme/mcp", "acme"],
      ["@acme/server", "acme"],
      ["@acme/mcp-server", "acme"],
      ["@acme/server-mcp", "acme"],
      ["@acme/mcp-server-js", "acme"],
      ["@acme/node", "acme"],
      ["@acme/cli", "acme"],
      ["@acme/sdk", "acme"],
      ["@acme-corp/mcp", "acme-corp"],
    ]
  ) {
    assert.equal(deriveServerNames({ kind: "npm", spec }).name, name, spec);
  }
  assert.equal(deriveServerNames({ kind: "pypi", spec: "acme.mcp-server" }).name, "acme");
  // Nothing meaningful anywhere: keep what there is rather than invent.
  assert.equal(deriveServerNames({ kind: "pypi", spec: "mcp" }).name, "mcp");
  assert.equal(deriveServerNames({ kind: "npm", spec: "___" }).name, "server");
});

Deno.test("names - images, GitHub repositories and URLs follow the same rules", () => {
  const image = (ref: string) => deriveServerNames({ kind: "image", ref });
  assert.deepEqual(image("ghcr.io/github/github-mcp-server"), {
    name: "github",
    display_name: "GitHub",
  });
  assert.equal(
    image("ghcr.io/github/github-mcp-server:v0.9@sha256:" + "a".repeat(64)).name,
    "github",
  );
  assert.equal(image("mcp/filesystem").name, "filesystem");
  assert.equal(image("docker.io/sonarsource/sonarqube-mcp:1.2").name, "sonarqube");
  assert.equal(image("docker.io/acme/mcp-server:latest").name, "acme");
  assert.equal(image("localhost:5000/team/notes-mcp").name, "notes");

  const gh = (owner: string, repo: string, subpath?: string) =>
    deriveServerNames({ kind: "github", owner, repo, subpath }).name;
  assert.equal(gh("github", "github-mcp-server"), "github");
  assert.equal(gh("brave", "brave-search-mcp-server"), "brave-search");
  assert.equal(gh("modelcontextprotocol", "servers", "src/fetch"), "fetch");
  assert.equal(gh("stripe", "agent-toolkit", "tools/modelcontextprotocol"), "agent-toolkit");
  assert.equal(gh("acme", "mcp", "typescript"), "acme");
  assert.equal(gh("GLips", "Figma-Context-MCP"), "figma-context");
  assert.equal(gh("isaacphi", "mcp-language-server"), "language-server");
  assert.equal(gh("SonarSource", "sonarqube-mcp-server"), "sonarqube");

  const url = (u: string) => deriveServerNames({ kind: "remote", url: u }).name;
  assert.equal(url("https://mcp.example.com/sse"), "example");
  assert.equal(url("https://mcp.neon.tech/mcp"), "neon");
  assert.equal(url("https://mcp.deepwiki.com/mcp"), "deepwiki");
  assert.equal(url("https://huggingface.co/mcp"), "huggingface");
  assert.equal(url("https://mcp.example.co.uk/mcp"), "example");
  assert.equal(url("https://weather-mcp.vercel.app/mcp"), "weather");
  assert.equal(url("http://localhost:8931/mcp"), "localhost-8931");
  assert.equal(url("http://127.0.0.1:3000/mcp"), "remote-3000");
});

Deno.test("names - plans from sources carry the derived names", () => {
  const cases: [string, string, string][] = [
    ["npx:@azure-devops/mcp", "azure-devops", "Azure DevOps"],
    ["npx:@modelcontextprotocol/server-slack", "slack", "Slack"],
    ["uvx:mcp-server-git", "git", "Git"],
    ["uvx:awslabs.aws-documentation-mcp-server@latest", "aws-documentation", "AWS Documentation"],
    ["image:ghcr.io/github/github-mcp-server", "github", "GitHub"],
    ["https://mcp.example.com/sse", "example", "Example"],
  ];
  for (const [source, name, display] of cases) {
    const plan = planFromSource(source);
    assert.equal(plan.name, name, source);
    assert.equal(plan.display_name, display, source);
  }
});

Deno.test("names - affixes are stripped at the edges only; display keeps acronyms and brands", () => {
  assert.equal(stripMcpAffixes("mcp-server-git"), "git");
  assert.equal(stripMcpAffixes("hono-mcp-server-sse-transport"), "hono-mcp-server-sse-transport");
  assert.equal(stripMcpAffixes("mcp_server_foo"), "foo");
  assert.equal(stripMcpAffixes("fastmcp"), "fastmcp");
  assert.equal(stripMcpAffixes("foo-server-mcp"), "foo");
  assert.equal(stripMcpAffixes("mcp-server"), "server");
  assert.equal(displayNameFor("aws-kb-retrieval"), "AWS KB Retrieval");
  assert.equal(displayNameFor("github-api"), "GitHub API");
  assert.equal(displayNameFor("sql-db"), "SQL DB");
  assert.equal(displayNameFor("azure-devops"), "Azure DevOps");
});

Deno.test("names - long names are cut to 48 characters without a trailing dash", () => {
  const { name } = deriveServerNames({ kind: "npm", spec: `${"very-long-".repeat(8)}mcp` });
  assert.ok(name.length <= 48);
  ServerNameSchema.parse(name);
  assert.ok(!name.endsWith("-"));
});
