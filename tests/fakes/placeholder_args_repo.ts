/**
 * @module A fake GitHub repository whose README launch passes identity and key arguments with
 * placeholder values and names no env var for them (`--username=YOUR_USERNAME`,
 * `--password your_password`): the analyzer leaves them out of the args as `arg_fields`.
 */
import type { FakeRepo } from "./github.ts";

/** Its GitHub URL (serve it with `startFakeGithub([PLACEHOLDER_ARGS_REPO])`). */
export const PLACEHOLDER_ARGS_URL = "https://github.com/demo-org/demodb-mcp";

const README = `# demodb-mcp

An MCP server for DemoDB: query your DemoDB databases.

## Usage with Claude Desktop

\`\`\`json
{
  "mcpServers": {
    "demodb": {
      "command": "npx",
      "args": ["-y", "demodb-mcp", "--username=YOUR_USERNAME", "--password", "your_password"]
    }
  }
}
\`\`\`
`;

/** The repository. */
export const PLACEHOLDER_ARGS_REPO: FakeRepo = {
  repo: "demo-org/demodb-mcp",
  subpath: null,
  readme: README,
  files: { "package.json": JSON.stringify({ name: "demodb-mcp", bin: "dist/index.js" }) },
};
