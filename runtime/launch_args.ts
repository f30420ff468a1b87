/**
 * @module Launch-line parsing: one reading of `npx` (also `bunx`, `pnpx`, `bun x`), `uvx` /
 * `uv tool run`, `uv run`, `docker`/`podman run`, and `node`/`python`/`deno`/`bun` invocations,
 * shared by the analyzer (which reads READMEs) and the runtime (which installs and runs plans).
 * Pure: words in, a typed invocation out; never throws.
 */

/** `npx`-style invocation: `npx [-y] [-p PKG]… [--] TARGET args…`. */
export interface NpxInvocation {
  tool: "npx";
  /** `-p`/`--package` specs, in order. */
  packages: string[];
  /** The package (or, with `-p`, the bin) to run; null when none is named. */
  target: string | null;
  /** Arguments after the target, verbatim. */
  args: string[];
  /** `-c`/`--call` was given (a shell string instead of a package). */
  call: boolean;
}

/** `uvx [--from SPEC] [--with SPEC]… [-p PY] [--] TARGET args…` (also `uv tool run …`). */
export interface UvxInvocation {
  tool: "uvx";
  /** `--from` spec: the package providing the target command. */
  from: string | null;
  /** `-w`/`--with` specs, in order. */
  with: string[];
  /** `-p`/`--python` request. */
  python: string | null;
  /** The package (or, with `--from`, the command) to run; null when none is named. */
  target: string | null;
  /** Arguments after the target, verbatim. */
  args: string[];
  /** The arguments as `uvx` takes them (after `uvx` or `uv tool run`). */
  argv: string[];
}

/** `uv [opts] run [--with SPEC]… [-p PY] [--] COMMAND args…`. */
export interface UvRunInvocation {
  tool: "uv-run";
  /** `-w`/`--with` specs, in order. */
  with: string[];
  python: string | null;
  /** The command `uv run` runs; null when none is named. */
  target: string | null;
  /** Arguments after the command, verbatim. */
  args: string[];
}

/** `docker run` / `podman run` (also `… container run`). */
export interface ContainerRunInvocation {
  tool: "container-run";
  engine: "docker" | "podman";
  /** The image reference; null when none is named. */
  image: string | null;
  /** `-e`/`--env` entries: key → value, or null when the value comes from the caller's env. */
  env: Record<string, string | null>;
  /** Every other option that takes a value (`-v`, `-p`, `--network`, …), in order. */
  options: { flag: string; value: string }[];
  /** Arguments after the image (the container's command), verbatim. */
  args: string[];
}

/** A script run by an interpreter: `node x.js`, `python -m mod`, `deno run -A x.ts`, `bun x.ts`. */
export interface InterpreterInvocation {
  tool: "interpreter";
  interpreter: "node" | "python" | "deno" | "bun";
  /** Script path, specifier or (`-m`) module; null for inline code (`-e`, `-c`) or none. */
  entry: string | null;
  /** `python -m`: the entry is a module name. */
  module: boolean;
  /** Arguments after the entry, verbatim. */
  args: string[];
}

/** Any other command, as given. */
export interface OtherInvocation {
  tool: "other";
  /** Basename of the command, without `.exe`/`.cmd`. */
  bin: string;
  args: string[];
}

/** What {@linkcode parseLaunchCommand} makes of a launch line. */
export type LaunchInvocation =
  | NpxInvocation
  | UvxInvocation
  | UvRunInvocation
  | ContainerRunInvocation
  | InterpreterInvocation
  | OtherInvocation;

/** A space-separated list of flags as a set. */
function flags(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

/** npm exec options that take a value (everything else is a switch). */
const NPX_VALUE_FLAGS = flags(`-p --package -c --call -w --workspace --registry --cache
  --userconfig --prefix --loglevel --node-options --script-shell`);

/** uv options that take a value (`uv tool run --help`, `uv run --help`, global options). */
const UV_VALUE_FLAGS = flags(`--from -w --with --with-editable --with-requirements -c
  --constraints --constraint -b --build-constraints --overrides --override --env-file
  --python-platform --torch-backend --index --default-index -i --index-url --extra-index-url -f
  --find-links --index-strategy --keyring-provider -P --upgrade-package --resolution --prerelease
  --fork-strategy --exclude-newer --exclude-newer-package --no-sources-package --reinstall-package
  --link-mode -C --config-setting --config-settings-package --no-build-isolation-package
  --no-build-package --no-binary-package --cache-dir --refresh-package -p --python --color
  --allow-insecure-host --directory --project --config-file --extra --no-extra --group
  --no-group --only-group --package`);

/** `docker run` / `podman run` options that take a value. */
const CONTAINER_VALUE_FLAGS = flags(`-e --env -v --volume --mount -p --publish --name --network
  --net --entrypoint -w --workdir -u --user --env-file --platform --add-host -l --label --cpus -m
  --memory --pull --hostname -h --cap-add --cap-drop --device --ipc --shm-size --security-opt
  --tmpfs --ulimit --dns --restart --log-driver --log-opt --pid --userns --group-add --secret
  --volumes-from --gpus --runtime --stop-signal --cidfile --ip --expose -a --attach`);

const NODE_VALUE_FLAGS = flags(`-r --require --import --loader --experimental-loader -e --eval
  -p --print --input-type -C --conditions --title --inspect-port`);
const PYTHON_VALUE_FLAGS = flags(`-W -X --check-hash-based-pycs`);
const DENO_VALUE_FLAGS = flags(`-c --config --import-map --lock --cert --location --seed`);
const BUN_VALUE_FLAGS = flags(`--cwd -r --preload --env-file -c --config`);

/**
 * Walk the options in front of the first positional word.
 * @param onOption called per option with its value (`--flag=value`, or the next word for a
 *   flag in `valueFlags`), null for a switch
 * @returns index of the first positional word (the word after `--` when one ends the options)
 */
function scanOptions(
  args: readonly string[],
  valueFlags: ReadonlySet<string>,
  onOption: (flag: string, value: string | null) => void = () => {},
): number {
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") return i + 1;
    if (!a.startsWith("-") || a === "-") return i;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    if (eq > 0) onOption(a.slice(0, eq), a.slice(eq + 1));
    else if (valueFlags.has(a)) onOption(a, args[++i] ?? null);
    else onOption(a, null);
  }
  return i;
}

/**
 * Whether npx words before the command only say yes and which packages (`-y --package=@o/p`):
 * a launch written so needs no normalising.
 */
export function onlyYesAndPackages(words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "-y" || w === "--yes" || /^(--package|-p)=\S/.test(w)) continue;
    if ((w === "--package" || w === "-p") && words[i + 1] && !words[i + 1].startsWith("-")) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/** Parse the arguments of `npx` (also `bunx`, `pnpx`). */
export function parseNpxArgs(args: readonly string[]): NpxInvocation {
  const packages: string[] = [];
  let call = false;
  const i = scanOptions(args, NPX_VALUE_FLAGS, (flag, value) => {
    if ((flag === "-p" || flag === "--package") && value) packages.push(value);
    if (flag === "-c" || flag === "--call") call = true;
  });
  return { tool: "npx", packages, target: args[i] ?? null, args: args.slice(i + 1), call };
}

/** Parse the arguments of `uvx` (= `uv tool run`). */
export function parseUvxArgs(args: readonly string[]): UvxInvocation {
  let from: string | null = null;
  const withSpecs: string[] = [];
  let python: string | null = null;
  const i = scanOptions(args, UV_VALUE_FLAGS, (flag, value) => {
    if (flag === "--from" && value) from = value;
    else if ((flag === "-w" || flag === "--with") && value) withSpecs.push(value);
    else if ((flag === "-p" || flag === "--python") && value) python = value;
  });
  return {
    tool: "uvx",
    from,
    with: withSpecs,
    python,
    target: args[i] ?? null,
    args: args.slice(i + 1),
    argv: [...args],
  };
}

/** Parse the arguments of `uv`: `uv tool run …` is a uvx invocation, `uv run …` its own. */
function parseUvArgs(args: readonly string[]): LaunchInvocation {
  const sub = scanOptions(args, UV_VALUE_FLAGS);
  if (args[sub] === "tool" && args[sub + 1] === "run") return parseUvxArgs(args.slice(sub + 2));
  if (args[sub] === "tool" && args[sub + 1] === "uvx") return parseUvxArgs(args.slice(sub + 2));
  if (args[sub] !== "run") return { tool: "other", bin: "uv", args: [...args] };
  const run = parseUvxArgs(args.slice(sub + 1));
  return { tool: "uv-run", with: run.with, python: run.python, target: run.target, args: run.args };
}

/** `pipx run [--spec SPEC] APP …` is uvx's `[--from SPEC] APP …`; other sub-commands are not launches. */
function parsePipxArgs(args: readonly string[]): LaunchInvocation {
  if (args[0] !== "run") return { tool: "other", bin: "pipx", args: [...args] };
  const rest = args.slice(1).flatMap((a) =>
    a === "--spec" ? ["--from"] : a.startsWith("--spec=") ? [`--from=${a.slice(7)}`] : [a]
  );
  return parseUvxArgs(rest);
}

/** Parse the arguments of `docker`/`podman`: only `run` (or `container run`) is a launch. */
function parseContainerArgs(
  engine: "docker" | "podman",
  args: readonly string[],
): LaunchInvocation {
  const start = args[0] === "run" ? 1 : args[0] === "container" && args[1] === "run" ? 2 : -1;
  if (start < 0) return { tool: "other", bin: engine, args: [...args] };
  const rest = args.slice(start);
  const env: Record<string, string | null> = {};
  const options: { flag: string; value: string }[] = [];
  const i = scanOptions(rest, CONTAINER_VALUE_FLAGS, (flag, value) => {
    if (value === null) return;
    if (flag === "-e" || flag === "--env") {
      const m = value.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s);
      if (m) env[m[1]] = m[2] ?? null;
    } else options.push({ flag, value });
  });
  return {
    tool: "container-run",
    engine,
    image: rest[i] ?? null,
    env,
    options,
    args: rest.slice(i + 1),
  };
}

/** Parse an interpreter's arguments into its entry (script, specifier or module) and the rest. */
function parseInterpreterArgs(
  interpreter: InterpreterInvocation["interpreter"],
  args: readonly string[],
): LaunchInvocation {
  let words = args;
  if (interpreter === "bun" && words[0] === "x") return parseNpxArgs(words.slice(1));
  if ((interpreter === "deno" || interpreter === "bun") && /^(run|serve)$/.test(words[0] ?? "")) {
    words = words.slice(1);
  }
  const valueFlags = {
    node: NODE_VALUE_FLAGS,
    python: PYTHON_VALUE_FLAGS,
    deno: DENO_VALUE_FLAGS,
    bun: BUN_VALUE_FLAGS,
  }[interpreter];
  let module: string | null = null;
  let inline = false;
  let i = 0;
  for (; i < words.length && module === null && !inline; i++) {
    const a = words[i];
    if (a === "--" || !a.startsWith("-") || a === "-") break;
    if (interpreter === "python" && (a === "-m" || a === "-c")) {
      if (a === "-m") module = words[i + 1] ?? null;
      inline = a === "-c";
      i++;
    } else if (interpreter === "node" && /^(-e|--eval|-p|--print)$/.test(a)) {
      inline = true;
      i++;
    } else if (valueFlags.has(a)) i++;
  }
  if (module !== null || inline) {
    return {
      tool: "interpreter",
      interpreter,
      entry: module,
      module: !inline,
      args: words.slice(i),
    };
  }
  if (words[i] === "--") i++;
  return {
    tool: "interpreter",
    interpreter,
    entry: words[i] ?? null,
    module: false,
    args: words.slice(i + 1),
  };
}

/** Launchers a placeholder command may name (`<path_to_uv_or_python_executable>`). */
const PLACEHOLDER_LAUNCHER_RE =
  /(?:^|[^a-z0-9])(uvx|uv|npx|node|python3?|docker|deno|bun)(?=$|[^a-z0-9])/i;

/**
 * The basename of a command (`/usr/bin/npx`, `npx.cmd` → `npx`); a placeholder for a launcher's
 * path names the launcher (`<path_to_uv_or_python_executable>` → `uv`, `{path to node}` → `node`).
 */
export function commandBin(command: string): string {
  const placeholder = command.trim().match(/^[<{[]([^<>{}[\]]{1,80})[>}\]]$/)?.[1];
  const named = placeholder?.match(PLACEHOLDER_LAUNCHER_RE)?.[1];
  if (named) return named.toLowerCase();
  return (command.trim().split(/[\\/]/).pop() ?? "").replace(/\.(exe|cmd|bat)$/i, "");
}

/**
 * Parse a launch: a command and its argument words.
 * @param command the command as written (`npx`, `/usr/local/bin/uvx`, `docker`, `python3`, …)
 * @param args its arguments
 * @returns the invocation; `other` for commands it does not know
 * @example
 * parseLaunchCommand("uvx", ["--from", "git+https://x/y", "y-mcp", "--stdio"]);
 * // → { tool: "uvx", from: "git+https://x/y", target: "y-mcp", args: ["--stdio"], … }
 */
export function parseLaunchCommand(command: string, args: readonly string[]): LaunchInvocation {
  const bin = commandBin(command);
  switch (bin) {
    case "npx":
    case "bunx":
    case "pnpx":
      return parseNpxArgs(args);
    case "npm":
    case "pnpm":
    case "yarn":
      // `npm exec PKG` / `npm x PKG`, `pnpm dlx PKG`, `yarn dlx PKG`: npx by another name.
      if (/^(exec|x)$/.test(args[0] ?? "") && bin === "npm" || args[0] === "dlx" && bin !== "npm") {
        return parseNpxArgs(args.slice(1));
      }
      break;
    case "uvx":
      return parseUvxArgs(args);
    case "uv":
      return parseUvArgs(args);
    case "pipx":
      return parsePipxArgs(args);
    case "docker":
    case "podman":
      return parseContainerArgs(bin, args);
    case "node":
    case "nodejs":
      return parseInterpreterArgs("node", args);
    case "deno":
    case "bun":
      return parseInterpreterArgs(bin, args);
  }
  if (/^python(\d+(\.\d+)?)?$/.test(bin)) return parseInterpreterArgs("python", args);
  return { tool: "other", bin, args: [...args] };
}
