/**
 * @module Sandbox memory guard: puts a running kernel's container under the process-tree memory
 * watchdog (`runtime/tree_watchdog.ts`) and kills it — the whole container, so every process the
 * code forked — once the tree's memory passes `settings.sandboxMemoryMb`. The pending call then
 * fails with a {@linkcode KernelFailure} of kind `memory`; the next call starts a fresh
 * interpreter. Also states, for health, which sandbox memory limits hold.
 */
import type { ContainerBackend } from "../runtime/backend.ts";
import { type TreeMemoryWatchdog, treeWatchdog } from "../runtime/tree_watchdog.ts";
import { createLogger } from "../runtime/foundation/log.ts";
import { KernelFailure, type KernelProcess } from "./kernel_process.ts";
import type { SandboxSettings } from "./settings.ts";
import { SANDBOX_MIN_AS_MB } from "./spec.ts";

const log = createLogger("sandbox.memory");

/** The error text of a call whose sandbox went over its memory cap. */
export function memoryLimitMessage(capMb: number, usedMb?: number, processes?: number): string {
  const seen = usedMb === undefined ? "" : `: ${usedMb} MB in ${processes ?? 1} process(es)`;
  return `the sandbox exceeded its ${capMb} MB memory limit (process tree${seen}) and was ` +
    "restarted; variables were lost";
}

/** Options of {@linkcode guardKernelMemory}. */
export interface MemoryGuardOptions {
  backend: ContainerBackend;
  /** The cap in MB (`settings.sandboxMemoryMb`). */
  capMb: number;
  /** The watchdog (default: the router's shared one). */
  watchdog?: TreeMemoryWatchdog;
}

/**
 * Watch a started kernel's process tree; kill it over the cap. Stops watching when the kernel
 * is killed for any reason.
 * @param kernel a started kernel
 * @param options backend (to find the container's init pid), cap, watchdog
 * @returns whether the kernel is watched (false: the watchdog cannot see its processes)
 */
export async function guardKernelMemory(
  kernel: KernelProcess,
  options: MemoryGuardOptions,
): Promise<boolean> {
  const watchdog = options.watchdog ?? treeWatchdog;
  const state = await options.backend.inspect(kernel.containerId).catch(() => null);
  if (!state?.pid) {
    log.warn("sandbox memory not watched: no container pid", { containerId: kernel.containerId });
    return false;
  }
  const capBytes = options.capMb * 1024 * 1024;
  const unwatch = watchdog.watch({
    rootPid: state.pid,
    capBytes,
    onExceeded: (sample) => {
      const usedMb = Math.round(sample.bytes / (1024 * 1024));
      const message = memoryLimitMessage(options.capMb, usedMb, sample.processes);
      const started = Date.now();
      log.warn("sandbox over its memory limit: killing it", {
        containerId: kernel.containerId,
        capMb: options.capMb,
        usedMb,
        processes: sample.processes,
        measure: sample.measure,
      });
      kernel.fail(new KernelFailure("memory", message)).then(() =>
        log.info("sandbox killed", { containerId: kernel.containerId, ms: Date.now() - started })
      );
    },
  });
  if (!unwatch) return false;
  kernel.onKill(unwatch);
  return true;
}

/**
 * What bounds a sandbox's memory on this host, for health's `limits_in_force`.
 * @param settings `sandboxMemoryMb`
 * @param enforcedLimits the engine's cgroup limits that hold
 * @param watchdog the watchdog whose status is reported (default: the router's)
 */
export function sandboxLimitsInForce(
  settings: Pick<SandboxSettings, "sandboxMemoryMb">,
  enforcedLimits: readonly string[],
  watchdog: TreeMemoryWatchdog = treeWatchdog,
): string[] {
  const mb = settings.sandboxMemoryMb;
  const status = watchdog.status();
  const out: string[] = [];
  if (status.ok) {
    const measure = status.measure?.toUpperCase() ?? "PSS where readable, else RSS";
    out.push(
      `sandbox memory ${mb} MB per process tree (watchdog every ${status.intervalMs} ms, ` +
        `${measure})`,
    );
  } else {
    out.push(`sandbox memory: no process-tree watchdog (${status.reason})`);
  }
  if (enforcedLimits.includes("memory")) out.push(`sandbox memory ${mb} MB (cgroup)`);
  else out.push(`sandbox address space ${Math.max(mb, SANDBOX_MIN_AS_MB)} MB per process (rlimit)`);
  return out;
}
