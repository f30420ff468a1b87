import assert from "node:assert/strict";
import {
  isNamespaceInit,
  parentPid,
  processMemory,
  type ProcReader,
  sampleTrees,
} from "../../runtime/process_tree.ts";

interface FakeProc {
  ppid: number;
  pss?: number;
  rss: number;
  nspid?: string;
}

/** A /proc with the given processes (memory in kB; `pss` undefined = smaps_rollup unreadable). */
function fakeProc(procs: Record<number, FakeProc>): ProcReader {
  return {
    pids: () => Object.keys(procs).map(Number),
    read(pid, name) {
      const p = procs[pid];
      if (!p) return null;
      if (name === "stat") return `${pid} (py) thon) S ${p.ppid} ${pid} ${pid} 0 -1`;
      if (name === "smaps_rollup") {
        return p.pss === undefined ? null : `Rss: ${p.rss} kB\nPss:  ${p.pss} kB\n`;
      }
      if (name === "status") {
        return `Name:\tpy\nNSpid:\t${p.nspid ?? pid}\nVmRSS:\t   ${p.rss} kB\n`;
      }
      return null;
    },
  };
}

Deno.test("process tree - the parent pid is read past a comm holding ') '", () => {
  assert.equal(parentPid("42 (a) b) S 7 42 42 0"), 7);
  assert.equal(parentPid("garbage"), null);
});

Deno.test("process tree - a tree sums its root, children and grandchildren only", () => {
  const proc = fakeProc({
    1: { ppid: 0, rss: 10_000, pss: 10_000 },
    100: { ppid: 1, rss: 1_000, pss: 1_000 }, // the container init
    101: { ppid: 100, rss: 50_000, pss: 40_000 }, // the kernel
    102: { ppid: 101, rss: 50_000, pss: 20_000 }, // forked children share pages
    103: { ppid: 102, rss: 30_000, pss: 30_000 },
    200: { ppid: 1, rss: 99_000, pss: 99_000 }, // someone else
  });
  const sample = sampleTrees([100], proc).get(100)!;
  assert.deepEqual(sample, { processes: 4, bytes: 91_000 * 1024, measure: "pss" });
  assert.equal(sampleTrees([999], proc).size, 0, "a gone root has no sample");
});

Deno.test("process tree - without PSS access RSS is used (and said)", () => {
  const proc = fakeProc({
    100: { ppid: 1, rss: 1_000 },
    101: { ppid: 100, rss: 2_000, pss: 1_500 },
  });
  assert.deepEqual(processMemory(100, proc), { bytes: 1_000 * 1024, measure: "rss" });
  assert.deepEqual(sampleTrees([100], proc).get(100), {
    processes: 2,
    bytes: 2_500 * 1024,
    measure: "rss",
  });
});

Deno.test("process tree - only a pid-namespace init counts as a container's root", () => {
  const proc = fakeProc({
    100: { ppid: 1, rss: 1, nspid: "100\t1" },
    101: { ppid: 100, rss: 1, nspid: "101\t2" },
    102: { ppid: 1, rss: 1 },
  });
  assert.equal(isNamespaceInit(100, proc), true);
  assert.equal(isNamespaceInit(101, proc), false);
  assert.equal(isNamespaceInit(102, proc), false);
  assert.equal(isNamespaceInit(555, proc), false);
});

Deno.test("process tree - the host's /proc is readable here", () => {
  const sample = sampleTrees([Deno.pid]).get(Deno.pid);
  assert.ok(sample && sample.bytes > 1024 * 1024, "this process has resident memory");
});
