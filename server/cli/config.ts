/**
 * @module CLI verb `config claude-desktop [--install] [--remote URL]`.
 */
import {
  claudeDesktopConfigPath,
  currentLauncher,
  ENTRY_NAME,
  installEntry,
  remoteEntry,
  stdioEntry,
} from "../config/claude_desktop.ts";
import { parseVerb, UsageError } from "./args.ts";
import { out } from "./output.ts";

/** Help for `config`. */
export const CONFIG_HELP =
  `Usage: main.ts config claude-desktop [--install] [--remote URL] [--path FILE]

Print the mcpServers entry that runs this router for Claude Desktop.
  --install       merge it into Claude Desktop's claude_desktop_config.json (a .bak is written)
  --remote URL    print/install the mcp-remote bridge entry for a remote router's /mcp URL
  --path FILE     config file to install into (default: this OS's Claude Desktop config)`;

/** `config claude-desktop`. */
export async function configVerb(
  args: string[],
  deps: { dataDir: string; env: Record<string, string | undefined> },
): Promise<number> {
  const { values, positionals } = parseVerb(args, {
    install: { type: "boolean" },
    remote: { type: "string" },
    path: { type: "string" },
  });
  if (values.help) {
    out(CONFIG_HELP);
    return 0;
  }
  if (positionals[0] !== "claude-desktop" || positionals.length !== 1) {
    throw new UsageError("usage: config claude-desktop [--install]");
  }
  const entry = values.remote
    ? remoteEntry(values.remote)
    : stdioEntry(currentLauncher(), deps.dataDir, deps.env);
  if (!values.install) {
    out(JSON.stringify({ mcpServers: { [ENTRY_NAME]: entry } }, null, 2));
    return 0;
  }
  const path = values.path ?? claudeDesktopConfigPath(Deno.build.os, deps.env);
  const what = await installEntry(path, entry);
  out(`${what} ${path} (entry '${ENTRY_NAME}'); restart Claude Desktop to load it`);
  return 0;
}
