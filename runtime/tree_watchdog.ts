/**
 * @module Process-tree memory watchdog: samples the memory of watched container process trees
 * (see `runtime/process_tree.ts`) every `intervalMs` — one `/proc` scan for all of them — and
 * calls a watch's `onExceeded` once when its tree goes over its cap. The caller kills the
 * container. The timer runs only while something is watched and never keeps the process alive.
 */
import { createLogger } from "./foundation/log.ts";
import {
  hostProc,
  isNamespaceInit,
  type MemoryMeasure,
  type ProcReader,
  sampleTrees,
  type TreeSample,
} from "./process_tree.ts";

const log = createLogger("runtime.tree_watchdog");

/** Default sampling period. */
export const WATCHDOG_INTERVAL_MS = 200;

/** One watched tree. */
export interface TreeWatch {
  /** Host pid of the tree's root (the container's init). */
  rootPid: number;
  /** Cap in bytes. */
  capBytes: number;
  /** Called once, with the sample that went over the cap. */
  onExceeded: (sample: TreeSample) => void;
}

/** Whether the watchdog can watch containers on this host, for health. */
export interface WatchdogStatus {
  /** False once a container's processes could not be seen. */
  ok: boolean;
  /** How memory was measured in the last sample (`pss` where readable, else `rss`); null before. */
  measure: MemoryMeasure | null;
  /** Why it cannot watch, when it cannot. */
  reason: string | null;
  intervalMs: number;
}

/** Options of {@linkcode TreeMemoryWatchdog}. */
export interface WatchdogOptions {
  /** Sampling period (default {@linkcode WATCHDOG_INTERVAL_MS}). */
  intervalMs?: number;
  /** The `/proc` to read (default: the host's). */
  proc?: ProcReader;
}

/** Watches container process trees' memory against caps. */
export class TreeMemoryWatchdog {
  readonly #watches = new Set<TreeWatch>();
  readonly #proc: ProcReader;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #problem: string | null = null;
  #measure: MemoryMeasure | null = null;

  /** @param options sampling period and `/proc` seam */
  constructor(options: WatchdogOptions = {}) {
    this.#proc = options.proc ?? hostProc;
    this.#intervalMs = options.intervalMs ?? WATCHDOG_INTERVAL_MS;
    if (this.#proc.pids().length === 0) this.#problem = "no readable /proc on this host";
  }

  /** What the watchdog can do on this host (for health). */
  status(): WatchdogStatus {
    return {
      ok: this.#problem === null,
      measure: this.#measure,
      reason: this.#problem,
      intervalMs: this.#intervalMs,
    };
  }

  /**
   * Watch a container's process tree.
   * @param watch root pid (must be the init of the container's pid namespace), cap, callback
   * @returns a function that stops watching, or null when the root is not a container init
   *   this router can see (the status then says why)
   */
  watch(watch: TreeWatch): (() => void) | null {
    if (!isNamespaceInit(watch.rootPid, this.#proc)) {
      this.#problem = `the router cannot see container pid ${watch.rootPid} as a pid-namespace ` +
        "init in its /proc (another pid namespace, or /proc mounted with hidepid)";
      log.warn("process-tree watchdog unavailable", { reason: this.#problem });
      return null;
    }
    this.#problem = null; // this container is visible: the watchdog works here
    this.#watches.add(watch);
    this.#arm();
    return () => this.#unwatch(watch);
  }

  /** Number of trees watched. */
  get size(): number {
    return this.#watches.size;
  }

  /** Take one sample of every watched tree now (the timer does this every interval). */
  check(): void {
    if (!this.#watches.size) return;
    const watches = [...this.#watches];
    const samples = sampleTrees([...new Set(watches.map((w) => w.rootPid))], this.#proc);
    for (const w of watches) {
      const sample = samples.get(w.rootPid);
      if (!sample) {
        this.#unwatch(w); // the container is gone
        continue;
      }
      this.#measure = sample.measure;
      if (sample.bytes <= w.capBytes) continue;
      this.#unwatch(w);
      try {
        w.onExceeded(sample);
      } catch (cause) {
        log.warn("watchdog callback failed", { cause });
      }
    }
  }

  /** Stop every watch and the timer. */
  close(): void {
    this.#watches.clear();
    this.#disarm();
  }

  #unwatch(watch: TreeWatch): void {
    this.#watches.delete(watch);
    if (!this.#watches.size) this.#disarm();
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.check(), this.#intervalMs);
    Deno.unrefTimer(this.#timer);
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** The router's one watchdog (shared by every sandbox; health reads its status). */
export const treeWatchdog: TreeMemoryWatchdog = new TreeMemoryWatchdog();
