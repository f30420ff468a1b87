/**
 * @module Container backend contract: what the router needs from a container engine.
 *
 * Implemented for rootless Podman's REST API by `runtime/podman/backend.ts`; the interface leaves
 * room for other engines (Kubernetes). Nothing here knows MCP.
 */
import type { UsernsMode } from "./userns.ts";
import type { ContainerNetwork, EgressSupport } from "./egress.ts";

/** A container to create. Mirrors the subset of libpod's SpecGenerator the router uses. */
export interface ContainerSpec {
  /** Image reference (already present locally). */
  image: string;
  /** Full command (entrypoint + args) to run. */
  command: string[];
  /** Environment injected at create time (values may be secret: never log them). */
  env: Record<string, string>;
  /**
   * Secret environment: delivered as engine secrets mounted as files and exported by a small
   * `/bin/sh` wrapper, so values never appear in the container's config, argv, labels or
   * `inspect` output. Needs `/bin/sh` in the image.
   */
  secretEnv?: Record<string, string>;
  /** Labels, e.g. `mcp-router.session`, `mcp-router.server`. Never secrets. */
  labels: Record<string, string>;
  /** Container name (optional). */
  name?: string;
  /** Working directory inside the container. */
  workdir?: string;
  /** User to run as (`uid:gid` or name); non-root. */
  user?: string;
  /** Keep stdin open for attach (stdio servers). */
  stdin: boolean;
  /** Read-only bind mounts `hostPath → containerPath`. */
  readOnlyMounts: { source: string; destination: string }[];
  /**
   * Host folders or files bind-mounted (non-recursively, `nodev,nosuid`, `ro` unless
   * `readonly` is false); `source` is already resolved and judged (`runtime/mounts.ts`).
   */
  bindMounts?: { source: string; destination: string; readonly: boolean }[];
  /** tmpfs mounts (container paths). */
  tmpfs: string[];
  /** Named volumes (caches). */
  volumes: { name: string; destination: string }[];
  /** Ports to publish on 127.0.0.1: container port → host port (0 = pick a free one). */
  publish: { containerPort: number; hostPort: number }[];
  /**
   * Network mode: `none`; `egress` (the internet, not the host's services: see
   * `runtime/egress.ts`); or `default`, the engine default (`slirp4netns`/`pasta`/bridge).
   */
  network: ContainerNetwork;
  /** Resource limits; applied only where the host enforces them (see limits). */
  limits: { memoryBytes?: number; pids?: number; cpus?: number; nofile?: number };
  /** Hardening: read-only root, cap-drop ALL, no-new-privileges. */
  readOnlyRoot: boolean;
}

/** The byte streams of an attached container (stdout/stderr demultiplexed). */
export interface AttachedStreams {
  stdout: ReadableStream<Uint8Array>;
  stderr: ReadableStream<Uint8Array>;
  stdin: WritableStream<Uint8Array>;
  /** Close the attach connection. */
  close(): void;
}

/** Minimal container state. */
export interface ContainerState {
  id: string;
  running: boolean;
  exitCode: number | null;
  /** Host ports by container port. */
  ports: Record<number, number>;
  labels: Record<string, string>;
  /** Host pid of the container's init while it runs (when the engine reports it). */
  pid?: number | null;
}

/** What the engine can enforce on this host. */
export interface EngineInfo {
  version: string;
  rootless: boolean;
  cgroupVersion: string;
  /** `enforced`, or `unsupported: <why>`. */
  limits: string;
  /** Which limit kinds hold (memory, pids, cpu). */
  enforcedLimits: string[];
  /** Whether each container gets its own host uid range (`userns=auto`); unknown = shared. */
  userns?: UsernsMode;
  /** Whether `egress` containers are kept from the host's addresses; unknown = not. */
  egress?: EgressSupport;
  /** slirp4netns is available (rootless); unknown = engine default network only. */
  slirp4netns?: boolean;
}

/** A container engine the router can drive. */
export interface ContainerBackend {
  /** Engine facts; throws when the engine is unreachable. */
  info(): Promise<EngineInfo>;
  /** Whether an image is present locally. */
  imageExists(ref: string): Promise<boolean>;
  /** Create a container; returns its id. */
  create(spec: ContainerSpec): Promise<string>;
  /** Start a created container. */
  start(id: string): Promise<void>;
  /** Attach to stdin/stdout/stderr (call before or right after start). */
  attach(id: string): Promise<AttachedStreams>;
  /** Current state. */
  inspect(id: string): Promise<ContainerState>;
  /** Stop (SIGTERM, then SIGKILL after `timeoutS`). */
  stop(id: string, options?: { timeoutS?: number }): Promise<void>;
  /** Remove (force kills a running container). */
  remove(id: string, options?: { force?: boolean }): Promise<void>;
  /** Containers carrying all the given labels (running or not). */
  list(labels: Record<string, string>): Promise<ContainerState[]>;
  /** Last log lines of a container. */
  logs(id: string, options?: { tail?: number }): Promise<string[]>;
  /** Release client resources (optional). */
  close?(): void;
}
