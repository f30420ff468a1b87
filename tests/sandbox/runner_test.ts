/**
 * @module SandboxManager unit tests over {@linkcode LocalKernelBackend} (the kernel package as a local
 * python3 process): sessions, state, timeouts, crashes, floods, reset, idle removal, spec.
 */
import assert from "node:assert/strict";
import { testSettings } from "../../server/settings.ts";
import { SandboxError } from "../../sandbox/errors.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { ContainerSlots } from "../../runtime/sessions.ts";
import {
  SANDBOX_LABEL,
  SANDBOX_SLOT_KEY,
  SandboxManager,
  type SandboxManagerOptions,
} from "../../sandbox/runner.ts";
import { handleSandboxCall } from "../../sandbox/tool.ts";
import { LocalKernelBackend, pythonHas } from "./local_backend.ts";
import { hostProc, type ProcReader } from "../../runtime/process_tree.ts";
import { TreeMemoryWatchdog } from "../../runtime/tree_watchdog.ts";
import { sandboxLimitsInForce } from "../../sandbox/memory_guard.ts";
import { buildSandboxSpec, SANDBOX_MAX_PIDS } from "../../sandbox/spec.ts";

const HAS_PYTHON = await pythonHas([]);
if (!HAS_PYTHON) console.log("sandbox runner tests skipped: no python3 on PATH");
if (!Deno.env.get("LOG")) setLogSink(() => {});

function setup(
  overrides: Partial<Record<string, unknown>> = {},
  options: SandboxManagerOptions = {},
  slots?: ContainerSlots,
) {
  const backend = new LocalKernelBackend();
  const settings = testSettings({ sandboxTimeoutS: 10, sandboxMaxTimeoutS: 20, ...overrides });
  let builds = 0;
  const manager = new SandboxManager({
    backend,
    settings,
    ensureImage: () => {
      builds++;
      return Promise.resolve("localhost/mcp-router-sandbox:test");
    },
    slots,
  }, options);
  return {
    backend,
    manager,
    builds: () => builds,
    async [Symbol.asyncDispose]() {
      await manager.shutdown();
      await backend.dispose();
    },
  };
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name: `Sandbox runner - ${name}`, ignore: !HAS_PYTHON, fn });

test("state persists within a session and not across sessions", async () => {
  await using s = setup();
  const first = await s.manager.run("a", { code: "x = 40\nx + 2" });
  assert.equal(first.result, "42");
  assert.equal(first.exit_status, "ok");
  assert.equal(first.state_lost, false);
  assert.equal((await s.manager.run("a", { code: "x" })).result, "40");
  const other = await s.manager.run("b", { code: "x" });
  assert.equal(other.exit_status, "error");
  assert.equal(other.error?.type, "NameError");
  assert.equal(s.backend.created.length, 2);
  assert.equal(s.builds(), 2);
});

test("the container spec is hardened", async () => {
  await using s = setup();
  await s.manager.run("sess-1", { code: "1" });
  const spec = s.backend.created[0];
  assert.equal(spec.network, "none");
  assert.equal(spec.readOnlyRoot, true);
  assert.equal(spec.user, "1000:1000");
  assert.equal(spec.stdin, true);
  assert.deepEqual(spec.publish, []);
  assert.ok(spec.tmpfs.some((t) => t.startsWith("/work:") && t.includes("noexec")));
  assert.ok(spec.tmpfs.some((t) => t.startsWith("/tmp:")));
  assert.equal(spec.labels[SANDBOX_LABEL], "1");
  assert.equal(spec.labels["mcp-router.session"], "sess-1");
  assert.equal(spec.readOnlyMounts.length, 0, "no CA bundle without network");
  const withNet = buildSandboxSpec("x", {
    settings: testSettings({ sandboxNetwork: true }),
    image: "img",
    enforcedLimits: [],
  });
  assert.equal(withNet.network, "default");
  assert.equal(withNet.env.SSL_CERT_FILE, "/etc/ssl/certs/ca-certificates.crt");
  assert.ok(withNet.env.KERNEL_MEMORY_MB, "RLIMIT_AS fallback when memory is not enforced");
  // the sandbox's own caps: memory from sandboxMemoryMb, processes at most SANDBOX_MAX_PIDS
  const capped = buildSandboxSpec("x", {
    settings: testSettings({ sandboxMemoryMb: 4096, containerPids: 1000 }),
    image: "img",
    enforcedLimits: [],
  });
  assert.equal(capped.limits.memoryBytes, 4096 * 1024 * 1024);
  assert.equal(capped.limits.pids, SANDBOX_MAX_PIDS);
  assert.equal(capped.env.KERNEL_MEMORY_MB, "4096");
});

test("a soft timeout interrupts the code and keeps state", async () => {
  await using s = setup();
  await s.manager.run("a", { code: "kept = 1" });
  const r = await s.manager.run("a", { code: "while True:\n    pass", timeout_s: 0.5 });
  assert.equal(r.exit_status, "timeout");
  assert.equal(r.timed_out, true);
  assert.equal(r.state_lost, false);
  assert.equal(r.error?.type, "TimeoutError");
  assert.equal((await s.manager.run("a", { code: "kept" })).result, "1");
});

test("code that defeats the soft timeout is killed and the next call restarts", async () => {
  await using s = setup();
  await s.manager.run("a", { code: "kept = 1" });
  const started = Date.now();
  const r = await s.manager.run("a", {
    code: "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ntime.sleep(60)",
    timeout_s: 0.2,
  });
  assert.ok(Date.now() - started < 15_000);
  assert.equal(r.exit_status, "timeout");
  assert.equal(r.state_lost, true);
  assert.equal(s.backend.containers.size, 0, "killed container removed");
  const next = await s.manager.run("a", { code: "'kept' in globals()" });
  assert.equal(next.result, "False");
  assert.equal(next.state_lost, true);
  assert.match(next.notes.join("\n"), /new interpreter/);
  const after = await s.manager.run("a", { code: "1" });
  assert.equal(after.state_lost, false);
});

test("an interpreter crash is reported and recovered from", async () => {
  await using s = setup();
  const r = await s.manager.run("a", {
    code: "import os, sys\nsys.__stderr__.write('dying\\n')\nos._exit(3)",
  });
  assert.equal(r.exit_status, "crashed");
  assert.equal(r.state_lost, true);
  assert.equal(r.error?.type, "SandboxCrashed");
  const next = await s.manager.run("a", { code: "2 + 2" });
  assert.equal(next.result, "4");
});

test("an output flood is capped in the kernel and the router", async () => {
  await using s = setup();
  const r = await s.manager.run("a", { code: "for _ in range(200_000):\n    print('z' * 100)" });
  assert.equal(r.stdout_truncated, true);
  assert.ok(r.stdout.length < 110_000);
  assert.match(r.stdout, /output truncated: \d+ more bytes dropped/);
  const native = await s.manager.run("a", {
    code: "import os\nos.write(2, b'E' * 300_000)\nos.write(1, b'native\\n')",
  });
  assert.equal(native.stderr_truncated, true);
  assert.ok(native.stderr.length < 110_000);
  assert.match(native.stdout, /native/);
});

test("reset discards state", async () => {
  await using s = setup();
  await s.manager.run("a", { code: "y = 1" });
  const r = await s.manager.run("a", { code: "'y' in globals()", reset: true });
  assert.equal(r.result, "False");
  assert.equal(r.state_lost, true);
  assert.match(r.notes.join(), /reset/);
});

test("calls of one session are serialized", async () => {
  await using s = setup();
  await s.manager.run("a", { code: "log = []" });
  const [one, two] = await Promise.all([
    s.manager.run("a", { code: "import time\nlog.append(1); time.sleep(0.3); log.append(2)" }),
    s.manager.run("a", { code: "log.append(3); list(log)" }),
  ]);
  assert.equal(one.exit_status, "ok");
  assert.equal(two.result, "[1, 2, 3]");
});

test("the timeout is clamped to the maximum", async () => {
  await using s = setup({ sandboxMaxTimeoutS: 1 });
  const r = await s.manager.run("a", { code: "1", timeout_s: 999 });
  assert.match(r.notes.join(), /clamped to the maximum of 1 s/);
});

test("invalid arguments are rejected; handleSandboxCall reports them", async () => {
  await using s = setup();
  await assert.rejects(
    s.manager.run("a", { code: 5 }),
    (e) => e instanceof SandboxError && e.kind === "invalid_input",
  );
  const bad = await handleSandboxCall(s.manager, "a", {
    code: "1",
    files: [{ name: "../etc/passwd", content: "x" }],
  });
  assert.equal(bad.isError, true);
  assert.match(JSON.stringify(bad.content), /files\.0\.name/);
  const ok = await handleSandboxCall(s.manager, "a", { code: "6 * 7" });
  assert.equal(ok.isError, false);
  assert.equal((ok.structuredContent as { result: string }).result, "42");
});

test("input files are written and /work/out files come back", async () => {
  await using s = setup();
  const r = await s.manager.run("a", {
    code: "import os\nos.makedirs('out', exist_ok=True)\n" +
      "open('out/copy.txt', 'w').write(open('in.txt').read().upper())",
    files: [{ name: "in.txt", content: "hello" }],
  });
  assert.equal(r.exit_status, "ok", JSON.stringify(r.error));
  assert.equal(r.files_out.length, 1);
  assert.equal(atob(r.files_out[0].data!), "HELLO");
});

test("an idle session's container is removed", async () => {
  await using s = setup({ sessionIdleTimeoutMs: 150 });
  await s.manager.run("a", { code: "v = 1" });
  assert.equal(s.backend.containers.size, 1);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(s.backend.containers.size, 0);
  const r = await s.manager.run("a", { code: "'v' in globals()" });
  assert.equal(r.result, "False");
  // The session itself was forgotten: a fresh session, not a lost interpreter.
  assert.equal(r.state_lost, false);
  assert.doesNotMatch(r.notes.join("\n"), /new interpreter/);
});

test("past the session cap the least recently used idle session is evicted", async () => {
  await using s = setup({}, { maxSessions: 2 });
  await s.manager.run("a", { code: "1" });
  await s.manager.run("b", { code: "1" });
  await s.manager.run("c", { code: "1" });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(s.backend.containers.size, 2);
  const live = [...s.backend.containers.values()].map((c) => c.spec.labels["mcp-router.session"]);
  assert.deepEqual(live.sort(), ["b", "c"], "the least recently used session (a) was evicted");
});

test("an image failure is runtime_unavailable and retried next time", async () => {
  const backend = new LocalKernelBackend();
  let attempts = 0;
  const manager = new SandboxManager({
    backend,
    settings: testSettings(),
    ensureImage: () => {
      attempts++;
      return attempts === 1 ? Promise.reject(new Error("no base")) : Promise.resolve("img");
    },
  });
  try {
    await assert.rejects(
      manager.run("a", { code: "1" }),
      (e) => e instanceof SandboxError && e.kind === "unavailable",
    );
    assert.equal((await manager.run("a", { code: "1" })).result, "1");
  } finally {
    await manager.shutdown();
    await backend.dispose();
  }
});

test("endSession and shutdown remove containers", async () => {
  await using s = setup();
  await s.manager.run("a", { code: "1" });
  await s.manager.run("b", { code: "1" });
  await s.manager.endSession("a");
  assert.equal(s.backend.containers.size, 1);
  await s.manager.shutdown();
  assert.equal(s.backend.containers.size, 0);
  await assert.rejects(s.manager.run("c", { code: "1" }), SandboxError);
});

test("shutdown waits for a removal already under way", async () => {
  await using s = setup();
  await s.manager.run("a", { code: "1" });
  const remove = s.backend.remove.bind(s.backend);
  s.backend.remove = async (...args: Parameters<typeof remove>) => {
    await new Promise((r) => setTimeout(r, 200));
    await remove(...args);
  };
  const ending = s.manager.endSession("a");
  await s.manager.shutdown();
  assert.equal(s.backend.containers.size, 0, "removed before shutdown returned");
  await ending;
});

test("a session ended while its interpreter starts leaves no container", async () => {
  await using s = setup();
  const pending = s.manager.run("a", { code: "1" });
  await s.manager.endSession("a");
  await assert.rejects(pending, (e) => e instanceof SandboxError && e.kind === "conflict");
  assert.equal(s.backend.containers.size, 0);
});

test("over its memory cap the process tree is killed, the call says so, the next call works", async () => {
  // The local kernel is no container init: a /proc view that says it is (NSpid … 1).
  let backend: LocalKernelBackend | null = null;
  const kernelPids = () =>
    new Set([...backend!.containers.values()].map((c) => c.child?.pid).filter(Boolean));
  const proc: ProcReader = {
    pids: () => hostProc.pids(),
    read: (pid, name) => {
      const text = hostProc.read(pid, name);
      if (name !== "status" || !kernelPids().has(pid)) return text;
      return text?.replace(/^NSpid:.*$/m, `NSpid:\t${pid}\t1`) ?? null;
    },
  };
  const watchdog = new TreeMemoryWatchdog({ proc, intervalMs: 50 });
  await using s = setup({ sandboxMemoryMb: 96 }, { watchdog });
  backend = s.backend;
  assert.equal((await s.manager.run("a", { code: "x = 1\nx" })).result, "1");
  assert.equal(watchdog.size, 1, "the kernel is watched");
  const started = Date.now();
  const r = await s.manager.run("a", {
    code: "import time\nblock = b'x' * (200 << 20)\ntime.sleep(20)\n'survived'",
  });
  assert.ok(Date.now() - started < 10_000, "killed well before the call's timeout");
  assert.equal(r.exit_status, "crashed");
  assert.equal(r.error?.type, "MemoryLimitExceeded");
  assert.match(r.error!.message, /exceeded its 96 MB memory limit \(process tree: \d+ MB/);
  assert.match(r.error!.message, /restarted; variables were lost/);
  assert.equal(r.state_lost, true);
  assert.equal(watchdog.size, 0, "the dead kernel is no longer watched");
  const next = await s.manager.run("a", { code: "print(1)" });
  assert.equal(next.stdout, "1\n");
  assert.ok(next.notes.some((n) => /new interpreter/.test(n)));
  assert.equal(watchdog.size, 1, "the new kernel is watched");
  watchdog.close();
});

test("a kernel the watchdog cannot see as a container is run unwatched and health says so", async () => {
  const watchdog = new TreeMemoryWatchdog({ intervalMs: 50 });
  await using s = setup({}, { watchdog });
  assert.equal((await s.manager.run("a", { code: "1" })).result, "1");
  assert.equal(watchdog.size, 0);
  const lines = sandboxLimitsInForce({ sandboxMemoryMb: 2048 }, [], watchdog);
  assert.match(lines[0], /^sandbox memory: no process-tree watchdog \(.*pid-namespace init/);
  assert.equal(lines[1], "sandbox address space 2048 MB per process (rlimit)");
});

test("a sandbox counts against the container slots it shares with MCP servers", async () => {
  const slots = new ContainerSlots(1, 8);
  await using s = setup({}, { slotWaitMs: 100 }, slots);
  const busy = slots.tryAcquire("some-mcp-server")!; // an MCP server's container holds the only slot
  await assert.rejects(
    s.manager.run("a", { code: "1" }),
    (e) =>
      e instanceof SandboxError && e.kind === "unavailable" &&
      e.message ===
        "container limit reached (1 running): end idle sessions or raise MCP_ROUTER_MAX_CONTAINERS",
  );
  assert.equal(s.backend.containers.size, 0, "no container without a slot");
  const refused = await handleSandboxCall(s.manager, "a", { code: "1" });
  assert.equal(refused.isError, true);
  assert.match(JSON.stringify(refused.content), /container limit reached \(1 running\)/);
  busy();
  assert.equal((await s.manager.run("a", { code: "6 * 7" })).result, "42");
  assert.equal(slots.count(), 1);
  assert.equal(slots.count(SANDBOX_SLOT_KEY), 1);
  assert.equal(slots.tryAcquire("some-mcp-server"), null, "the sandbox now holds the slot");
  await s.manager.endSession("a");
  assert.equal(slots.count(), 0, "the slot is freed once the container is removed");
});

test("a sandbox start waits for a slot to free", async () => {
  const slots = new ContainerSlots(1, 8);
  await using s = setup({}, { slotWaitMs: 5_000 }, slots);
  const busy = slots.tryAcquire("some-mcp-server")!;
  setTimeout(busy, 200);
  const started = Date.now();
  assert.equal((await s.manager.run("a", { code: "1" })).result, "1");
  assert.ok(Date.now() - started >= 150, "waited for the slot");
});

test("at the per-server cap an idle sandbox gives its slot to a new session", async () => {
  const slots = new ContainerSlots(16, 1);
  await using s = setup({}, { slotWaitMs: 2_000 }, slots);
  await s.manager.run("a", { code: "x = 1" });
  assert.equal((await s.manager.run("b", { code: "2" })).result, "2");
  assert.equal(slots.count(SANDBOX_SLOT_KEY), 1);
  const live = [...s.backend.containers.values()].map((c) => c.spec.labels["mcp-router.session"]);
  assert.deepEqual(live, ["b"]);
});

test("slots are freed when an interpreter dies, is reset or fails to start", async () => {
  const slots = new ContainerSlots(16, 8);
  await using s = setup({}, {}, slots);
  await s.manager.run("a", { code: "import os\nos._exit(3)" });
  assert.equal(slots.count(), 0, "crashed interpreter's slot freed");
  await s.manager.run("a", { code: "1" });
  await s.manager.run("a", { code: "1", reset: true });
  assert.equal(slots.count(), 1, "reset swaps the container, one slot held");
  const broken = new SandboxManager({
    backend: s.backend,
    settings: testSettings({ startTimeoutMs: 5_000 }),
    ensureImage: () => Promise.resolve("img"),
    slots,
  }, { command: ["python3", "-c", "print('not a kernel')"] });
  await assert.rejects(
    broken.run("b", { code: "1" }),
    (e) => e instanceof SandboxError && e.kind === "unavailable",
  );
  assert.equal(slots.count(), 1, "a failed start holds no slot");
  await broken.shutdown();
});
