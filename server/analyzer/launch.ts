/**
 * @module Launch-line interpretation: turns a command and its arguments (from a config block or
 * a shell line) into a runtime-specific launch — npx / uvx / `uv run --with` / docker run /
 * go install / a bare binary — without deciding which one is recommended. The words are read by
 * the runtime's launch-line parser (`runtime/launch_args.ts`), the same one that installs and
 * runs the plan; this module adds what only a README reader needs (helpers and installers are not
 * launches, `cmd /c` wrappers, `mcp-remote`, transport flags, docker notes).
 */
import type { Runtime, Transport } from "../schemas/server.ts";
import {
  type ContainerRunInvocation,
  type NpxInvocation,
  parseLaunchCommand,
  type UvRunInvocation,
  type UvxInvocation,
} from "../../runtime/launch_args.ts";
import { npmPackageName, pythonPackageName } from "../../runtime/launch_command.ts";
import { shellWords } from "./shell_words.ts";

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

/** Strip an npm version (`@scope/pkg@1.2` → `@scope/pkg`); URLs, paths and git specs stay whole. */
export function npmBaseName(spec: string): string {
  return npmPackageName(spec) ?? spec;
}

/** Normalise a PyPI name for comparison (PEP 503), dropping extras and version constraints. */
export function pypiBaseName(spec: string): string {
  return pythonPackageName(spec).toLowerCase().replace(/[-_.]+/g, "-");
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

type LaunchBase = Omit<Launch, "runtime">;

function npxLaunch(inv: NpxInvocation, base: LaunchBase): Launch | null {
  if (!inv.target || inv.call) return null;
  const pkg = inv.packages.at(-1) ?? inv.target;
  const args = inv.packages.length === 0
    ? ["-y", inv.target, ...inv.args]
    : ["-y", ...inv.packages.flatMap((p) => ["--package", p]), inv.target, ...inv.args];
  return {
    ...base,
    runtime: "npx",
    command: "npx",
    args,
    package: pkg,
    transport: transportFromArgs(inv.args),
  };
}

function uvxLaunch(inv: UvxInvocation, base: LaunchBase): Launch | null {
  if (!inv.target) return null;
  return {
    ...base,
    runtime: "uvx",
    command: "uvx",
    args: inv.argv,
    package: inv.from ?? inv.target,
    transport: transportFromArgs(inv.args),
  };
}

/** `uv run --with PKG CMD …`: the `--with` package is the server (the last one when several). */
function uvRunLaunch(inv: UvRunInvocation, args: string[], base: LaunchBase): Launch | null {
  const withPkg = inv.with.at(-1);
  if (!withPkg || !inv.target) return null;
  return {
    ...base,
    runtime: "uvx",
    command: "uv",
    args: [...args],
    package: withPkg,
    transport: transportFromArgs(args),
  };
}

function containerLaunch(inv: ContainerRunInvocation, base: LaunchBase): Launch | null {
  if (!inv.image) return null;
  const env: Record<string, string> = { ...base.env };
  for (const [key, value] of Object.entries(inv.env)) env[key] = value ?? env[key] ?? "";
  const notes = [...base.notes];
  for (const { flag, value } of inv.options) {
    if (["-v", "--volume", "--mount", "-p", "--publish", "--network", "--net"].includes(flag)) {
      notes.push(`docker ${flag} ${value} is not applied (mounts/ports are managed by the router)`);
    }
  }
  return {
    ...base,
    runtime: "image",
    command: null,
    args: inv.args,
    package: inv.image,
    image: inv.image,
    env,
    notes,
    transport: transportFromArgs(inv.args),
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
    const words = shellWords(cmd).words;
    cmd = words[0] ?? "";
    rest = words.slice(1);
  }
  const invocation = parseLaunchCommand(cmd, rest);
  switch (invocation.tool) {
    case "npx": {
      const l = npxLaunch(invocation, base);
      if (!l || HELPER_PACKAGES.has(npmBaseName(l.package ?? ""))) return null;
      if (npmBaseName(l.package ?? "") === "mcp-remote") {
        const url = rest.find((a) => /^https?:\/\//.test(a));
        return url ? interpretLaunch(null, [], { url }) : null;
      }
      return l;
    }
    case "uvx":
      return uvxLaunch(invocation, base);
    case "uv-run":
      return uvRunLaunch(invocation, rest, base);
    case "container-run":
      return containerLaunch(invocation, base);
  }
  switch (invocation.tool === "other" ? invocation.bin : "") {
    case "uv":
    case "docker":
    case "podman":
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
