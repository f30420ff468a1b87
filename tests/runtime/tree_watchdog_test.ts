import assert from "node:assert/strict";
import type { ProcReader } from "../../runtime/process_tree.ts";
import { TreeMemoryWatchdog } from "../../runtime/tree_watchdog.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";

if (!Deno.env.get("LOG")) setLogSink(() => {});

/** A /proc of one container: init 100, kernel 101, and a child whose memory the test sets. */
function containerProc(state: { childKb: number; gone?: boolean }): ProcReader {
  const procs: Record<number, { ppid: number; kb: () => number; nspid: string }> = {
    100: { ppid: 1, kb: () => 1_000, nspid: "100\t1" },
    101: { ppid: 100, kb: () => 30_000, nspid: "101\t2" },
    102: { ppid: 101, kb: () => state.childKb, nspid: "102\t3" },
  };
  return {
    pids: () => (state.gone ? [] : Object.keys(procs).map(Number)),
    read(pid, name) {
      const p = state.gone ? undefined : procs[pid];
      if (!p) return null;
      if (name === "stat") return `${pid} (x) S ${p.ppid} 0`;
      if (name === "smaps_rollup") return `Pss: ${p.kb()} kB\n`;
      if (name === "status") return `NSpid:\t${p.nspid}\nVmRSS:\t${p.kb()} kB\n`;
      return null;
    },
  };
}

Deno.test("tree watchdog - calls back once when the tree passes its cap, then stops", () => {
  const state = { childKb: 1_000 };
  const watchdog = new TreeMemoryWatchdog({ proc: containerProc(state), intervalMs: 60_000 });
  const exceeded: number[] = [];
  const stop = watchdog.watch({
    rootPid: 100,
    capBytes: 64 * 1024 * 1024,
    onExceeded: (s) => exceeded.push(s.bytes),
  });
  assert.ok(stop, "a container init is watched");
  watchdog.check();
  assert.deepEqual(exceeded, []);
  state.childKb = 40_000; // 1 + 30 + 40 MB > 64 MB
  watchdog.check();
  watchdog.check();
  assert.deepEqual(exceeded, [71_000 * 1024]);
  assert.equal(watchdog.size, 0);
  assert.equal(watchdog.status().measure, "pss");
  assert.equal(watchdog.status().ok, true);
});

Deno.test("tree watchdog - a gone container is dropped; unwatch stops the timer", () => {
  const state = { childKb: 1, gone: false };
  const watchdog = new TreeMemoryWatchdog({ proc: containerProc(state), intervalMs: 60_000 });
  const stop = watchdog.watch({ rootPid: 100, capBytes: 1 << 30, onExceeded: () => {} })!;
  const other = watchdog.watch({ rootPid: 100, capBytes: 1 << 30, onExceeded: () => {} })!;
  assert.equal(watchdog.size, 2);
  stop();
  assert.equal(watchdog.size, 1);
  state.gone = true;
  watchdog.check();
  assert.equal(watchdog.size, 0);
  other();
});

Deno.test("tree watchdog - a pid that is no container init is refused and reported", () => {
  const watchdog = new TreeMemoryWatchdog({ proc: containerProc({ childKb: 1 }) });
  assert.equal(watchdog.watch({ rootPid: 101, capBytes: 1, onExceeded: () => {} }), null);
  const status = watchdog.status();
  assert.equal(status.ok, false);
  assert.match(status.reason ?? "", /cannot see container pid 101/);
});
