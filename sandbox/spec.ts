/**
 * @module Sandbox container spec: the hardened ContainerSpec of one session's interpreter
 * (no network unless enabled, read-only root, tmpfs /work and /tmp, non-root, limits).
 *
 * Memory: `settings.sandboxMemoryMb` bounds the whole process tree (the router's watchdog, see
 * `sandbox/memory_guard.ts`; the cgroup too where it holds); where the memory cgroup does not
 * hold, `RLIMIT_AS` also caps each process. Processes: at most {@linkcode SANDBOX_MAX_PIDS}
 * (RLIMIT_NPROC per container with userns=auto, else the pids cgroup or the shared budget).
 */
import type { ContainerSpec } from "../runtime/backend.ts";
import { CA_MOUNT, caEnv, CONTAINER_USER, containerLabels } from "../runtime/launch_spec.ts";
import { KERNEL_PATH } from "./image.ts";
import type { SandboxSettings } from "./settings.ts";

/** Label marking sandbox containers (value `1`). */
export const SANDBOX_LABEL = "mcp-router.sandbox";
/** Server label value of sandbox containers. */
export const SANDBOX_SERVER_NAME = "python_sandbox";
/** Most processes (and threads) of one sandbox, whatever `settings.containerPids` allows. */
export const SANDBOX_MAX_PIDS = 256;
/** Lowest per-process address-space cap: numpy/scipy map far more than they touch. */
export const SANDBOX_MIN_AS_MB = 2048;

/** tmpfs options of /work and /tmp: owned by the container user (`U`), no exec, sized. */
export const TMPFS_OPTIONS = "rw,nosuid,nodev,noexec,size=256m,U";

/** Inputs of {@linkcode buildSandboxSpec}. */
export interface SandboxSpecOptions {
  settings: Pick<
    SandboxSettings,
    "caBundle" | "sandboxNetwork" | "sandboxMemoryMb" | "containerCpus" | "containerPids"
  >;
  /** Sandbox image tag. */
  image: string;
  /** Limit kinds the engine enforces; memory falls back to RLIMIT_AS otherwise. */
  enforcedLimits: string[];
  /** Command override (default: `python3 -u /opt/sandbox/kernel`; the engine adds an init). */
  command?: string[];
  /** Extra kernel environment. */
  env?: Record<string, string>;
}

/**
 * The hardened container spec for one session's sandbox.
 * @param sessionId MCP client session id (label only)
 * @param options settings, image, enforced limits, overrides
 */
export function buildSandboxSpec(sessionId: string, options: SandboxSpecOptions): ContainerSpec {
  const { settings } = options;
  const env: Record<string, string> = {
    HOME: "/work",
    KERNEL_WORKDIR: "/work",
    MPLBACKEND: "Agg",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    OPENBLAS_NUM_THREADS: String(Math.max(1, Math.floor(settings.containerCpus))),
    OMP_NUM_THREADS: String(Math.max(1, Math.floor(settings.containerCpus))),
    KERNEL_FSIZE_MB: "256",
    ...options.env,
  };
  if (!options.enforcedLimits.includes("memory")) {
    // No cgroup memory limit on this host: cap each process's address space too (generous,
    // since virtual size runs well above resident size for numpy/scipy); the watchdog bounds
    // the tree's resident memory.
    env.KERNEL_MEMORY_MB ??= String(Math.max(settings.sandboxMemoryMb, SANDBOX_MIN_AS_MB));
  }
  const readOnlyMounts: ContainerSpec["readOnlyMounts"] = [];
  if (settings.caBundle && settings.sandboxNetwork) {
    readOnlyMounts.push({ source: settings.caBundle, destination: CA_MOUNT });
    Object.assign(env, caEnv());
  }
  return {
    image: options.image,
    command: options.command ?? ["python3", "-u", KERNEL_PATH],
    env,
    labels: {
      // Orphan sweeps of other router processes on this host spare containers of a live owner.
      ...containerLabels({
        sessionId,
        serverName: SANDBOX_SERVER_NAME,
        lifecycle: "session",
        owner: String(Deno.pid),
      }),
      [SANDBOX_LABEL]: "1",
    },
    workdir: "/work",
    user: CONTAINER_USER,
    stdin: true,
    readOnlyMounts,
    tmpfs: [`/work:${TMPFS_OPTIONS}`, `/tmp:${TMPFS_OPTIONS}`],
    volumes: [],
    publish: [],
    network: settings.sandboxNetwork ? "default" : "none",
    limits: {
      memoryBytes: settings.sandboxMemoryMb * 1024 * 1024,
      pids: Math.min(settings.containerPids, SANDBOX_MAX_PIDS),
      cpus: settings.containerCpus,
      nofile: 1024,
    },
    readOnlyRoot: true,
  };
}
