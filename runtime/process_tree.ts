/**
 * @module Process-tree memory, read from the host's `/proc`: the resident memory of a container's
 * init and every process below it (children, grandchildren, orphans re-parented to the init).
 *
 * Works where cgroups do not (rootless Podman on cgroups v1): it needs only that the router
 * sees the engine's processes (same pid namespace, `/proc` without `hidepid`). Memory is the
 * proportional set size (`Pss` of `smaps_rollup`, pages shared after `fork` split between the
 * sharers) where the router may read it (root, or the processes' own user), else the resident
 * set size (`VmRSS` of `status`, readable by anyone; shared pages then count once per process).
 */

/** Read access to a `/proc` tree (a seam for tests). */
export interface ProcReader {
  /** Every pid currently listed. */
  pids(): number[];
  /** The text of `/proc/<pid>/<name>`, or null when unreadable or gone. */
  read(pid: number, name: string): string | null;
}

/** The host's `/proc`. */
export const hostProc: ProcReader = {
  pids() {
    const out: number[] = [];
    try {
      for (const entry of Deno.readDirSync("/proc")) {
        const pid = Number(entry.name);
        if (Number.isInteger(pid) && pid > 0) out.push(pid);
      }
    } catch {
      // no /proc: nothing to see
    }
    return out;
  },
  read(pid, name) {
    try {
      return Deno.readTextFileSync(`/proc/${pid}/${name}`);
    } catch {
      return null;
    }
  },
};

/** How a tree's memory was measured. */
export type MemoryMeasure = "pss" | "rss";

/** One reading of a process tree. */
export interface TreeSample {
  /** Processes in the tree (the root included). */
  processes: number;
  /** Their memory in bytes. */
  bytes: number;
  /** `pss` when every process's PSS was readable, else `rss`. */
  measure: MemoryMeasure;
}

/** Most processes walked per tree (a fork bomb cannot make one reading unbounded). */
export const MAX_TREE_PROCESSES = 10_000;

/** The parent pid in a `/proc/<pid>/stat` line (the field after the state, past the comm). */
export function parentPid(stat: string): number | null {
  const close = stat.lastIndexOf(")");
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(" ");
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

/** A `Key:   N kB` value of a `/proc` file, in bytes. */
function kbField(text: string, key: string): number | null {
  const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) * 1024 : null;
}

/** One process's memory: PSS where readable, else RSS (null when gone). */
export function processMemory(
  pid: number,
  proc: ProcReader,
): { bytes: number; measure: MemoryMeasure } | null {
  const rollup = proc.read(pid, "smaps_rollup");
  const pss = rollup === null ? null : kbField(rollup, "Pss");
  if (pss !== null) return { bytes: pss, measure: "pss" };
  const status = proc.read(pid, "status");
  if (status === null) return null;
  // Kernel threads and zombies have no VmRSS: nothing resident.
  return { bytes: kbField(status, "VmRSS") ?? 0, measure: "rss" };
}

/**
 * Whether `pid` is the init of a child pid namespace as this router sees it (its `NSpid` ends in
 * 1 and names more than one namespace): the container's init, not an unrelated process that
 * happens to carry the number the engine reported from another pid namespace.
 */
export function isNamespaceInit(pid: number, proc: ProcReader = hostProc): boolean {
  const status = proc.read(pid, "status");
  const m = status?.match(/^NSpid:\s+([\d\s]+)$/m);
  if (!m) return false;
  const ids = m[1].trim().split(/\s+/);
  return ids.length > 1 && ids[ids.length - 1] === "1" && ids[0] === String(pid);
}

/**
 * Read several process trees in one scan of `/proc`.
 * @param roots the trees' root pids
 * @param proc the `/proc` to read (default: the host's)
 * @returns a sample per root that still exists
 */
export function sampleTrees(
  roots: readonly number[],
  proc: ProcReader = hostProc,
): Map<number, TreeSample> {
  const children = new Map<number, number[]>();
  for (const pid of proc.pids()) {
    const stat = proc.read(pid, "stat");
    const ppid = stat === null ? null : parentPid(stat);
    if (ppid === null) continue;
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out = new Map<number, TreeSample>();
  for (const root of roots) {
    const rootMemory = processMemory(root, proc);
    if (!rootMemory) continue;
    const sample: TreeSample = {
      processes: 1,
      bytes: rootMemory.bytes,
      measure: rootMemory.measure,
    };
    const queue = [...(children.get(root) ?? [])];
    const seen = new Set([root]);
    while (queue.length && sample.processes < MAX_TREE_PROCESSES) {
      const pid = queue.pop()!;
      if (seen.has(pid)) continue;
      seen.add(pid);
      const memory = processMemory(pid, proc);
      if (!memory) continue;
      sample.processes++;
      sample.bytes += memory.bytes;
      if (memory.measure === "rss") sample.measure = "rss";
      queue.push(...(children.get(pid) ?? []));
    }
    out.set(root, sample);
  }
  return out;
}
