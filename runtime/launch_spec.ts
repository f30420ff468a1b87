/**
 * @module Launch specs: a stored server record + env values + settings → the hardened
 * {@linkcode ContainerSpec} that runs it. Pure: no I/O.
 *
 * npx / uvx servers run from their per-server install image (see `runtime/install_image.ts`),
 * where the package was installed at build time, so a cold start downloads nothing: the plan's
 * `npx -y PKG args` / `uvx PKG args` is translated to the installed binary. `image` servers use
 * the user's image as given; `source` servers run the plan's command in the image built from the
 * plan's install steps.
 */
import type { ContainerSpec } from "./backend.ts";
import type { ServerRecord } from "../server/schemas/server.ts";
import type { Settings } from "../server/settings.ts";

/** The record fields a launch needs. */
export type LaunchTarget = Pick<
  ServerRecord,
  | "id"
  | "name"
  | "runtime"
  | "package"
  | "image"
  | "install"
  | "command"
  | "args"
  | "transport"
  | "port"
  | "path"
  | "env"
  | "lifecycle"
>;

/** Where npm packages are installed inside a per-server image. */
export const NPM_PREFIX = "/opt/server";
/** Symlink to the resolved default bin of the npx package. */
export const NPM_ENTRY = "/opt/server/entry";
/** Where `uv tool install` puts a tool's executables. */
export const UV_BIN_DIR = "/opt/server/bin";
/** Where `uv tool install` puts tool virtualenvs. */
export const UV_TOOL_DIR = "/opt/uv/tools";
/** Working directory of source builds. */
export const SOURCE_DIR = "/opt/server";
/** Non-root user every container runs as. */
export const CONTAINER_USER = "1000:1000";
/** Home directory (a tmpfs) of that user. */
export const CONTAINER_HOME = "/home/mcp";
/** Where the CA bundle is mounted. */
export const CA_MOUNT = "/etc/ssl/certs/ca-certificates.crt";

/** Label keys the router sets on its containers. */
export const LABELS = {
  router: "mcp-router",
  session: "mcp-router.session",
  server: "mcp-router.server",
  serverId: "mcp-router.server-id",
  lifecycle: "mcp-router.lifecycle",
  /** Pid of the router process that started the container (orphan sweeps spare live owners). */
  owner: "mcp-router.owner",
} as const;

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

/** Thrown when a plan cannot be turned into a container launch. */
export class LaunchSpecError extends Error {
  override name = "LaunchSpecError";
}

const NPX_FLAGS_NO_VALUE = new Set(["-y", "--yes", "--no", "-q", "--quiet", "--no-install"]);

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
  if (command === "npx" || command.endsWith("/npx")) {
    const args = [...server.args];
    const packages: string[] = [];
    let positional: string | null = null;
    while (args.length > 0) {
      const a = args.shift()!;
      if (a === "--") {
        positional = args.shift() ?? null;
        break;
      }
      if (NPX_FLAGS_NO_VALUE.has(a)) continue;
      if (a === "-p" || a === "--package") {
        const v = args.shift();
        if (v) packages.push(v);
        continue;
      }
      if (a.startsWith("--package=")) {
        packages.push(a.slice("--package=".length));
        continue;
      }
      if (a === "-c" || a === "--call") {
        throw new LaunchSpecError("npx --call is not supported; put the command in the plan");
      }
      if (a.startsWith("-")) continue;
      positional = a;
      break;
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

const UVX_FLAGS_WITH_VALUE = new Set([
  "--python",
  "-p",
  "--index-url",
  "--extra-index-url",
  "--index",
  "--default-index",
  "--constraint",
  "--override",
  "-c",
]);

/** Translate a uvx plan (`uvx PKG args`, `uvx --from SPEC CMD args`, or a command name) to its install and run. */
export function uvLaunch(server: Pick<LaunchTarget, "package" | "command" | "args">): UvLaunch {
  const pkg = server.package?.trim() || null;
  const command = (server.command ?? "").trim();
  let tokens: string[] | null = null;
  if (command === "uvx" || command.endsWith("/uvx")) tokens = [...server.args];
  else if (
    (command === "uv" || command.endsWith("/uv")) && server.args[0] === "tool" &&
    server.args[1] === "run"
  ) {
    tokens = server.args.slice(2);
  }
  if (tokens) {
    let from: string | null = null;
    const withSpecs: string[] = [];
    let positional: string | null = null;
    while (tokens.length > 0) {
      const a = tokens.shift()!;
      if (a === "--from") {
        from = tokens.shift() ?? null;
        continue;
      }
      if (a.startsWith("--from=")) {
        from = a.slice(7);
        continue;
      }
      if (a === "--with" || a === "-w") {
        const v = tokens.shift();
        if (v) withSpecs.push(v);
        continue;
      }
      if (a.startsWith("--with=")) {
        withSpecs.push(a.slice(7));
        continue;
      }
      if (UVX_FLAGS_WITH_VALUE.has(a)) {
        tokens.shift();
        continue;
      }
      if (a.startsWith("-")) continue;
      positional = a;
      break;
    }
    if (!positional) throw new LaunchSpecError("uvx plan names no package to run");
    const bin = pythonPackageName(positional);
    let spec = from ?? pkg ?? positional;
    // `uvx pkg@1.2` means `pkg==1.2`.
    if (!from && !pkg && /^[A-Za-z0-9._-]+@[^/]+$/.test(positional)) {
      spec = positional.replace("@", "==");
    }
    return {
      installSpec: spec,
      withSpecs,
      tool: pythonPackageName(spec),
      command: [`${UV_BIN_DIR}/${bin}`, ...tokens],
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

/** Environment variables pointing every common TLS stack at the mounted CA bundle. */
export function caEnv(): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: CA_MOUNT,
    SSL_CERT_FILE: CA_MOUNT,
    REQUESTS_CA_BUNDLE: CA_MOUNT,
    PIP_CERT: CA_MOUNT,
    CURL_CA_BUNDLE: CA_MOUNT,
    UV_NATIVE_TLS: "1",
    UV_SYSTEM_CERTS: "1",
  };
}

/** Options for {@linkcode buildLaunchSpec}. */
export interface LaunchSpecOptions {
  /** Env values (user-provided; may be secret). Missing keys fall back to the plan's defaults. */
  env: Record<string, string>;
  settings: Settings;
  /** Client session id (label); `shared` containers use `shared`. */
  sessionId: string;
  /** Image to run: the per-server install image tag (npx/uvx/source) or the user's image. */
  image: string;
  /** Suffix making the container name unique (default: none → engine-chosen name). */
  nameSuffix?: string;
  /** Owner label value (the router's pid). */
  owner?: string;
}

/** Build the hardened container spec for one server launch. */
export function buildLaunchSpec(server: LaunchTarget, options: LaunchSpecOptions): ContainerSpec {
  const { settings } = options;
  const command = launchCommand(server);
  const env: Record<string, string> = {
    HOME: CONTAINER_HOME,
    NPM_CONFIG_UPDATE_NOTIFIER: "false",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
  };
  const readOnlyMounts: ContainerSpec["readOnlyMounts"] = [];
  if (settings.caBundle) {
    readOnlyMounts.push({ source: settings.caBundle, destination: CA_MOUNT });
    Object.assign(env, caEnv());
  }
  const port = server.transport === "stdio" ? null : server.port ?? null;
  if (server.transport !== "stdio" && port === null) {
    throw new LaunchSpecError(`${server.transport} servers need a port`);
  }
  if (port !== null) {
    env.PORT = String(port);
    env.HOST = "0.0.0.0";
  }
  for (const spec of server.env) {
    if (spec.default !== undefined) env[spec.key] = spec.default;
  }
  // Secret values go through engine secrets (never into the container config) whenever the
  // image is one of ours and so has /bin/sh for the loader; user images get plain env.
  const secretKeys = new Set(server.env.filter((s) => s.secret).map((s) => s.key));
  const secretEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) {
    if (secretKeys.has(key) && server.runtime !== "image" && value !== "") {
      secretEnv[key] = value;
      delete env[key];
    } else env[key] = value;
  }
  const tmpfs = ["/tmp", CONTAINER_HOME];
  return {
    image: options.image,
    command,
    env,
    ...(Object.keys(secretEnv).length ? { secretEnv } : {}),
    labels: {
      [LABELS.router]: "1",
      [LABELS.session]: options.sessionId,
      [LABELS.server]: server.name,
      [LABELS.serverId]: server.id,
      [LABELS.lifecycle]: server.lifecycle,
      ...(options.owner ? { [LABELS.owner]: options.owner } : {}),
    },
    name: options.nameSuffix ? `mcp-router-${server.name}-${options.nameSuffix}` : undefined,
    workdir: server.runtime === "source" ? SOURCE_DIR : undefined,
    user: CONTAINER_USER,
    stdin: server.transport === "stdio",
    readOnlyMounts,
    tmpfs,
    volumes: [],
    publish: port === null ? [] : [{ containerPort: port, hostPort: 0 }],
    network: "default",
    limits: {
      memoryBytes: settings.containerMemoryMb * 1024 * 1024,
      pids: settings.containerPids,
      cpus: settings.containerCpus,
      nofile: 4096,
    },
    readOnlyRoot: true,
  };
}
