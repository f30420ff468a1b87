/**
 * @module python_sandbox benchmark: cold first-call latency (container start + interpreter) and
 * warm `print(1)` latency through the SandboxManager, against a bare libpod exec of the same code
 * (`python3 -c "print(1)"`) in the same container, reported as a ratio. Also times the
 * `podman --remote exec` CLI when the binary is present.
 *
 * Run directly: `deno run -A tests/bench/sandbox_bench.ts` (needs MCP_ROUTER_PODMAN_SOCKET).
 */
import { PodmanBackend } from "../../runtime/podman/backend.ts";
import { PodmanClient } from "../../runtime/podman/client.ts";
import { loadSettings } from "../../server/settings.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { createSandboxImageEnsurer } from "../../sandbox/image.ts";
import { SANDBOX_LABEL, SandboxManager } from "../../sandbox/runner.ts";

const COLD_RUNS = 3;
const WARM_RUNS = 30;

function stats(samples: number[]): { median: number; p95: number; min: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const round = (x: number) => Math.round(x * 10) / 10;
  return { median: round(at(0.5)), p95: round(at(0.95)), min: round(s[0]), n: s.length };
}

/** One libpod exec (create + start, output read to the end); returns the raw output. */
async function libpodExec(client: PodmanClient, id: string, cmd: string[]): Promise<Uint8Array> {
  const created = await client.request("POST", `/containers/${id}/exec`, {
    body: JSON.stringify({ Cmd: cmd, AttachStdout: true, AttachStderr: true }),
    contentType: "application/json",
  });
  const { Id } = await created.json() as { Id: string };
  const res = await client.request("POST", `/exec/${Id}/start`, {
    body: JSON.stringify({ Detach: false, Tty: false }),
    contentType: "application/json",
  });
  return new Uint8Array(await res.arrayBuffer());
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Run the sandbox benchmark; returns a JSON-able summary (or `{skipped}` without Podman). */
export async function benchSandbox(): Promise<Record<string, unknown>> {
  const env = Deno.env.toObject();
  if (!env.MCP_ROUTER_PODMAN_SOCKET) {
    return { skipped: "MCP_ROUTER_PODMAN_SOCKET is not set" };
  }
  const restoreSink = Deno.env.get("LOG") ? null : setLogSink(() => {});
  const settings = loadSettings(env, { sessionIdleTimeoutMs: 600_000 });
  const client = new PodmanClient(settings.podmanSocket, { timeoutMs: 60_000 });
  const buildClient = new PodmanClient(settings.podmanSocket, { timeoutMs: 30 * 60_000 });
  const backend = new PodmanBackend(client);
  const ensureImage = createSandboxImageEnsurer({ settings, client: buildClient });
  const manager = new SandboxManager({ backend, settings, ensureImage });
  try {
    const imageMs = await timeIt(() => ensureImage());
    const cold: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const session = `bench-cold-${crypto.randomUUID()}`;
      cold.push(await timeIt(() => manager.run(session, { code: "print(1)" })));
      await manager.endSession(session);
    }
    const session = `bench-warm-${crypto.randomUUID()}`;
    await manager.run(session, { code: "print(1)" });
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      warm.push(await timeIt(() => manager.run(session, { code: "print(1)" })));
    }
    const [container] = await backend.list({ [SANDBOX_LABEL]: "1", "mcp-router.session": session });
    const exec: number[] = [];
    let execOutputOk = false;
    for (let i = 0; i < WARM_RUNS; i++) {
      let out: Uint8Array = new Uint8Array();
      exec.push(
        await timeIt(async () =>
          out = await libpodExec(client, container.id, ["python3", "-c", "print(1)"])
        ),
      );
      execOutputOk ||= new TextDecoder().decode(out).includes("1\n");
    }
    const cli: number[] = [];
    const podmanBin = ["/usr/bin/podman", "/usr/local/bin/podman"].find((p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    });
    if (podmanBin) {
      for (let i = 0; i < 10; i++) {
        cli.push(
          await timeIt(() =>
            new Deno.Command(podmanBin, {
              args: [
                "--remote",
                "--url",
                `unix://${settings.podmanSocket}`,
                "exec",
                container.id,
                "python3",
                "-c",
                "print(1)",
              ],
              stdout: "null",
              stderr: "null",
            }).output()
          ),
        );
      }
    }
    const warmStats = stats(warm);
    const execStats = stats(exec);
    const heavy = await timeIt(() =>
      manager.run(session, {
        code: "import pandas as pd, numpy as np, matplotlib.pyplot as plt\n" +
          "plt.plot(np.arange(10)); pd.DataFrame({'a': range(5)}).a.sum()",
      })
    );
    return {
      image_ensure_ms: Math.round(imageMs),
      cold_first_call_ms: stats(cold),
      warm_print_ms: warmStats,
      libpod_exec_print_ms: { ...execStats, output_ok: execOutputOk },
      cli_exec_print_ms: cli.length ? stats(cli) : "podman CLI not found",
      warm_vs_exec_ratio: Math.round((warmStats.median / execStats.median) * 1000) / 1000,
      first_pandas_plot_call_ms: Math.round(heavy),
    };
  } finally {
    await manager.shutdown();
    client.close();
    buildClient.close();
    if (restoreSink) setLogSink(restoreSink);
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await benchSandbox(), null, 2));
}
