/**
 * @module Launch target: what `runtime/` must know of a server to install and launch it — the
 * value sets of its launch fields, the fields themselves (a stored server record satisfies
 * {@linkcode LaunchTarget} structurally) and the install identity that tags its image. The
 * router's record schemas build their enums from these lists.
 */
import type { MountRequest } from "./mounts.ts";

/** How a server is installed and run: `image` also covers Docker images; `remote` runs no container. */
export const SERVER_RUNTIMES = ["npx", "uvx", "image", "source", "remote"] as const;
/** How a server is installed and run. */
export type ServerRuntime = typeof SERVER_RUNTIMES[number];

/** Wire protocols a downstream server speaks. */
export const TRANSPORTS = ["stdio", "sse", "http"] as const;
/** Wire protocol a downstream server speaks. */
export type Transport = typeof TRANSPORTS[number];

/** Container lifecycles: per client session, per tool call, or one shared container. */
export const LIFECYCLES = ["session", "call", "shared"] as const;
/** Container lifecycle mode. */
export type Lifecycle = typeof LIFECYCLES[number];

/**
 * What a server's container may reach: `none` (no network), `egress` (the internet, not the
 * host's services) or `host-services` (the engine default, host addresses included).
 */
export const NETWORK_POLICIES = ["none", "egress", "host-services"] as const;
/** What a server's container may reach. */
export type NetworkPolicy = typeof NETWORK_POLICIES[number];

/** One environment variable of a launch: its default and whether it is a secret. */
export interface LaunchEnvVar {
  key: string;
  secret: boolean;
  default?: string;
}

/** The server fields a launch needs. */
export interface LaunchTarget {
  id: string;
  name: string;
  runtime: ServerRuntime;
  /** npm/PyPI package spec installed at image-build time. */
  package?: string | null;
  /** Image reference for the `image` runtime. */
  image?: string | null;
  /** Shell install steps (source builds). */
  install: readonly string[];
  command: string | null;
  args: readonly string[];
  transport: Transport;
  /** Container port for sse/http transports. */
  port?: number | null;
  /** URL path for sse/http transports. */
  path?: string | null;
  env: readonly LaunchEnvVar[];
  lifecycle: Lifecycle;
  /** Default `egress`. */
  network?: NetworkPolicy;
  /** Host folders to mount (judged by `runtime/mounts.ts` before each launch). */
  mounts?: readonly MountRequest[];
}

/** The fields that decide a server's installed image. */
export type InstallIdentityFields =
  & Pick<LaunchTarget, "runtime" | "package" | "image" | "install" | "command" | "args">
  & { install_resolution?: string | null };

/**
 * The install identity: the fields that determine the installed image, as one string (the
 * input of the image's hash).
 * @param server the server's launch fields
 */
export function installIdentity(server: InstallIdentityFields): string {
  return JSON.stringify([
    server.runtime,
    server.package ?? null,
    server.image ?? null,
    server.install,
    server.command,
    server.args,
    // Only when set, so records without it keep their image tags.
    ...(server.install_resolution ? [server.install_resolution] : []),
  ]);
}
