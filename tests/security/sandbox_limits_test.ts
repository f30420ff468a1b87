/**
 * Finding 7 (medium): one sandbox could starve the host. On cgroups v1 the sandbox's memory cap
 * was per process (three forked children used 3.6 GB), and `RLIMIT_NPROC` was one budget for
 * every container (400 forks went through). Through a real router and real containers:
 *
 * - three forked children allocating half the cap each: the process-tree watchdog kills the
 *   sandbox, the call says why, the next call works on a fresh interpreter;
 * - a 400-process fork bomb is stopped by the per-container process limit, while a second
 *   session (its own container, its own uid range) still forks as many as the first one holds;
 * - health's `limits_in_force` states both limits, and only as far as they hold.
 *
 * Skipped without a Podman socket (`MCP_ROUTER_PODMAN_SOCKET`).
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createKey } from "./cli.ts";
import { type RouterProcess, startRouter } from "../router_process.ts";
import { withTmpDir } from "../helpers.ts";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN } from "../runtime/podman/live.ts";
import { SANDBOX_MAX_PIDS } from "../../sandbox/spec.ts";

/** The sandbox memory cap the router runs with here (small, so the test allocates little). */
const CAP_MB = 512;

interface SandboxOutcome {
  isError: boolean;
  text: string;
  stdout: string;
  error: { type: string; message: string } | null;
  notes: string[];
  ms: number;
}

async function run(client: Client, code: string): Promise<SandboxOutcome> {
  const started = Date.now();
  const res = await client.callTool(
    { name: "python_sandbox", arguments: { code, timeout_s: 60 } },
    undefined,
    { timeout: 600_000 },
  );
  const structured = res.structuredContent as {
    stdout: string;
    error: SandboxOutcome["error"];
    notes: string[];
  };
  return {
    isError: res.isError === true,
    text: JSON.stringify(res.content),
    stdout: structured.stdout,
    error: structured.error,
    notes: structured.notes,
    ms: Date.now() - started,
  };
}

async function connect(router: RouterProcess, key: string, name: string): Promise<Client> {
  const client = new Client({ name, version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${router.base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

/** Three children each allocating (and touching) half the cap, then waiting. */
const MEMORY_BOMB = `
import os, time
kids = []
for i in range(3):
    pid = os.fork()
    if pid == 0:
        block = b"x" * (${CAP_MB / 2} << 20)
        time.sleep(60)
        os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)
print("not killed")
`;

/** Fork up to `n` sleeping children; print how many forks went through and the first error. */
function forkBomb(n: number, keep: boolean): string {
  return `
import os, time
kids, err = [], None
try:
    for i in range(${n}):
        pid = os.fork()
        if pid == 0:
            time.sleep(45)
            os._exit(0)
        kids.append(pid)
except OSError as e:
    err = type(e).__name__
print("FORKS", len(kids), err)
if not ${keep ? "True" : "False"}:
    for pid in kids:
        os.kill(pid, 9)
    for pid in kids:
        os.waitpid(pid, 0)
`;
}

function forks(out: SandboxOutcome): { n: number; err: string } {
  const m = /FORKS (\d+) (\w+)/.exec(out.stdout);
  assert.ok(m, `fork count printed: ${out.text}`);
  return { n: Number(m[1]), err: m[2] };
}

Deno.test({
  name: `Security - a sandbox's process tree is capped in memory and processes${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  async fn() {
    await using tmp = await withTmpDir();
    const mcpKey = await createKey(tmp.path, "limits", "mcp");
    const adminKey = await createKey(tmp.path, "ops", "admin");
    const router = await startRouter(tmp.path, LIVE_SOCKET, {
      env: { MCP_ROUTER_SANDBOX_MEMORY_MB: String(CAP_MB), MCP_ROUTER_SANDBOX_TIMEOUT_S: "60" },
    });
    const clients: Client[] = [];
    try {
      const health = await (await router.request("/api/health", {
        headers: { authorization: `Bearer ${adminKey}` },
      })).json() as { limits_in_force: string[] };
      const limits = health.limits_in_force;
      console.log(`limits_in_force: ${JSON.stringify(limits, null, 1)}`);
      assert.ok(
        limits.some((l) => l.startsWith(`sandbox memory ${CAP_MB} MB per process tree (watchdog`)),
        `the watchdog is reported: ${limits}`,
      );
      const nproc = limits.find((l) => l.startsWith("nproc"));
      assert.ok(nproc, "a process limit is reported");

      const a = await connect(router, mcpKey, "limits-a");
      clients.push(a);
      const warm = await run(a, "print('up')");
      assert.equal(warm.stdout, "up\n", warm.text);

      // 1. Memory: 3 × cap/2 in three processes (each far below the per-process RLIMIT_AS).
      const bomb = await run(a, MEMORY_BOMB);
      console.log(`memory bomb: killed after ${bomb.ms} ms: ${bomb.error?.message}`);
      assert.equal(bomb.isError, true, bomb.text);
      assert.equal(bomb.error?.type, "MemoryLimitExceeded", bomb.text);
      assert.match(
        bomb.error!.message,
        new RegExp(
          `exceeded its ${CAP_MB} MB memory limit \\(process tree.*restarted; variables were lost`,
        ),
      );
      assert.doesNotMatch(bomb.stdout, /not killed/);
      const after = await run(a, "print(1)");
      assert.equal(after.isError, false, after.text);
      assert.equal(after.stdout, "1\n");
      assert.ok(after.notes.some((n) => /new interpreter/.test(n)), after.text);

      // 2. Processes: a 400-process fork bomb stops at the per-container limit ...
      if (nproc.includes("per container")) {
        const fb = await run(a, forkBomb(400, true));
        const held = forks(fb);
        console.log(`fork bomb: ${held.n} of 400 forks went through, then ${held.err}`);
        assert.equal(held.err, "BlockingIOError", fb.text);
        assert.ok(held.n < SANDBOX_MAX_PIDS, `stopped below ${SANDBOX_MAX_PIDS}: ${held.n}`);
        assert.ok(held.n > SANDBOX_MAX_PIDS / 2, `stopped by the limit, not earlier: ${held.n}`);
        // ... and the limit is the container's own: while A holds its children, B forks as many.
        const b = await connect(router, mcpKey, "limits-b");
        clients.push(b);
        const other = forks(await run(b, forkBomb(held.n, false)));
        console.log(`second session while the first holds ${held.n}: ${other.n} forks`);
        assert.equal(other.n, held.n, "a neighbour's processes do not count against B");
        assert.equal(other.err, "None");
      } else {
        console.log(`userns=auto unavailable here: ${nproc} (per-container nproc not checked)`);
      }
      const last = await run(a, "print(1)");
      assert.equal(last.stdout, "1\n", last.text);
    } finally {
      for (const c of clients) await c.close().catch(() => {});
      await router.stop();
    }
  },
});
