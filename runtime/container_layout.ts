/**
 * @module Container layout: where things live inside the router's containers (install
 * prefixes, user, home, CA mount) and the labels the router sets. Shared by launch specs,
 * launch commands, mount rules and install images.
 */

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

/** Who a container belongs to, for {@linkcode containerLabels}. */
export interface ContainerOwnership {
  /** Client session id (`shared` for shared containers). */
  sessionId: string;
  /** Server name. */
  serverName: string;
  /** Server id, when the container runs a stored server. */
  serverId?: string;
  /** Lifecycle (`session`, `call`, `shared`). */
  lifecycle: string;
  /** Pid of the router process starting it (orphan sweeps of other routers spare it). */
  owner?: string;
}

/** The labels every router container carries (orphan sweeps and listings go by them). */
export function containerLabels(who: ContainerOwnership): Record<string, string> {
  return {
    [LABELS.router]: "1",
    [LABELS.session]: who.sessionId,
    [LABELS.server]: who.serverName,
    ...(who.serverId === undefined ? {} : { [LABELS.serverId]: who.serverId }),
    [LABELS.lifecycle]: who.lifecycle,
    ...(who.owner ? { [LABELS.owner]: who.owner } : {}),
  };
}

/** Thrown when a plan cannot be turned into a container launch. */
export class LaunchSpecError extends Error {
  override name = "LaunchSpecError";
}
