/**
 * @module Kernel package (`sandbox/kernel/`) protocol tests: the kernel runs as a local process (host python3, or
 * `MCP_ROUTER_TEST_PYTHON`); figure tests need matplotlib there and are skipped otherwise.
 */
import assert from "node:assert/strict";
import { BoundedLineReader } from "../../runtime/foundation/lines.ts";
import { type KernelResponse, KernelResponseSchema } from "../../sandbox/schemas.ts";
import { KERNEL_SOURCE, pythonHas, testPython } from "./local_backend.ts";
import { decodeBase64, pngSize } from "./png.ts";

const HAS_PYTHON = await pythonHas([]);
const HAS_MPL = HAS_PYTHON && await pythonHas(["matplotlib"]);
if (!HAS_PYTHON) console.log("kernel tests skipped: no python3");
else if (!HAS_MPL) {
  console.log(
    "kernel figure tests skipped: set MCP_ROUTER_TEST_PYTHON to a python with matplotlib",
  );
}

/** A kernel process with request/response helpers. */
async function startKernel(env: Record<string, string> = {}) {
  const dir = await Deno.makeTempDir({ prefix: "kernel-test-" });
  const child = new Deno.Command(testPython(), {
    args: [KERNEL_SOURCE],
    env: { KERNEL_WORKDIR: dir, TMPDIR: dir, MPLBACKEND: "Agg", ...env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = new BoundedLineReader(child.stdout, { maxLineBytes: 64 * 1024 * 1024 });
  const writer = child.stdin.getWriter();
  const stderr = child.stderr.pipeTo(new WritableStream()).catch(() => {});
  const ready = JSON.parse((await reader.next())!);
  assert.equal(ready.ready, true);
  let seq = 0;
  return {
    dir,
    async run(code: string, extra: Record<string, unknown> = {}): Promise<KernelResponse> {
      const id = `t${++seq}`;
      await writer.write(new TextEncoder().encode(JSON.stringify({ id, code, ...extra }) + "\n"));
      const line = await reader.next();
      assert.ok(line, "kernel answered");
      const res = KernelResponseSchema.parse(JSON.parse(line));
      assert.equal(res.id, id);
      return res;
    },
    async [Symbol.asyncDispose]() {
      await writer.close().catch(() => {});
      await child.status;
      await reader.cancel();
      await stderr;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

const test = (name: string, fn: () => Promise<void>, needsMpl = false) =>
  Deno.test({
    name: `Sandbox kernel - ${name}`,
    ignore: !HAS_PYTHON || (needsMpl && !HAS_MPL),
    fn,
  });

test("a final bare expression is returned like a notebook cell", async () => {
  await using k = await startKernel();
  const r = await k.run("a = [1, 2]\nprint('side')\na + [3]");
  assert.equal(r.result, "[1, 2, 3]");
  assert.equal(r.stdout, "side\n");
  assert.equal(r.error, null);
  assert.equal((await k.run("x = 1")).result, null);
  assert.equal((await k.run("None")).result, null);
  assert.equal((await k.run("_")).result, "[1, 2, 3]");
});

test("errors carry type, message and a traceback trimmed to user frames", async () => {
  await using k = await startKernel();
  const r = await k.run("def f():\n    return 1 / 0\nf()");
  assert.equal(r.error?.type, "ZeroDivisionError");
  assert.equal(r.error?.message, "division by zero");
  assert.match(r.error!.traceback, /<cell-1>", line 2, in f/);
  assert.doesNotMatch(r.error!.traceback, /kernel\.py/);
  const syntax = await k.run("def (:");
  assert.equal(syntax.error?.type, "SyntaxError");
  const exit = await k.run("raise SystemExit(2)");
  assert.equal(exit.error?.type, "SystemExit");
  assert.equal((await k.run("1 + 1")).result, "2", "kernel survives SystemExit");
});

test("stdout and stderr are captured, including fd-level writes and subprocesses", async () => {
  await using k = await startKernel();
  const r = await k.run(
    "import sys, os, subprocess\nprint('py-out')\nprint('py-err', file=sys.stderr)\n" +
      "os.write(1, b'fd-out\\n')\nsubprocess.run(['echo', 'child'])",
  );
  assert.match(r.stdout, /py-out/);
  assert.match(r.stdout, /fd-out/);
  assert.match(r.stdout, /child/);
  assert.equal(r.stderr, "py-err\n");
});

test("output past the cap is dropped with a note", async () => {
  await using k = await startKernel({ KERNEL_STDOUT_CAP: "1000" });
  const r = await k.run("print('a' * 5000)");
  assert.equal(r.stdout_truncated, true);
  assert.ok(r.stdout.startsWith("a".repeat(1000)));
  assert.match(r.stdout, /4001 more bytes dropped \(cap 1000 bytes\)/);
  const next = await k.run("print('b')");
  assert.equal(next.stdout, "b\n");
  assert.equal(next.stdout_truncated, false);
});

test("input() sees EOF instead of the protocol stream", async () => {
  await using k = await startKernel();
  const r = await k.run("input()");
  assert.equal(r.error?.type, "EOFError");
  assert.equal((await k.run("3")).result, "3");
});

test("the soft timeout interrupts and the kernel keeps going", async () => {
  await using k = await startKernel();
  await k.run("state = 'kept'");
  const r = await k.run("while True:\n    pass", { timeout_s: 0.3 });
  assert.equal(r.timed_out, true);
  assert.equal(r.error?.type, "TimeoutError");
  assert.equal((await k.run("state")).result, "'kept'");
});

test("input files are written to the work dir; out files are returned once", async () => {
  await using k = await startKernel();
  const r = await k.run(
    "import os\nopen(os.path.join('out', 'r.json'), 'w').write(open('d.csv').read())",
    {
      files: [
        { name: "d.csv", content: "a,b\n" },
        { name: "bin.dat", content: btoa("\u0001\u0002"), encoding: "base64" },
      ],
    },
  );
  assert.equal(r.error, null);
  assert.equal(r.files_out.length, 1);
  assert.equal(r.files_out[0].name, "r.json");
  assert.equal(r.files_out[0].mime_type, "application/json");
  assert.equal(atob(r.files_out[0].data!), "a,b\n");
  assert.deepEqual([...await Deno.readFile(`${k.dir}/bin.dat`)], [1, 2]);
  assert.equal((await k.run("1")).files_out.length, 0, "unchanged files are not re-sent");
  const big = await k.run("open('out/big.bin', 'wb').write(b'0' * 2_000_000)");
  assert.equal(big.files_out[0].data, null);
  assert.match(big.files_out[0].skipped ?? "", /too large/);
  const bad = await k.run("1", { files: [{ name: "../x", content: "" }] });
  assert.match(bad.notes.join(), /invalid file name/);
});

test("every figure created is returned as a PNG and closed", async () => {
  await using k = await startKernel();
  const r = await k.run(
    "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.figure(figsize=(2, 2))\n" +
      "plt.plot([3, 1])\nplt.show()",
  );
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.equal(r.figures.length, 2);
  for (const f of r.figures) assert.ok(pngSize(decodeBase64(f)));
  assert.equal(r.stderr, "", "no non-interactive backend warning");
  assert.equal((await k.run("len(plt.get_fignums())")).result, "0");
}, true);

test("a figure from an earlier call is returned again when modified", async () => {
  await using k = await startKernel();
  const first = await k.run(
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1])",
  );
  assert.equal(first.figures.length, 1);
  assert.equal((await k.run("1")).figures.length, 0, "untouched figure not resent");
  const again = await k.run("ax.set_title('changed')");
  assert.equal(again.figures.length, 1);
  const bare = await k.run("fig");
  assert.equal(bare.figures.length, 1, "a Figure as final expression is shown");
  assert.equal(bare.result, null);
}, true);

test("figures past the count cap are dropped with a note", async () => {
  await using k = await startKernel({ KERNEL_MAX_FIGURES: "2" });
  const r = await k.run("import matplotlib.pyplot as plt\nfor i in range(5):\n    plt.figure()");
  assert.equal(r.figures.length, 2);
  assert.equal(r.figures_dropped, 3);
  assert.match(r.notes.join(), /3 figure\(s\) not returned/);
}, true);

test("a huge figure is rendered at a reduced resolution", async () => {
  await using k = await startKernel();
  const r = await k.run("import matplotlib.pyplot as plt\nplt.figure(figsize=(100, 100))");
  assert.equal(r.figures.length, 1);
  const size = pngSize(decodeBase64(r.figures[0]))!;
  assert.ok(size.width * size.height <= 16_000_000, `${size.width}x${size.height}`);
  assert.match(r.notes.join(), /rendered at \d+ dpi/);
}, true);
