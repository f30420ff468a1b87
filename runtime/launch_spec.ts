/**
 * @module Launch specs: a stored server record + env values + settings → the hardened
 * {@linkcode ContainerSpec} that runs it. Pure: no I/O.
 *
 * npx / uvx servers run from their per-server install image (see `runtime/install_image.ts`),
 * where the package was installed at build time, so a cold start downloads nothing: the plan's
 * `npx -y PKG args` / `uvx PKG args` is translated to the installed binary. `image` servers use
 * the user's image as given; `source` servers run the plan's command in the image built from the
 * plan's install steps. The plan's `network` policy picks the container's network (default
 * `egress`: the internet, not the host's services; see `runtime/egress.ts`).
 */
import type { ContainerSpec } from "./backend.ts";
import { launchCommand } from "./launch_command.ts";
import type { ResolvedMount } from "./mounts.ts";
import {
  CA_MOUNT,
  CONTAINER_HOME,
  CONTAINER_USER,
  containerLabels,
  LaunchSpecError,
  SOURCE_DIR,
} from "./container_layout.ts";
import type { LaunchTarget, NetworkPolicy } from "./launch_target.ts";
import type { RuntimeSettings } from "./settings.ts";

export * from "./container_layout.ts";
export * from "./launch_command.ts";

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

/** The container network of a plan's egress policy (`host-services` = the engine default). */
export function containerNetwork(policy: NetworkPolicy): ContainerSpec["network"] {
  return policy === "host-services" ? "default" : policy;
}

/** Options for {@linkcode buildLaunchSpec}. */
export interface LaunchSpecOptions {
  /** Env values (user-provided; may be secret). Missing keys fall back to the plan's defaults. */
  env: Record<string, string>;
  /** The container limits and the CA bundle. */
  settings: Pick<
    RuntimeSettings,
    "caBundle" | "containerMemoryMb" | "containerPids" | "containerCpus"
  >;
  /** Client session id (label); `shared` containers use `shared`. */
  sessionId: string;
  /** Image to run: the per-server install image tag (npx/uvx/source) or the user's image. */
  image: string;
  /** Suffix making the container name unique (default: none → engine-chosen name). */
  nameSuffix?: string;
  /** Owner label value (the router's pid). */
  owner?: string;
  /**
   * The server's `mounts`, resolved and judged just before this launch (`runtime/mounts.ts`);
   * required when the server has mounts.
   */
  mounts?: ResolvedMount[];
}

/** The bind mounts of a launch; refuses a server whose mounts were not resolved for it. */
function launchMounts(
  server: LaunchTarget,
  resolved: ResolvedMount[] | undefined,
): NonNullable<ContainerSpec["bindMounts"]> {
  const wanted = server.mounts ?? [];
  if (wanted.length === 0) return [];
  if (!resolved || resolved.length !== wanted.length) {
    throw new LaunchSpecError(`${server.name}'s mounts were not resolved for this launch`);
  }
  return resolved.map((m) => ({
    source: m.source,
    destination: m.target,
    readonly: m.readonly,
  }));
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
  const network = containerNetwork(server.network ?? "egress");
  if (port !== null && network === "none") {
    throw new LaunchSpecError(`${server.transport} servers need a network (use egress)`);
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
  const bindMounts = launchMounts(server, options.mounts);
  return {
    image: options.image,
    command,
    env,
    ...(Object.keys(secretEnv).length ? { secretEnv } : {}),
    labels: containerLabels({
      sessionId: options.sessionId,
      serverName: server.name,
      serverId: server.id,
      lifecycle: server.lifecycle,
      owner: options.owner,
    }),
    name: options.nameSuffix ? `mcp-router-${server.name}-${options.nameSuffix}` : undefined,
    workdir: server.runtime === "source" ? SOURCE_DIR : undefined,
    user: CONTAINER_USER,
    stdin: server.transport === "stdio",
    readOnlyMounts,
    ...(bindMounts.length ? { bindMounts } : {}),
    tmpfs,
    volumes: [],
    publish: port === null ? [] : [{ containerPort: port, hostPort: 0 }],
    network,
    limits: {
      memoryBytes: settings.containerMemoryMb * 1024 * 1024,
      pids: settings.containerPids,
      cpus: settings.containerCpus,
      nofile: 4096,
    },
    readOnlyRoot: true,
  };
}
