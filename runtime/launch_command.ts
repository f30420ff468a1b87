/**
 * @module Launch commands: translate a plan's `npx -y PKG args` / `uvx PKG args` (and their
 * variants, read by the one launch-line parser in `launch_args.ts`) into what is installed at
 * image-build time and what runs in the container. Pure.
 */
import { LaunchSpecError, NPM_ENTRY, NPM_PREFIX, UV_BIN_DIR } from "./container_layout.ts";
import type { LaunchTarget } from "./launch_target.ts";
import { parseLaunchCommand } from "./launch_args.ts";

/** How an npx plan is installed and run. */
export interface NpmLaunch {
  /** Package specs to `npm install` at build time. */
  installSpecs: string[];
  /** Package whose default bin becomes {@linkcode NPM_ENTRY}, when the command is `npx PKG`. */
  entryPackage: string | null;
  /** Command run in the container. */
  command: string[];
}

/** How a uvx plan is installed and run. */
export interface UvLaunch {
  /** Spec passed to `uv tool install`. */
  installSpec: string;
  /** `--with` extras. */
  withSpecs: string[];
  /** Tool (distribution) name: its venv lives at `UV_TOOL_DIR/<tool>`. */
  tool: string;
  /** Command run in the container. */
  command: string[];
}

/** The package name of an npm spec (`@s/n@1.2` → `@s/n`), or null for URLs, paths and git specs. */
export function npmPackageName(spec: string): string | null {
  if (/^(\.|\/|~|[a-z+]+:)/i.test(spec)) return null;
  if (spec.startsWith("@")) {
    const at = spec.indexOf("@", 1);
    return at === -1 ? spec : spec.slice(0, at);
  }
  const at = spec.indexOf("@");
  return at === -1 ? spec : spec.slice(0, at);
}

/** The distribution name of a Python spec (`pkg[extra]==1.0`, `pkg@1.0` → `pkg`). */
export function pythonPackageName(spec: string): string {
  return spec.split(/[@=<>!~\[;\s]/)[0].trim();
}

/** Translate an npx plan (`npx -y PKG args`, `npx -p PKG BIN args`, or a bin name) to its install and run. */
export function npmLaunch(server: Pick<LaunchTarget, "package" | "command" | "args">): NpmLaunch {
  const pkg = server.package?.trim() || null;
  const command = (server.command ?? "").trim();
  const invocation = command ? parseLaunchCommand(command, server.args) : null;
  if (invocation?.tool === "npx") {
    const { packages, target: positional, args } = invocation;
    if (invocation.call) {
      throw new LaunchSpecError("npx --call is not supported; put the command in the plan");
    }
    if (!positional) throw new LaunchSpecError("npx plan names no package to run");
    if (packages.length > 0) {
      // `npx -p PKG BIN args`: BIN comes from the installed packages.
      return {
        installSpecs: uniqueSpecs([...(pkg ? [pkg] : []), ...packages]),
        entryPackage: null,
        command: [`${NPM_PREFIX}/node_modules/.bin/${positional}`, ...args],
      };
    }
    const name = npmPackageName(positional);
    const pkgName = pkg ? npmPackageName(pkg) : null;
    const specs = pkg && pkgName === name
      ? [pkg]
      : uniqueSpecs([...(pkg ? [pkg] : []), positional]);
    return { installSpecs: specs, entryPackage: name ?? positional, command: [NPM_ENTRY, ...args] };
  }
  if (!pkg) throw new LaunchSpecError("npx servers need a package or an `npx PKG` command");
  if (!command) {
    return {
      installSpecs: [pkg],
      entryPackage: npmPackageName(pkg),
      command: [NPM_ENTRY, ...server.args],
    };
  }
  // A bin name or `node …`: runs with the installed package's bins on PATH.
  return { installSpecs: [pkg], entryPackage: null, command: [command, ...server.args] };
}

/** Translate a uvx plan (`uvx PKG args`, `uvx --from SPEC CMD args`, or a command name) to its install and run. */
export function uvLaunch(server: Pick<LaunchTarget, "package" | "command" | "args">): UvLaunch {
  const pkg = server.package?.trim() || null;
  const command = (server.command ?? "").trim();
  const invocation = command ? parseLaunchCommand(command, server.args) : null;
  if (invocation?.tool === "uvx") {
    const { from, target: positional, args } = invocation;
    if (!positional) throw new LaunchSpecError("uvx plan names no package to run");
    const bin = pythonPackageName(positional);
    let spec = from ?? pkg ?? positional;
    // `uvx pkg@1.2` means `pkg==1.2`.
    if (!from && !pkg && /^[A-Za-z0-9._-]+@[^/]+$/.test(positional)) {
      spec = positional.replace("@", "==");
    }
    return {
      installSpec: spec,
      withSpecs: invocation.with,
      tool: pythonPackageName(spec),
      command: [`${UV_BIN_DIR}/${bin}`, ...args],
    };
  }
  if (!pkg) throw new LaunchSpecError("uvx servers need a package or a `uvx PKG` command");
  const tool = pythonPackageName(pkg);
  return {
    installSpec: pkg,
    withSpecs: [],
    tool,
    command: command ? [command, ...server.args] : [`${UV_BIN_DIR}/${tool}`, ...server.args],
  };
}

function uniqueSpecs(specs: string[]): string[] {
  const seen = new Set<string>();
  return specs.filter((s) => {
    const key = npmPackageName(s) ?? s;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The command a server's container runs (empty = the image's own entrypoint/cmd). */
export function launchCommand(server: LaunchTarget): string[] {
  switch (server.runtime) {
    case "npx":
      return npmLaunch(server).command;
    case "uvx":
      return uvLaunch(server).command;
    case "image":
      if (server.command) return [server.command, ...server.args];
      return [...server.args];
    case "source":
      if (!server.command) throw new LaunchSpecError("source servers need a command");
      return [server.command, ...server.args];
    case "remote":
      throw new LaunchSpecError("remote servers do not run in a container");
  }
}
