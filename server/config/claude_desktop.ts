/**
 * @module Claude Desktop config: the `mcpServers` entry that runs this router, and a safe merge
 * into the OS's `claude_desktop_config.json`.
 */
import { z } from "zod";
import { inheritableSettingsEnv } from "../settings.ts";

/** One `mcpServers` entry. */
export interface McpServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** The name the router is registered under in Claude Desktop. */
export const ENTRY_NAME = "mcp-router";

/**
 * The stdio entry: Claude Desktop spawns the router with `stdio`.
 * @param launcher command + args that start `main.ts` (or the compiled binary)
 * @param dataDir the data dir the router should use
 * @param env the current environment: its settings variables (never secrets) are carried over,
 *   so the spawned router finds the same Podman socket, CA bundle and images
 */
export function stdioEntry(
  launcher: { command: string; args: string[] },
  dataDir: string,
  env: Record<string, string | undefined> = {},
): McpServerEntry {
  return {
    command: launcher.command,
    args: [...launcher.args, "stdio"],
    env: { ...inheritableSettingsEnv(env), MCP_ROUTER_DATA: dataDir },
  };
}

/**
 * The remote entry: Claude Desktop does not accept a bare URL, so bridge with `mcp-remote`. The
 * header goes through an env var without a space in the argument (Claude Desktop on Windows
 * splits arguments at spaces).
 * @param url the router's `/mcp` URL
 * @param key the API key to fill in (default: a placeholder)
 */
export function remoteEntry(url: string, key?: string): McpServerEntry {
  const plainHttp = url.startsWith("http://") && !isLocalUrl(url);
  return {
    command: "npx",
    args: [
      "-y",
      "mcp-remote",
      url,
      "--header",
      "Authorization:${MCP_ROUTER_AUTH}",
      ...(plainHttp ? ["--allow-http"] : []),
    ],
    env: { MCP_ROUTER_AUTH: `Bearer ${key ?? "<your API key from `main.ts keys create NAME`>"}` },
  };
}

/**
 * The same bridge as a shell command, to try from a terminal.
 * @param url the router's `/mcp` URL
 * @param key the API key to fill in (default: `${KEY}`)
 */
export function remoteCommand(url: string, key?: string): string {
  const plainHttp = url.startsWith("http://") && !isLocalUrl(url);
  return `npx -y mcp-remote ${url} --header "Authorization: Bearer ${key ?? "${KEY}"}"${
    plainHttp ? " --allow-http" : ""
  }`;
}

function isLocalUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || host.startsWith("127.");
}

/** What decides how this router is started again (see {@linkcode launcherFor}). */
export interface LaunchFacts {
  /** `Deno.execPath()`. */
  execPath: string;
  /** `Deno.version.deno`. */
  denoVersion: string;
  /** Absolute path of `main.ts`. */
  mainPath: string;
  /** Absolute path of `deno.json`. */
  configPath: string;
}

/** Whether a path lies in npm's `npx` cache (`~/.npm/_npx/<hash>/…`), which `npm cache clean` deletes. */
export function isNpxCachePath(path: string): boolean {
  return /[\\/]_npx[\\/]/.test(path);
}

/**
 * How to start this router: the compiled binary itself; a stable `deno` install with
 * `run -A main.ts`; or — when `deno` runs from the npx cache — `npx -y deno@VERSION run -A
 * main.ts`, never a path into that cache.
 */
export function launcherFor(facts: LaunchFacts): { command: string; args: string[] } {
  const isDeno = /(^|\/|\\)deno(\.exe)?$/.test(facts.execPath);
  if (!isDeno) return { command: facts.execPath, args: [] };
  const run = ["run", "-A", "--config", facts.configPath, facts.mainPath];
  if (isNpxCachePath(facts.execPath)) {
    return { command: "npx", args: ["-y", `deno@${facts.denoVersion}`, ...run] };
  }
  return { command: facts.execPath, args: run };
}

/** How to start this router from its current install (see {@linkcode launcherFor}). */
export function currentLauncher(): { command: string; args: string[] } {
  return launcherFor({
    execPath: Deno.execPath(),
    denoVersion: Deno.version.deno,
    mainPath: decodeURIComponent(new URL("../../main.ts", import.meta.url).pathname),
    configPath: decodeURIComponent(new URL("../../deno.json", import.meta.url).pathname),
  });
}

/**
 * Where Claude Desktop keeps its config on this OS.
 * @param os `Deno.build.os`
 * @param env environment (HOME, APPDATA)
 */
export function claudeDesktopConfigPath(
  os: string,
  env: Record<string, string | undefined>,
): string {
  const home = env.HOME ?? env.USERPROFILE ?? ".";
  if (os === "darwin") {
    return `${home}/Library/Application Support/Claude/claude_desktop_config.json`;
  }
  if (os === "windows") {
    return `${env.APPDATA ?? `${home}\\AppData\\Roaming`}\\Claude\\claude_desktop_config.json`;
  }
  return `${env.XDG_CONFIG_HOME ?? `${home}/.config`}/Claude/claude_desktop_config.json`;
}

/** Thrown when the existing config file is not valid JSON (it is left untouched). */
export class InvalidConfigError extends Error {
  override name = "InvalidConfigError";
}

const ConfigFileSchema = z.object({
  mcpServers: z.record(z.string(), z.unknown()).optional(),
}).passthrough();

/**
 * Merge `entry` into the config at `path`, keeping every other entry; writes `<path>.bak` first.
 * @returns what happened: `created` or `updated`
 * @throws {InvalidConfigError} when the existing file is not a JSON object
 */
export async function installEntry(
  path: string,
  entry: McpServerEntry,
  name = ENTRY_NAME,
): Promise<"created" | "updated"> {
  let existing: string | null = null;
  try {
    existing = await Deno.readTextFile(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  let config: z.infer<typeof ConfigFileSchema> = {};
  if (existing !== null && existing.trim() !== "") {
    let raw: unknown;
    try {
      raw = JSON.parse(existing);
    } catch (err) {
      throw new InvalidConfigError(
        `${path} is not valid JSON (${(err as Error).message}); left unchanged`,
      );
    }
    const parsed = ConfigFileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InvalidConfigError(`${path} is not a JSON object; left unchanged`);
    }
    config = parsed.data;
    await Deno.writeTextFile(`${path}.bak`, existing);
  }
  const next = { ...config, mcpServers: { ...(config.mcpServers ?? {}), [name]: entry } };
  const dir = path.replace(/[\\/][^\\/]*$/, "");
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(next, null, 2) + "\n");
  await Deno.rename(tmp, path);
  return existing === null ? "created" : "updated";
}
