/**
 * @module Launch-line interpretation: turns a command and its arguments (from a config block or
 * a shell line) into a runtime-specific launch — npx / uvx / `uv run --with` / docker run /
 * go install / a bare binary — without deciding which one is recommended. The words are read by
 * the runtime's launch-line parser (`runtime/launch_args.ts`), the same one that installs and
 * runs the plan; this module adds what only a README reader needs (helpers and installers are not
 * launches, `cmd /c` wrappers, `mcp-remote`, transport flags, docker notes).
 */
import { transportFromArgs, transportFromEnv } from "./launch_transport.ts";
import type { Runtime, Transport } from "../schemas/server.ts";
import {
  type ContainerRunInvocation,
  type NpxInvocation,
  onlyYesAndPackages,
  parseLaunchCommand,
  type UvRunInvocation,
  type UvxInvocation,
} from "../../runtime/launch_args.ts";
import { npmPackageName, pythonPackageName } from "../../runtime/launch_command.ts";
import { shellWords } from "./shell_words.ts";
import { isHelperPackage } from "./helper_packages.ts";
import { goRunsSource } from "./go_launch.ts";

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
  /** `docker run -p HOST:CONTAINER` mappings of a container launch. */
  published?: { host: number; container: number }[];
}

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

type LaunchBase = Omit<Launch, "runtime">;

function npxLaunch(inv: NpxInvocation, base: LaunchBase, written: string[]): Launch | null {
  if (!inv.target || inv.call) return null;
  const pkg = inv.packages.at(-1) ?? inv.target;
  // The README's own words when it only says `[-y|--yes] [--package=P] PKG args…`; else
  // normalised.
  const before = written.slice(0, written.length - inv.args.length - 1);
  const plain = written.length > inv.args.length && onlyYesAndPackages(before);
  const args = plain
    ? [...written]
    : inv.packages.length === 0
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

/** uv sub-commands: a `uvx` "package" of that name is a misread `uv` line (`uvx … run x.py`). */
const UV_VERBS = new Set(["run", "pip", "tool", "sync", "add", "init", "venv", "lock"]);

function uvxLaunch(inv: UvxInvocation, base: LaunchBase): Launch | null {
  if (!inv.target || UV_VERBS.has(inv.target)) return null;
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
  // `uv run --with fastmcp fastmcp run /path/to/repo/server.py`: the checkout's own file, run
  // with a tool from PyPI — a source launch, not the tool's package.
  const cut = args.indexOf(inv.target);
  const checkoutFile = args.slice(cut + 1).find((a) =>
    !/^(-|https?:)/.test(a) && /\.(py|m?js|ts)$/.test(a)
  );
  if (checkoutFile) {
    return {
      ...base,
      runtime: "source",
      command: "uv",
      args: [...args],
      transport: transportFromArgs(args),
    };
  }
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
  const published: { host: number; container: number }[] = [];
  for (const { flag, value } of inv.options) {
    const port = (flag === "-p" || flag === "--publish")
      ? value.match(/^(?:[\d.]+:)?(\d+):(\d+)(?:\/tcp)?$/) ?? value.match(/^((\d+))$/)
      : null;
    if (port) published.push({ host: Number(port[1]), container: Number(port[2]) });
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
    published,
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
  extra: LaunchExtra = {},
): Launch | null {
  const launch = readLaunch(command, args, extra);
  // `MCP_TRANSPORT=http npx pkg`: the env picks the transport the args leave at stdio.
  return launch && launch.transport === "stdio"
    ? { ...launch, transport: transportFromEnv(launch.env) }
    : launch;
}

/** What a config entry adds to its command and args. */
interface LaunchExtra {
  env?: Record<string, string>;
  url?: string | null;
  type?: string | null;
  /** Keep a plain `npx [-y] PKG …` as written (client-config blocks are copied literally). */
  verbatim?: boolean;
}

function readLaunch(command: string | null, args: string[], extra: LaunchExtra): Launch | null {
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
    // `https://mcp.x.com/{minimal | mcp}` ("choose one"): the first choice.
    const url = extra.url?.replace(
      /(?<!\$)\{\s*([\w.-]+)\s*(?:\|\s*[\w.-]+\s*)+\}/g,
      "$1",
    ) ?? null;
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
    const inner = readLaunch(rest[1] ?? null, rest.slice(2), extra);
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
      // `npx --prefix /path/to/checkout BIN`: the checkout's own bin, not a registry package;
      // `npx tsx /path/to/src/index.ts`: a TypeScript runner on the checkout's file.
      const runner = rest.filter((a) => a !== "-y" && a !== "--yes");
      if (
        /^npx(\.cmd)?$/i.test(cmd) && (rest.some((a) => /^--prefix(=|$)/.test(a)) ||
          (/^(tsx|ts-node|tsm|esno)$/.test(runner[0] ?? "") &&
            /\.(m|c)?[jt]sx?$/.test(runner[1] ?? "")))
      ) {
        return { ...base, runtime: "source", command: "npx", args: [...rest], package: null };
      }
      const l = npxLaunch(
        invocation,
        base,
        extra.verbatim && /^npx(\.cmd)?$/i.test(cmd) ? rest : [],
      );
      if (!l || isHelperPackage(l.package ?? "")) return null;
      // `bunx PKG` / `pnpx PKG` as written: the plan keeps the README's launcher (same reading).
      // (Also `npm exec PKG`, `pnpm dlx PKG`.)
      const twin = extra.verbatim
        ? cmd.match(/^(bunx|pnpx|npm|pnpm|yarn)(\.cmd)?$/i)?.[1].toLowerCase()
        : null;
      if (twin && l.runtime === "npx") return { ...l, command: twin, args: [...rest] };
      // (`@wix/mcp-remote` and other scoped builds of the bridge too.)
      if (/^(@[^/]+\/)?mcp-remote$/.test(npmBaseName(l.package ?? ""))) {
        const url = rest.find((a) => /^https?:\/\//.test(a));
        const remote = url ? interpretLaunch(null, [], { url }) : null;
        const headers = bridgeHeaders(rest);
        return remote && Object.keys(headers).length ? { ...remote, headers } : remote;
      }
      return l;
    }
    case "uvx": {
      const l = uvxLaunch(invocation, base);
      // `uv tool run PKG …` (and `pipx run PKG …`) are uvx's long forms: the plan keeps the
      // README's literal launcher.
      const literal = cmd.match(/^(uv|pipx)(\.exe)?$/i)?.[1].toLowerCase();
      return l && literal ? { ...l, command: literal, args: rest } : l;
    }
    case "uv-run":
      return uvRunLaunch(invocation, rest, base);
    case "container-run":
      return containerLaunch(invocation, base);
    case "interpreter":
      // No script or module (`python -c`, bare `node`), or options no interpreter takes
      // (`python --directory DIR x.py`): not a launch to copy.
      if (!invocation.entry || (invocation.interpreter === "python" && /^--/.test(rest[0] ?? ""))) {
        return null;
      }
  }
  // `go run cmd/x/main.go`: the checkout's Go program.
  const goRun = invocation.tool === "other" && invocation.bin === "go" && goRunsSource(rest);
  if (goRun) return { ...sourceLaunch("go", rest), env: base.env };
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
  // Paths may hold placeholders (`$PATH/TO/x/bin/stdio`, `${HOME}/bin/x`).
  // (Also a `<your path to the executable>/NAME` placeholder folder.)
  const bare = cmd.replace(/^<[^<>]{1,80}>(?=[/\\])/, "DIR");
  if (!/^[A-Za-z0-9_./\\:~${}-]+$/.test(bare) || /^https?:/i.test(cmd)) return null;
  return {
    ...base,
    runtime: "source",
    command: cmd,
    args: rest,
    transport: transportFromArgs(rest),
  };
}

/** A launch of the checkout as written (`mcp run server.py`): the source runtime, no package. */
export function sourceLaunch(command: string, args: string[]): Launch {
  return {
    runtime: "source",
    command,
    args: [...args],
    package: null,
    image: null,
    url: null,
    transport: transportFromArgs(args),
    env: {},
    notes: [],
    windowsWrapper: false,
  };
}

/** A built binary's path: `./x`, `../x`, `~/x`, `$DIR/x`, or an absolute path of two+ segments. */
const LOCAL_BINARY_RE = /^(\.{1,2}\/|~\/|\$\{?[A-Za-z_]|\/[^/\s]+\/[^\s]*[^/\s])/;
/** Paths that name documents, folders or config files rather than programs. */
const NOT_BINARY_RE = /(\/$|\.(json|ya?ml|toml|md|txt|log|cfg|conf|ini|env|lock)$)/i;

/** Python project managers that run a command inside the project's own environment. */
const PROJECT_RUNNER_RE = /^(poetry|pipenv|pdm|hatch|rye)$/;
/** Test, lint, docs and build tools a project runner also runs: never the server. */
const NOT_SERVER_TOOL_RE =
  /^(pytest|py\.test|black|ruff|mypy|pyright|flake8|pylint|isort|pre-commit|coverage|tox|nox|mkdocs|sphinx-build|jupyter|ipython|pip|build|twine|alembic|mcp|fastmcp|test|tests|lint|format|fmt|check|dev|docs)$/;

/** Modules of Python's toolchain (not a server): venv, pip, build, tests, packaging. */
const TOOL_MODULE_RE =
  /^(venv|virtualenv|pip|ensurepip|build|pytest|unittest|twine|pipx|uv|http\.server)$/;

/**
 * A launch of a checkout's own files (`uv [--directory DIR] run x.py`, `python server.py`,
 * `./bin/server`): runtime `source`, written as the README writes it.
 * @returns null for anything else
 */
export function checkoutLaunch(command: string, args: string[]): Launch | null {
  // `poetry run python -m pkg.server`, `pipenv run python server.py`, `pdm run my-server`: the
  // project's own environment runs the checkout.
  if (PROJECT_RUNNER_RE.test(command) && args[0] === "run" && args.length > 1) {
    const inner = args[1];
    const runsServer = checkoutLaunch(inner, args.slice(2)) !== null ||
      // `poetry run fastmcp run server.py` / `mcp run server.py`: the SDK's runner.
      (/^(mcp|fastmcp)$/.test(inner) && args[2] === "run" && !!args[3]) ||
      (/^[a-z][\w.-]*$/i.test(inner) && !NOT_SERVER_TOOL_RE.test(inner) &&
        !/^(python3?|node|uv|deno|bun)$/.test(inner));
    if (!runsServer) return null;
    return sourceLaunch(command, args);
  }
  const inv = parseLaunchCommand(command, args);
  // `python -m venv .venv`, `-m pip install …`: the toolchain's own modules set a checkout up.
  if (inv.tool === "interpreter" && TOOL_MODULE_RE.test(inv.entry ?? "") && args[0] === "-m") {
    return null;
  }
  const local = inv.tool === "uv-run"
    ? inv.with.length === 0 && !!inv.target
    : inv.tool === "interpreter"
    ? !!inv.entry && (inv.module || /\.(py|m?js|ts)$/.test(inv.entry) ||
      // `deno run … jsr:@scope/pkg` / `npm:pkg`: a published module run by its specifier.
      (inv.interpreter === "deno" && /^(jsr|npm):@?[\w.-]/.test(inv.entry))) &&
      !/^--/.test(args[0] ?? "")
    : inv.tool === "other" && LOCAL_BINARY_RE.test(command) && !NOT_BINARY_RE.test(command);
  if (!local) return null;
  return sourceLaunch(command, args);
}

/** The `--header "Name: value"` pairs a bridge (`mcp-remote URL --header …`) sends upstream. */
export function bridgeHeaders(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] !== "--header" && args[i] !== "-H") continue;
    const m = args[i + 1].match(/^([A-Za-z0-9-]{1,100})\s*:\s*(.+)$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}
