/**
 * @module Client `mcp add` lines (`claude mcp add NAME -e KEY=V -- npx -y pkg`, `codex mcp add …`,
 * `claude mcp add --transport http NAME URL -H …`): the launch they register.
 */

/** Client CLIs whose `mcp add` registers a server. */
const CLIENT_CLIS = /^(claude|codex|gemini|qwen|amp|cursor-agent)$/;

/**
 * Unwrap `claude mcp add [opts] NAME [--] CMD …` (also `codex`, `gemini`, `qwen`, `amp`…) into
 * its env, transport, headers and inner launch words; for a hosted server the "command" is its
 * URL. `-e A=1 B=2` takes every `KEY=VALUE` word that follows.
 * @returns null when `words` is not such a command
 */
export function unwrapClaudeMcpAdd(
  words: string[],
): {
  env: Record<string, string>;
  command: string;
  args: string[];
  transport: string | null;
  headers: Record<string, string>;
} | null {
  if (!CLIENT_CLIS.test(words[0] ?? "") || words[1] !== "mcp" || words[2] !== "add") {
    return null;
  }
  const env: Record<string, string> = {};
  const headers: Record<string, string> = {};
  let transport: string | null = null;
  const header = (h: string) => {
    const m = h.match(/^([A-Za-z0-9-]+)\s*[:=]\s*(.*)$/);
    if (m) headers[m[1]] = m[2];
  };
  let i = 3;
  let name: string | null = null;
  for (; i < words.length; i++) {
    const a = words[i];
    if (a === "--") {
      i++;
      break;
    }
    if (a === "-e" || a === "--env" || a.startsWith("--env=")) {
      const pairs = [a.startsWith("--env=") ? a.slice(6) : words[++i] ?? ""];
      while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i + 1] ?? "")) pairs.push(words[++i]);
      for (const p of pairs) {
        const m = p.match(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/);
        if (m) env[m[1]] = m[2];
      }
      continue;
    }
    if (a === "--transport" || a === "-t") {
      transport = words[++i] ?? null;
      continue;
    }
    if (a === "--header" || a === "-H") {
      header(words[++i] ?? "");
      continue;
    }
    if (a === "--scope" || a === "-s") {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    if (!name) {
      name = a;
      continue;
    }
    break;
  }
  if (i >= words.length) return null;
  const command = words[i];
  let args = words.slice(i + 1);
  if (/^https?:\/\//i.test(command)) {
    // Options may follow a URL: `claude mcp add -t http NAME URL -H "Authorization: …"`.
    const rest: string[] = [];
    for (let j = 0; j < args.length; j++) {
      if (args[j] === "--header" || args[j] === "-H") header(args[++j] ?? "");
      else if (args[j] === "--transport" || args[j] === "-t") transport = args[++j] ?? null;
      else rest.push(args[j]);
    }
    args = rest;
  }
  return { env, command, args, transport, headers };
}

/**
 * The Python SDK's `mcp install server.py [--name N] [-v K=V] [-f .env]` (also under `uv run`, and
 * FastMCP's `fastmcp install [claude-desktop] server.py`) registers the file with Claude Desktop,
 * which then runs `mcp run server.py` (`fastmcp run`): that launch's words and the env it sets.
 * @returns null when `words` is not such a command
 */
export function sdkInstallAsRun(
  words: string[],
): { words: string[]; env: Record<string, string> } | null {
  const prefix = words[0] === "uv" && words[1] === "run" ? 2 : 0;
  const tool = words[prefix];
  if ((tool !== "mcp" && tool !== "fastmcp") || words[prefix + 1] !== "install") return null;
  let i = prefix + 2;
  if (tool === "fastmcp" && /^(claude-desktop|claude-code|cursor)$/.test(words[i] ?? "")) i++;
  const file = words[i];
  if (!file || !/\.py(:\w+)?$/.test(file)) return null;
  const env: Record<string, string> = {};
  for (let j = i + 1; j < words.length - 1; j++) {
    if (words[j] === "-v" || words[j] === "--env-var" || words[j] === "--env") {
      const m = words[j + 1].match(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/);
      if (m) env[m[1]] = m[2];
    }
  }
  return { words: [...words.slice(0, prefix), tool, "run", file], env };
}
