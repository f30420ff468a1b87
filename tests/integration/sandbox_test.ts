/**
 * @module Integration tests for the `python_sandbox` tool on real rootless Podman containers:
 * computation, figures, per-session state, isolation (network, read-only root), timeouts and
 * output floods. Skipped (with a message) when `MCP_ROUTER_PODMAN_SOCKET` is not set.
 *
 * The first run builds the sandbox image (Debian packages, ~2 min); later runs reuse its tag.
 */
import assert from "node:assert/strict";
import { PodmanBackend } from "../../runtime/podman/backend.ts";
import { PodmanClient } from "../../runtime/podman/client.ts";
import { testSettings } from "../../server/settings.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { createSandboxImageEnsurer } from "../../sandbox/image.ts";
import { SANDBOX_LABEL, SandboxManager } from "../../sandbox/runner.ts";
import { toCallToolResult } from "../../sandbox/tool.ts";
import { decodeBase64, pngSize } from "../sandbox/png.ts";

const SOCKET = Deno.env.get("MCP_ROUTER_PODMAN_SOCKET");

if (!SOCKET) {
  console.log("sandbox integration tests skipped: MCP_ROUTER_PODMAN_SOCKET is not set");
}

Deno.test({
  name: "Sandbox integration - python_sandbox on real containers",
  ignore: !SOCKET,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    if (!Deno.env.get("LOG")) setLogSink(() => {});
    const settings = testSettings({
      podmanSocket: SOCKET,
      sandboxTimeoutS: 20,
      sessionIdleTimeoutMs: 600_000,
      startTimeoutMs: 60_000,
    });
    const client = new PodmanClient(settings.podmanSocket, { timeoutMs: 60_000 });
    const backend = new PodmanBackend(client);
    const buildClient = new PodmanClient(settings.podmanSocket, { timeoutMs: 30 * 60_000 });
    const ensureImage = createSandboxImageEnsurer({ settings, client: buildClient });
    const manager = new SandboxManager({ backend, settings, ensureImage });
    const a = `test-a-${crypto.randomUUID()}`;
    const b = `test-b-${crypto.randomUUID()}`;
    try {
      await t.step("image builds (or is reused)", async () => {
        const tag = await ensureImage();
        assert.match(tag, /^localhost\/mcp-router-sandbox:[0-9a-f]{12}$/);
      });

      await t.step("pandas/numpy computation returns the right number", async () => {
        const r = await manager.run(a, {
          code: "import numpy as np, pandas as pd\n" +
            "df = pd.DataFrame({'x': np.arange(1, 101)})\n" +
            "print('rows', len(df))\n" +
            "int(df.x.sum() + np.square(df.x).sum())",
        });
        assert.equal(r.exit_status, "ok", JSON.stringify({ error: r.error, stderr: r.stderr }));
        assert.equal(r.result, String(5050 + 338350));
        assert.equal(r.stdout, "rows 100\n");
        assert.equal(r.state_lost, false);
      });

      await t.step("a seaborn plot comes back as a valid PNG", async () => {
        const r = await manager.run(a, {
          code: "import seaborn as sns, matplotlib.pyplot as plt\n" +
            "fig, ax = plt.subplots(figsize=(4, 3))\n" +
            "sns.histplot(np.random.default_rng(0).normal(size=500), ax=ax)",
        });
        assert.equal(r.exit_status, "ok", JSON.stringify({ error: r.error, stderr: r.stderr }));
        assert.equal(r.figures.length, 1);
        const size = pngSize(decodeBase64(r.figures[0]));
        assert.ok(size, "PNG signature and IHDR");
        assert.ok(size.width > 100 && size.width < 1000, `width ${size.width}`);
        assert.ok(size.height > 100 && size.height < 1000, `height ${size.height}`);
        const mcp = toCallToolResult(r);
        assert.equal(mcp.content.filter((c) => c.type === "image").length, 1);
        assert.equal(mcp.isError, false);
      });

      await t.step("two figures give two images; figures are closed afterwards", async () => {
        const r = await manager.run(a, {
          code: "plt.figure(); plt.plot([1, 2, 3])\nplt.figure(); plt.bar(['a', 'b'], [3, 4])",
        });
        assert.equal(
          r.figures.length,
          2,
          JSON.stringify({ error: r.error, stderr: r.stderr, status: r.exit_status }),
        );
        for (const f of r.figures) assert.ok(pngSize(decodeBase64(f)));
        const again = await manager.run(a, { code: "len(plt.get_fignums())" });
        assert.equal(again.result, "0");
        assert.equal(again.figures.length, 0);
      });

      await t.step("state persists within a session and is absent in another", async () => {
        await manager.run(a, { code: "secret_value = 41" });
        const same = await manager.run(a, { code: "secret_value + 1" });
        assert.equal(same.result, "42");
        const other = await manager.run(b, { code: "secret_value" });
        assert.equal(other.exit_status, "error");
        assert.equal(other.error?.type, "NameError");
        assert.equal(toCallToolResult(other).isError, true);
      });

      await t.step("the network is off", async () => {
        const r = await manager.run(b, {
          code: 'import socket; socket.create_connection(("1.1.1.1", 53), 2)',
        });
        assert.equal(r.exit_status, "error");
        assert.match(r.error?.type ?? "", /OSError|TimeoutError|ConnectionError|gaierror/);
      });

      await t.step("the root filesystem is read-only and the user is not root", async () => {
        const r = await manager.run(b, { code: "open('/usr/evil.txt', 'w')" });
        assert.equal(r.exit_status, "error");
        assert.match(r.error?.message ?? "", /Read-only file system|Permission denied/);
        const who = await manager.run(b, { code: "import os; os.getuid()" });
        assert.equal(who.result, "1000");
      });

      await t.step("input files in, /work/out files back", async () => {
        const r = await manager.run(b, {
          code: "import pandas as pd\nd = pd.read_csv('data.csv')\n" +
            "d.assign(c=d.a * d.b).to_csv('/work/out/result.csv', index=False)\nint(d.a.sum())",
          files: [{ name: "data.csv", content: "a,b\n1,2\n3,4\n" }],
        });
        assert.equal(r.exit_status, "ok", JSON.stringify({ error: r.error, stderr: r.stderr }));
        assert.equal(r.result, "4");
        assert.equal(r.files_out.length, 1);
        assert.equal(r.files_out[0].name, "result.csv");
        assert.equal(
          new TextDecoder().decode(decodeBase64(r.files_out[0].data!)),
          "a,b,c\n1,2,2\n3,4,12\n",
        );
        const mcp = toCallToolResult(r);
        const res = mcp.content.find((c) => c.type === "resource");
        assert.ok(res && res.type === "resource" && "text" in res.resource);
      });

      await t.step("an infinite loop hits the timeout and the next call works", async () => {
        await manager.run(a, { code: "kept = 'yes'" });
        const started = Date.now();
        const r = await manager.run(a, { code: "while True:\n    pass", timeout_s: 2 });
        assert.equal(r.exit_status, "timeout");
        assert.equal(r.timed_out, true);
        assert.ok(Date.now() - started < 10_000);
        const next = await manager.run(a, { code: "kept" });
        assert.equal(next.exit_status, "ok");
        assert.equal(next.result, "'yes'"); // soft timeout: state kept
      });

      await t.step("code that disables the soft timeout is killed; state is lost", async () => {
        const r = await manager.run(a, {
          code: "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n" +
            "while True:\n    try:\n        time.sleep(10)\n    except BaseException:\n        pass",
          timeout_s: 1,
        });
        assert.equal(r.exit_status, "timeout");
        assert.equal(r.state_lost, true);
        const next = await manager.run(a, { code: "print(1)\n'kept' in globals()" });
        assert.equal(next.exit_status, "ok");
        assert.equal(next.stdout, "1\n");
        assert.equal(next.result, "False");
        assert.equal(next.state_lost, true);
      });

      await t.step("a 50 MB print is truncated and the router stays responsive", async () => {
        await manager.run(b, { code: "1" }); // warm
        const rssBefore = Deno.memoryUsage().rss;
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 50);
        const flood = manager.run(a, { code: "print('x' * 50_000_000)" });
        const t0 = Date.now();
        const quick = await manager.run(b, { code: "print(1)" });
        const quickMs = Date.now() - t0;
        const r = await flood;
        clearInterval(ticker);
        assert.equal(quick.stdout, "1\n");
        assert.ok(quickMs < 5_000, `other session answered in ${quickMs} ms`);
        assert.equal(r.stdout_truncated, true);
        assert.ok(r.stdout.length < 110_000, `stdout length ${r.stdout.length}`);
        assert.match(r.stdout, /output truncated/);
        assert.ok(ticks > 0);
        const grown = Deno.memoryUsage().rss - rssBefore;
        assert.ok(grown < 100 * 1024 * 1024, `router RSS grew ${grown} bytes`);
        const flood2 = await manager.run(a, {
          code: "while True:\n    print('y' * 1000)",
          timeout_s: 2,
        });
        assert.equal(flood2.exit_status, "timeout");
        assert.equal(flood2.stdout_truncated, true);
      });

      await t.step("a memory bomb fails without taking the router down", async () => {
        const r = await manager.run(b, { code: "hog = b'x' * (3 * 1024 ** 3)" });
        assert.ok(
          (r.exit_status === "error" && r.error?.type === "MemoryError") ||
            r.exit_status === "crashed",
          JSON.stringify(r.error),
        );
        assert.equal((await manager.run(b, { code: "2 + 2" })).result, "4");
      });

      await t.step("reset discards state", async () => {
        await manager.run(b, { code: "z = 5" });
        const r = await manager.run(b, { code: "'z' in globals()", reset: true });
        assert.equal(r.result, "False");
        assert.equal(r.state_lost, true);
      });

      await t.step("endSession removes the container", async () => {
        await manager.endSession(b);
        const left = await backend.list({ [SANDBOX_LABEL]: "1", "mcp-router.session": b });
        assert.equal(left.length, 0);
      });
    } finally {
      await manager.shutdown();
      const left = await backend.list({ [SANDBOX_LABEL]: "1", "mcp-router.session": a });
      assert.equal(left.length, 0, "no sandbox container left behind");
      client.close();
      buildClient.close();
    }
  },
});
