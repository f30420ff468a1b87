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
