/**
 * @module The compatibility suite's server list: popular MCP servers from npm and PyPI, chosen by
 * the registries' download figures (npm: downloads a month; PyPI: rank among the 15,000 most
 * downloaded), each with the arguments and dummy env values its README asks for, and where one
 * exists a harmless tool call that works without an account or the internet.
 */

/** One harmless tool call made through `/mcp?expose=tools` after the server tested ok. */
export interface CompatCall {
  /** The server's own tool name (the router lists it as `<server>__<tool>`). */
  tool: string;
  /** Its arguments (default `{}`). */
  arguments?: Record<string, unknown>;
  /** A substring the result's content must contain (case-insensitive); none = any non-error. */
  expect?: string;
}

/** One server of the suite, added the way a user adds it. */
export interface CompatServer {
  /** What a user types into "Add a server": `npx:PKG` or `uvx:PKG`. */
  source: string;
  /**
   * The arguments after the package, as the README shows them; they replace whatever follows the
   * package in the analyzed plan (none = keep the plan's).
   */
  args?: string[];
  /** Dummy env values (`PUT /api/servers/:id/env/:key`); never a real credential. */
  env?: Record<string, string>;
  /** A harmless tool call, or none where every tool needs the internet, an account or a mount. */
  call?: CompatCall;
  /** Why the server is configured so, or what it cannot do here. */
  note?: string;
}

/** How many servers must pass for the suite to pass. */
export const COMPAT_MIN_PASS = 25;

/** A dummy secret value: long enough for format checks, obviously fake. */
const DUMMY = "compat-dummy-0000000000000000000000000000";

/**
 * The suite: 21 npm servers and 13 PyPI servers, most downloaded first within each registry.
 * Left out: `@supabase/mcp-server-supabase` (its `tools/list` waits for supabase.com's docs
 * GraphQL schema, so it cannot list tools without the internet) and `@stripe/mcp` (a proxy to
 * mcp.stripe.com).
 */
export const COMPAT_SERVERS: readonly CompatServer[] = [
  // npm, by downloads a month
  {
    source: "npx:@playwright/mcp",
    args: ["--headless", "--isolated"],
    note: "every tool drives a browser; listing needs none",
  },
  {
    source: "npx:chrome-devtools-mcp",
    args: ["--headless", "--isolated"],
    note: "every tool drives Chrome; listing needs none",
  },
  { source: "npx:@upstash/context7-mcp", note: "tools query context7.com" },
  {
    source: "npx:@modelcontextprotocol/server-filesystem",
    args: ["/tmp"],
    call: { tool: "list_allowed_directories", expect: "/tmp" },
  },
  {
    source: "npx:@modelcontextprotocol/server-sequential-thinking",
    call: {
      tool: "sequentialthinking",
      arguments: {
        thought: "Check the router end to end.",
        nextThoughtNeeded: false,
        thoughtNumber: 1,
        totalThoughts: 1,
      },
      expect: "thoughtNumber",
    },
  },
  {
    source: "npx:@azure-devops/mcp",
    args: ["contoso"],
    note: "organisation name is a required argument; tools call dev.azure.com",
  },
  {
    source: "npx:@modelcontextprotocol/server-github",
    env: { GITHUB_PERSONAL_ACCESS_TOKEN: `ghp_${DUMMY}` },
  },
  {
    source: "npx:@modelcontextprotocol/server-memory",
    env: { MEMORY_FILE_PATH: "/tmp/memory.jsonl" },
    call: { tool: "read_graph", expect: "entities" },
  },
  {
    source: "npx:@modelcontextprotocol/server-postgres",
    args: ["postgresql://compat:compat@127.0.0.1:5432/compat"],
    note: "the database URL is a required argument; queries need a database",
  },
  {
    source: "npx:@modelcontextprotocol/server-everything",
    call: { tool: "echo", arguments: { message: "compat-hello" }, expect: "compat-hello" },
  },
  { source: "npx:@notionhq/notion-mcp-server", env: { NOTION_TOKEN: `ntn_${DUMMY}` } },
  {
    source: "npx:@circleci/mcp-server-circleci",
    env: { CIRCLECI_TOKEN: DUMMY, CIRCLECI_BASE_URL: "https://circleci.com" },
  },
  {
    source: "npx:n8n-mcp",
    env: { MCP_MODE: "stdio", LOG_LEVEL: "error", DISABLE_CONSOLE_OUTPUT: "true" },
    call: { tool: "tools_documentation", expect: "n8n" },
    note: "documentation tools work offline from its bundled SQLite database (better-sqlite3)",
  },
  {
    source: "npx:mongodb-mcp-server",
    args: ["--readOnly"],
    env: { MDB_MCP_CONNECTION_STRING: "mongodb://127.0.0.1:27017/compat" },
  },
  { source: "npx:tavily-mcp", env: { TAVILY_API_KEY: `tvly-${DUMMY}` } },
  {
    source: "npx:@modelcontextprotocol/server-slack",
    env: { SLACK_BOT_TOKEN: `xoxb-${DUMMY}`, SLACK_TEAM_ID: "T00000000" },
  },
  {
    source: "npx:@zereight/mcp-gitlab",
    env: {
      GITLAB_PERSONAL_ACCESS_TOKEN: `glpat-${DUMMY}`,
      GITLAB_API_URL: "https://gitlab.com/api/v4",
    },
  },
  { source: "npx:firecrawl-mcp", env: { FIRECRAWL_API_KEY: `fc-${DUMMY}` } },
  {
    source: "npx:@wonderwhy-er/desktop-commander",
    call: { tool: "get_config", expect: "blockedCommands" },
  },
  {
    source: "npx:@modelcontextprotocol/server-brave-search",
    env: { BRAVE_API_KEY: `BSA${DUMMY}` },
  },
  {
    source: "npx:@bytebase/dbhub",
    args: ["--transport", "stdio", "--demo"],
    call: { tool: "execute_sql", arguments: { sql: "SELECT 41 + 1 AS answer" }, expect: "42" },
    note: "demo mode is an in-memory SQLite database (better-sqlite3, a native addon)",
  },
  // PyPI, by download rank
  {
    source: "uvx:mcp-server-git",
    note: "every tool needs a repository (a mount); listing needs none",
  },
  {
    source: "uvx:awslabs.aws-documentation-mcp-server",
    env: { FASTMCP_LOG_LEVEL: "ERROR", AWS_DOCUMENTATION_PARTITION: "aws" },
    note: "tools read docs.aws.amazon.com",
  },
  { source: "uvx:mcp-server-fetch", note: "its one tool fetches a URL" },
  {
    source: "uvx:mcp-atlassian",
    env: {
      JIRA_URL: "https://compat.atlassian.net",
      JIRA_USERNAME: "compat@example.com",
      JIRA_API_TOKEN: DUMMY,
      CONFLUENCE_URL: "https://compat.atlassian.net/wiki",
      CONFLUENCE_USERNAME: "compat@example.com",
      CONFLUENCE_API_TOKEN: DUMMY,
    },
  },
  {
    source: "uvx:office-word-mcp-server",
    call: { tool: "list_available_documents", arguments: { directory: "/tmp" } },
  },
  { source: "uvx:excel-mcp-server", args: ["stdio", "--allow-dir", "/tmp"] },
  {
    source: "uvx:cli-mcp-server",
    env: { ALLOWED_DIR: "/tmp", ALLOWED_COMMANDS: "ls,pwd,echo", ALLOWED_FLAGS: "-l,-a" },
    call: { tool: "show_security_rules", expect: "echo" },
  },
  {
    source: "uvx:mcp-server-duckdb",
    args: ["--db-path", "/tmp/compat.duckdb"],
    call: { tool: "query", arguments: { query: "SELECT 41 + 1 AS answer" }, expect: "42" },
  },
  {
    source: "uvx:mcp-server-time",
    call: { tool: "get_current_time", arguments: { timezone: "UTC" }, expect: "UTC" },
  },
  {
    source: "uvx:chroma-mcp",
    args: ["--client-type", "ephemeral"],
    call: { tool: "chroma_list_collections" },
  },
  { source: "uvx:yfmcp", note: "tools read Yahoo Finance; needs Python >= 3.12" },
  { source: "uvx:duckduckgo-mcp-server", note: "tools search DuckDuckGo" },
  {
    source: "uvx:mcp-server-motherduck",
    args: ["--db-path", ":memory:", "--read-write"],
    call: { tool: "execute_query", arguments: { sql: "SELECT 41 + 1 AS answer" }, expect: "42" },
  },
];
