/**
 * @module Launch-line interpretation: turns a command and its arguments (from a config block or
 * a shell line) into a runtime-specific launch — npx / uvx / `uv run --with` / docker run /
 * go install / a bare binary — without deciding which one is recommended.
 */
import type { Runtime, Transport } from "../schemas/server.ts";

/** A launch as the README writes it, interpreted. */
export interface Launch {
  runtime: Runtime;
  command: string | null;
  args: string[];
  /** npm/PyPI package, Go module or image the launch installs. */
  package: string | null;
  image: string | null;
  url: string | null;
  transport: Transport;
  /** Env keys the launch passes (block `env`, `-e KEY`, `KEY=value` prefixes) → value. */
  env: Record<string, string>;
  /** Things dropped or odd about the launch (docker volume flags…). */
  notes: string[];
  /** True for `cmd /c …` wrappers (Windows-only variants). */
  windowsWrapper: boolean;
  /** Request header templates of a remote launch (`${VAR}` placeholders). */
  headers?: Record<string, string>;
}

/** npm packages that are helpers (installers, inspectors), never the server itself. */
export const HELPER_PACKAGES = new Set([
  "@modelcontextprotocol/inspector",
  "@smithery/cli",
  "@michaellatman/mcp-get",
  "add-mcp",
  "mcp-get",
  "install-mcp",
  "@anthropic-ai/dxt",
  "mcp-eval",
  "playwright",
  "tsx",
  "ts-node",
  "typescript",
]);

const DOCKER_VALUE_FLAGS = new Set([
  "-e",
  "--env",
  "-v",
  "--volume",
  "--mount",
  "-p",
  "--publish",
  "--name",
  "--network",
  "--net",
  "--entrypoint",
  "-w",
  "--workdir",
  "-u",
  "--user",
  "--env-file",
  "--platform",
  "--add-host",
  "-l",
  "--label",
  "--cpus",
  "-m",
  "--memory",
  "--pull",
  "--hostname",
  "-h",
  "--cap-add",
  "--device",
  "--ipc",
  "--shm-size",
  "--security-opt",
]);

/** Strip an npm version (`@scope/pkg@1.2` → `@scope/pkg`). */
export function npmBaseName(spec: string): string {
  const at = spec.lastIndexOf("@");
  return at > 0 ? spec.slice(0, at) : spec;
}

/** Normalise a PyPI name for comparison (PEP 503), dropping extras and version constraints. */
export function pypiBaseName(spec: string): string {
  return spec.replace(/\[.*?\]/, "").replace(/(==|>=|<=|~=|!=|>|<|@).*$/, "").toLowerCase()
    .replace(/[-_.]+/g, "-");
}

/** Normalise an image reference for comparison: no `docker.io/`, `library/`, tag or digest. */
export function imageBaseName(ref: string): string {
  return ref.replace(/@sha256:.*$/, "").replace(/:[^/:]+$/, "").replace(/^docker\.io\//, "")
    .replace(/^index\.docker\.io\//, "").replace(/^library\//, "").toLowerCase();
}

function transportFromArgs(args: string[]): Transport {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = a.startsWith("--transport=") ? a.slice(12) : a === "--transport" ? args[i + 1] : null;
    if (v) {
      if (/^sse$/i.test(v)) return "sse";
      if (/http/i.test(v)) return "http";
    }
  }
  return "stdio";
}

function parseNpx(args: string[], base: Omit<Launch, "runtime">): Launch | null {
  let i = 0;
  let pkg: string | null = null;
  const rest: string[] = [];
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "-y" || a === "--yes" || a === "-q" || a === "--quiet") continue;
    if (a === "-p" || a === "--package") {
      pkg = args[++i] ?? null;
      continue;
    }
    if (a.startsWith("--package=")) {
      pkg = a.slice(10);
      continue;
    }
    if (a === "--") continue;
    if (a.startsWith("-")) continue;
    break;
  }
  const target = args[i];
  if (!target) return null;
  if (!pkg) pkg = target;
  rest.push(...args.slice(i + 1));
  const finalArgs = pkg === target
    ? ["-y", target, ...rest]
    : ["-y", "--package", pkg, target, ...rest];
  return {
    ...base,
    runtime: "npx",
    command: "npx",
    args: finalArgs,
    package: pkg,
    transport: transportFromArgs(rest),
  };
}

function parseUvx(args: string[], base: Omit<Launch, "runtime">): Launch | null {
  let from: string | null = null;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--from") {
      from = args[++i] ?? null;
      continue;
    }
    if (a.startsWith("--from=")) {
      from = a.slice(7);
      continue;
    }
    if (["--python", "-p", "--with", "--index-url", "--extra-index-url", "--index"].includes(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    break;
  }
  const target = args[i];
  if (!target) return null;
  return {
    ...base,
    runtime: "uvx",
    command: "uvx",
    args: [...args],
    package: from ?? target,
    transport: transportFromArgs(args.slice(i + 1)),
  };
}

function parseUvRun(args: string[], base: Omit<Launch, "runtime">): Launch | null {
  // uv run --with PKG CMD …   |   uv tool run PKG …
  if (args[0] === "tool" && args[1] === "run") return parseUvx(args.slice(2), base);
  if (args[0] !== "run") return null;
  let withPkg: string | null = null;
  for (let i = 1; i < args.length; i++) {
    if (args[i] === "--with") withPkg = args[i + 1] ?? null;
    else if (args[i].startsWith("--with=")) withPkg = args[i].slice(7);
  }
  if (!withPkg) return null;
  return {
    ...base,
    runtime: "uvx",
    command: "uv",
    args: [...args],
    package: withPkg,
    transport: transportFromArgs(args),
  };
}

function parseDockerRun(args: string[], base: Omit<Launch, "runtime">): Launch | null {
  if (args[0] !== "run") return null;
  const env: Record<string, string> = { ...base.env };
  const notes: string[] = [...base.notes];
  let i = 1;
  for (; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("-")) break;
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const inlineValue = a.startsWith("--") && eq > 0 ? a.slice(eq + 1) : null;
    if (DOCKER_VALUE_FLAGS.has(flag)) {
      const value = inlineValue ?? args[++i] ?? "";
      if (flag === "-e" || flag === "--env") {
        const m = value.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/);
        if (m) env[m[1]] = m[2] ?? env[m[1]] ?? "";
      } else if (
        ["-v", "--volume", "--mount", "-p", "--publish", "--network", "--net"].includes(flag)
      ) {
        notes.push(
          `docker ${flag} ${value} is not applied (mounts/ports are managed by the router)`,
        );
      }
    }
  }
  const image = args[i];
  if (!image) return null;
  return {
    ...base,
    runtime: "image",
    command: null,
    args: args.slice(i + 1),
    package: image,
    image,
    env,
    notes,
    transport: transportFromArgs(args.slice(i + 1)),
  };
}

/**
 * Interpret one launch.
 * @param command the command (`npx`, `uvx`, `docker`, a binary…) or null for URL-only entries
 * @param args its arguments
 * @param extra env keys, URL and `type` from the surrounding config entry
 * @returns null when the line is not a server launch (helpers, installers, unknown tools)
 */
export function interpretLaunch(
  command: string | null,
  args: string[],
  extra: { env?: Record<string, string>; url?: string | null; type?: string | null } = {},
): Launch | null {
  const base: Omit<Launch, "runtime"> = {
    command,
    args: [...args],
    package: null,
    image: null,
    url: null,
    transport: "stdio",
    env: { ...(extra.env ?? {}) },
    notes: [],
    windowsWrapper: false,
  };
  if (!command) {
    const url = extra.url ?? null;
    if (!url || !/^https?:\/\//i.test(url)) return null;
    const t = (extra.type ?? "").toLowerCase();
    const transport: Transport = t === "sse" || (!t && /\/sse\/?(\?|$)/i.test(url))
      ? "sse"
      : "http";
    return { ...base, runtime: "remote", url, transport };
  }
  let cmd = command.trim();
  let rest = [...args];
  // `cmd /c npx …` (Windows) and `sh -c "…"` wrappers.
  if (/^cmd(\.exe)?$/i.test(cmd) && /^\/c$/i.test(rest[0] ?? "")) {
    const inner = interpretLaunch(rest[1] ?? null, rest.slice(2), extra);
    return inner ? { ...inner, windowsWrapper: true } : null;
  }
  if (cmd.includes(" ") && rest.length === 0) {
    const words = cmd.split(/\s+/);
    cmd = words[0];
    rest = words.slice(1);
  }
  const bin = cmd.split(/[\\/]/).pop()!.replace(/\.(exe|cmd)$/i, "");
  switch (bin) {
    case "npx":
    case "bunx":
    case "pnpx": {
      const l = parseNpx(rest, base);
      if (!l || HELPER_PACKAGES.has(npmBaseName(l.package ?? ""))) return null;
      if (npmBaseName(l.package ?? "") === "mcp-remote") {
        const url = rest.find((a) => /^https?:\/\//.test(a));
        return url ? interpretLaunch(null, [], { url }) : null;
      }
      return l;
    }
    case "uvx":
      return parseUvx(rest, base);
    case "uv":
      return parseUvRun(rest, base);
    case "docker":
    case "podman":
      return parseDockerRun(rest, base);
    case "pip":
    case "pip3":
    case "pipx":
    case "npm":
    case "pnpm":
    case "yarn":
    case "git":
    case "cd":
    case "curl":
    case "brew":
    case "claude":
    case "code":
    case "code-insiders":
    case "go":
    case "just":
    case "make":
    case "cargo":
    case "sudo":
    case "which":
    case "gemini":
    case "export":
    case "echo":
    case "ssh":
    case "sh":
    case "bash":
      return null;
  }
  if (!/^[A-Za-z0-9_./\\:~-]+$/.test(cmd)) return null;
  return {
    ...base,
    runtime: "source",
    command: cmd,
    args: rest,
    transport: transportFromArgs(rest),
  };
}

/**
 * Unwrap `claude mcp add [opts] NAME [--] CMD …` into its env and inner launch words.
 * @returns null when `words` is not such a command
 */
export function unwrapClaudeMcpAdd(
  words: string[],
): { env: Record<string, string>; command: string; args: string[] } | null {
  if (words[0] !== "claude" || words[1] !== "mcp" || words[2] !== "add") return null;
  const env: Record<string, string> = {};
  let i = 3;
  let name: string | null = null;
  for (; i < words.length; i++) {
    const a = words[i];
    if (a === "--") {
      i++;
      break;
    }
    if (a === "-e" || a === "--env") {
      const m = (words[++i] ?? "").match(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/);
      if (m) env[m[1]] = m[2];
      continue;
    }
    if (
      a === "--transport" || a === "-t" || a === "--scope" || a === "-s" || a === "--header" ||
      a === "-H"
    ) {
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
  return { env, command: words[i], args: words.slice(i + 1) };
}
