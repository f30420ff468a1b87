/**
 * @module Captures the real `tools/list` result of one MCP server over stdio into
 * `tests/bench/fixtures/tools/<name>.json`, for the tool-search retrieval benchmark.
 *
 * Usage:
 *   deno run -A tests/bench/capture_tools.ts NAME --source npx:PKG@VER [--env K=V]... -- CMD ARGS...
 *
 * Every page of `tools/list` is followed (nextCursor). The client advertises roots, sampling and
 * elicitation, as a desktop client does, so servers list the tools they gate on them. The server's stderr is discarded; the
 * environment passed to it is the host's plus each `--env` (dummy keys where a server insists on
 * one only to start). Exits non-zero, writing nothing, when the server does not answer in time.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

/** Parsed command line of the capture script. */
export interface CaptureArgs {
  /** Short server name: the fixture's file name and `server` field. */
  name: string;
  /** Where the server came from, `npx:PKG@VERSION` or `uvx:PKG==VERSION`. */
  source: string;
  /** Extra environment for the server process. */
  env: Record<string, string>;
  /** Command and arguments that start the server on stdio. */
  command: string[];
  /** Capture date written into the fixture (default: today, UTC). */
  captured: string;
  /** Give up after this many milliseconds (default 120000). */
  timeoutMs: number;
}

/**
 * Parses `NAME --source S [--env K=V]... [--captured D] [--timeout MS] -- CMD ARGS...`.
 * @throws Error when the name, the source or the command is missing.
 */
export function parseCaptureArgs(argv: string[]): CaptureArgs {
  const dash = argv.indexOf("--");
  const head = dash < 0 ? argv : argv.slice(0, dash);
  const command = dash < 0 ? [] : argv.slice(dash + 1);
  const env: Record<string, string> = {};
  let name = "";
  let source = "";
  let captured = new Date().toISOString().slice(0, 10);
  let timeoutMs = 120_000;
  for (let i = 0; i < head.length; i++) {
    const arg = head[i];
    if (arg === "--source") source = head[++i] ?? "";
    else if (arg === "--captured") captured = head[++i] ?? captured;
    else if (arg === "--timeout") timeoutMs = Number(head[++i] ?? timeoutMs);
    else if (arg === "--env") {
      const pair = head[++i] ?? "";
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (!name) name = arg;
  }
  if (!name || !source || command.length === 0) {
    throw new Error(
      "usage: capture_tools.ts NAME --source npx:PKG@VER [--env K=V]... -- CMD ARGS...",
    );
  }
  return { name, source, env, command, captured, timeoutMs };
}

/** Connects to the server, lists every tool (all pages) and closes the connection. */
export async function listAllTools(args: CaptureArgs): Promise<unknown[]> {
  const [cmd, ...rest] = args.command;
  const transport = new StdioClientTransport({
    command: cmd,
    args: rest,
    env: { ...Deno.env.toObject(), ...args.env },
    stderr: "ignore",
  });
  // Advertise what a desktop client does, so servers list the tools they gate on it.
  const client = new Client({ name: "mcp-router-capture", version: "1.0.0" }, {
    capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: {} },
  });
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [] }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${args.timeoutMs} ms`)),
      args.timeoutMs,
    );
  });
  try {
    return await Promise.race([deadline, collect(client, transport)]);
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => {});
  }
}

async function collect(client: Client, transport: StdioClientTransport): Promise<unknown[]> {
  await client.connect(transport);
  const tools: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

if (import.meta.main) {
  const args = parseCaptureArgs(Deno.args);
  const tools = await listAllTools(args);
  const out = new URL(`./fixtures/tools/${args.name}.json`, import.meta.url);
  await Deno.mkdir(new URL("./fixtures/tools/", import.meta.url), { recursive: true });
  const body = { server: args.name, source: args.source, captured: args.captured, tools };
  await Deno.writeTextFile(out, JSON.stringify(body, null, 2) + "\n");
  console.log(`${args.name}: ${tools.length} tools -> ${out.pathname}`);
  Deno.exit(0);
}
