/**
 * @module Run the router's CLI (`main.ts …`) against a data dir, as an operator would while
 * `serve` runs on the same data dir.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** What a CLI run printed and its exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `main.ts ...args` with `MCP_ROUTER_DATA=dataDir`.
 * @param dataDir the router's data dir
 * @param args the CLI arguments
 */
export async function cli(dataDir: string, ...args: string[]): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${REPO}/deno.json`, `${REPO}/main.ts`, ...args],
    env: {
      MCP_ROUTER_DATA: dataDir,
      MCP_ROUTER_PODMAN_SOCKET: `${dataDir}/none.sock`,
      MCP_ROUTER_LOG_LEVEL: "warn",
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** Create a key through the CLI and return the plain key. */
export async function createKey(
  dataDir: string,
  name: string,
  scope: "mcp" | "admin" = "mcp",
): Promise<string> {
  const r = await cli(dataDir, "keys", "create", name, "--scope", scope);
  if (r.code !== 0) throw new Error(`keys create failed: ${r.stderr}`);
  return r.stdout.trim().split("\n").at(-1)!;
}
