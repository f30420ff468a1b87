/**
 * @module MCP Router command line: `serve`, `stdio`, `add`, `list`, `remove`, `env`, `config`,
 * `images`, `keys`. Exit codes: 0 ok, 2 usage error, 1 failure with a one-line message.
 */
import { loadSettings, type Settings, SETTINGS_ENV_VARS } from "./server/settings.ts";
import { openServices } from "./server/composition/wiring.ts";
import { UsageError } from "./server/cli/args.ts";
import { err, out } from "./server/cli/output.ts";
import { addVerb, envVerb, listVerb, removeVerb } from "./server/cli/servers.ts";
import { configVerb } from "./server/cli/config.ts";
import { serveVerb } from "./server/cli/serve.ts";
import { AppError } from "./server/errors.ts";
import { adminVerb, imagesVerb, keysVerb, secretsVerb, testVerb } from "./server/cli/admin.ts";
import { oauthVerb } from "./server/cli/oauth.ts";
import { authVerb } from "./server/cli/auth.ts";

const HELP = `MCP Router — one MCP server that hands your client every MCP server you add,
each launched on demand in a fresh rootless Podman container.

Usage: main.ts <command> [options]   (each command takes --help)

Commands:
  serve [--port N] [--host H]     admin UI, REST API, MCP over /mcp and /sse
  stdio                           MCP over stdio (what Claude Desktop spawns)
  add <source>                    add a server: GitHub URL, npx:PKG, uvx:PKG, image:REF, MCP URL
  list                            list servers
  remove <name>                   delete a server
  env set <name> KEY              set an env value (read from stdin)
  test <name>                     launch a server once and list its tools
  config claude-desktop           print (or --install) the Claude Desktop entry
  images build                    build the runtime images
  keys create|list|revoke         manage API keys (create NAME --scope mcp|admin)
  admin set-password              set the admin UI password
  oauth grants|revoke             list or revoke OAuth clients' grants (Claude connectors)
  auth <name>                     authorize the router at an OAuth-protected remote server
  secrets rotate                  re-encrypt every secret under a new key

Settings (environment): ${SETTINGS_ENV_VARS.join(", ")}`;

type Verb = (args: string[], settings: Settings) => Promise<number>;

const withServices = (
  run: (args: string[], services: Awaited<ReturnType<typeof openServices>>) => Promise<number>,
): Verb =>
async (args, settings) => {
  const services = await openServices(settings);
  try {
    return await run(args, services);
  } finally {
    await services.close();
  }
};

const VERBS: Record<string, Verb> = {
  serve: (args, settings) => serveVerb(args, settings, "http"),
  stdio: (args, settings) => serveVerb(args, settings, "stdio"),
  add: withServices(addVerb),
  list: withServices(listVerb),
  remove: withServices(removeVerb),
  env: withServices(envVerb),
  images: imagesVerb,
  keys: withServices(keysVerb),
  admin: withServices(adminVerb),
  oauth: withServices(oauthVerb),
  auth: withServices(authVerb),
  secrets: withServices(secretsVerb),
  test: withServices(testVerb),
  config: (args, settings) =>
    configVerb(args, { dataDir: settings.dataDir, env: Deno.env.toObject() }),
};

/** Run the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === "--help" || verb === "-h" || verb === "help") {
    out(HELP);
    return verb ? 0 : 2;
  }
  const run = VERBS[verb];
  if (!run) {
    err(`unknown command '${verb}'\n\n${HELP}`);
    return 2;
  }
  try {
    return await run(rest, loadSettings());
  } catch (e) {
    if (e instanceof UsageError) {
      err(`usage error: ${e.message} (see main.ts ${verb} --help)`);
      return 2;
    }
    err(
      `error: ${
        e instanceof AppError || e instanceof Error ? e.message.split("\n")[0] : String(e)
      }`,
    );
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
