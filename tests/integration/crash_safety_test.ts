/**
 * Crash safety: the real router (`main.ts serve`) as a subprocess is killed with SIGKILL in the
 * middle of 50 concurrent admin writes, restarted on the same data dir, and must come back with
 * every acknowledged write, no half-applied record and a working API and MCP endpoint. With a
 * live Podman socket (`MCP_ROUTER_PODMAN_SOCKET`), the containers of a killed router are reaped
 * when the next one starts.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { assertMcpHealthy } from "../hostile/helpers.ts";
import { storeProblems } from "../hostile/store_check.ts";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN } from "../runtime/podman/live.ts";
import { type RouterProcess, startRouter } from "../router_process.ts";

const JSON_HEADERS = { "content-type": "application/json" };

/** SIGKILL and wait for the exit. */
async function killHard(router: RouterProcess): Promise<void> {
  try {
    router.child.kill("SIGKILL");
  } catch {
    // already gone
  }
  const status = await router.child.status;
  assert.equal(status.signal, "SIGKILL");
}

/** One admin write of the barrage, and what must hold if it was acknowledged. */
interface Write {
  label: string;
  path: string;
  init: RequestInit;
  verify(servers: ServerView[]): string | null;
  outcome?: "acked" | "rejected" | "lost" | "not sent";
  status?: number;
}

interface ServerView {
  id: string;
  name: string;
  display_name: string;
  env_values: { key: string; set: boolean; value: string | null }[];
}

function plan(name: string, envKey: string) {
  return {
    name,
    runtime: "npx",
    command: "npx",
    args: ["-y", `@example/${name}`],
    env: [{ key: envKey, description: "a value" }],
  };
}

function writes(): Write[] {
  const out: Write[] = [];
  for (let i = 0; i < 30; i++) {
    const name = `crash-${String(i).padStart(2, "0")}`;
    out.push({
      label: `create ${name}`,
      path: "/api/servers",
      init: { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(plan(name, "VAL")) },
      verify: (servers) => servers.some((s) => s.name === name) ? null : `${name} missing`,
    });
  }
  for (let i = 0; i < 10; i++) {
    out.push({
      label: `edit seed-${i}`,
      path: `/api/servers/seed-${i}`,
      init: {
        method: "PUT",
        headers: JSON_HEADERS,
        body: JSON.stringify({ display_name: `edited-${i}` }),
      },
      verify: (servers) =>
        servers.find((s) => s.name === `seed-${i}`)?.display_name === `edited-${i}`
          ? null
          : `seed-${i} not edited`,
    });
    out.push({
      label: `env seed-${i}`,
      path: `/api/servers/seed-${i}/env/VAL`,
      init: { method: "PUT", headers: JSON_HEADERS, body: JSON.stringify({ value: `value-${i}` }) },
      verify: (servers) =>
        servers.find((s) => s.name === `seed-${i}`)?.env_values.some((e) =>
            e.key === "VAL" && e.set && e.value === `value-${i}`
          )
          ? null
          : `seed-${i} env VAL not set`,
    });
  }
  // deterministic interleaving of creates, edits and env writes
  return out.map((w, i) => ({ w, k: (i * 37) % out.length })).sort((a, b) => a.k - b.k).map((
    x,
  ) => x.w);
}

async function listServers(router: RouterProcess): Promise<ServerView[]> {
  const res = await router.request("/api/servers");
  assert.equal(res.status, 200, router.output());
  return (await res.json() as { servers: ServerView[] }).servers;
}

Deno.test({
  name: "Crash safety - SIGKILL during 50 concurrent admin writes loses no acknowledged write",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const started = performance.now();
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-crash-" });
    try {
      const first = await startRouter(dataDir);
      for (let i = 0; i < 10; i++) {
        const res = await first.request("/api/servers", {
          method: "POST",
          headers: JSON_HEADERS,
          body: JSON.stringify(plan(`seed-${i}`, "VAL")),
        });
        assert.equal(res.status, 201, await res.text());
      }
      const all = writes();
      let acked = 0;
      let killed = false;
      const inFlight: Promise<void>[] = [];
      // all 50 fired at once; the router is killed as soon as half are acknowledged
      all.forEach((w, i) => {
        inFlight.push((async () => {
          await new Promise((r) => setTimeout(r, i % 2));
          if (killed) return;
          try {
            const res = await first.request(w.path, w.init);
            w.status = res.status;
            await res.body?.cancel();
            w.outcome = res.ok ? "acked" : "rejected";
            if (res.ok && ++acked >= all.length / 2 && !killed) {
              killed = true;
              await killHard(first);
            }
          } catch {
            w.outcome = "lost";
          }
        })());
      });
      await Promise.all(inFlight);
      if (!killed) {
        killed = true;
        await killHard(first);
      }
      for (const w of all) w.outcome ??= "not sent";
      const count = (o: Write["outcome"]) => all.filter((w) => w.outcome === o).length;
      console.log(
        `writes: ${count("acked")} acknowledged, ${count("rejected")} rejected, ${
          count("lost")
        } lost in flight, ${count("not sent")} not sent (killed after ${acked} acks)`,
      );
      for (const w of all) {
        if (w.outcome === "rejected") {
          assert.ok(w.status! < 500, `${w.label}: ${w.status}`);
        }
      }
      assert.ok(count("acked") >= 25, "half the writes were acknowledged before the kill");

      const second = await startRouter(dataDir);
      try {
        const servers = await listServers(second);
        const missing = all.filter((w) => w.outcome === "acked").map((w) => w.verify(servers))
          .filter((m): m is string => m !== null);
        assert.deepEqual(missing, [], "every acknowledged write survived the crash");
        for (let i = 0; i < 10; i++) {
          assert.ok(servers.some((s) => s.name === `seed-${i}`), `seed-${i} survived`);
        }
        // the restarted router serves normally
        const created = await second.request("/api/servers", {
          method: "POST",
          headers: JSON_HEADERS,
          body: JSON.stringify(plan("after-crash", "VAL")),
        });
        assert.equal(created.status, 201, await created.text());
        const edit = await second.request("/api/servers/after-crash", {
          method: "PUT",
          headers: JSON_HEADERS,
          body: JSON.stringify({ description: "fine" }),
        });
        assert.equal(edit.status, 200, await edit.text());
        await assertMcpHealthy(second.request, "restarted router");
        console.log(`servers after restart: ${servers.length}`);
      } finally {
        await second.stop();
      }
      const kv = await Deno.openKv(`${dataDir}/router.kv`);
      try {
        const report = await storeProblems(kv);
        assert.deepEqual(report.problems, [], "no half-applied record");
        console.log(
          `store: ${report.servers} servers, ${report.envValues} env values, consistent`,
        );
      } finally {
        kv.close();
      }
    } finally {
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
    console.log(`crash test time: ${Math.round(performance.now() - started)} ms`);
  },
});

interface ContainerSummary {
  Id: string;
  State: string;
  Labels: Record<string, string> | null;
}

async function podmanContainers(socket: string, owner: number): Promise<ContainerSummary[]> {
  const client = Deno.createHttpClient({ proxy: { transport: "unix", path: socket } });
  try {
    const filters = encodeURIComponent(
      JSON.stringify({ label: [`mcp-router.owner=${owner}`, "mcp-router.session"] }),
    );
    const res = await fetch(
      `http://d/v4.0.0/libpod/containers/json?all=true&filters=${filters}`,
      { client },
    );
    assert.equal(res.status, 200);
    return await res.json() as ContainerSummary[];
  } finally {
    client.close();
  }
}

async function removeContainer(socket: string, id: string): Promise<void> {
  const client = Deno.createHttpClient({ proxy: { transport: "unix", path: socket } });
  try {
    const res = await fetch(`http://d/v4.0.0/libpod/containers/${id}?force=true&t=0`, {
      method: "DELETE",
      client,
    });
    await res.body?.cancel();
  } finally {
    client.close();
  }
}

Deno.test({
  name:
    `Crash safety - the containers of a SIGKILLed router are reaped at the next start${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const socket = LIVE_SOCKET!;
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-crash-podman-" });
    let firstPid = 0;
    try {
      const first = await startRouter(dataDir, socket);
      firstPid = first.pid;
      const add = await first.request("/api/servers", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({
          name: "memory",
          runtime: "npx",
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-memory"],
          env: [{ key: "MEMORY_FILE_PATH", default: "/tmp/memory.jsonl" }],
        }),
      });
      assert.equal(add.status, 201, await add.text());
      const client = new Client({ name: "crash-test", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${first.base}/mcp`)));
      // loading the server starts its container (the install image may need building first)
      const loaded = await client.callTool({ name: "memory", arguments: {} }, undefined, {
        timeout: 600_000,
      });
      assert.ok(!loaded.isError, `${JSON.stringify(loaded).slice(0, 500)}\n${first.output()}`);
      const running = await podmanContainers(socket, first.pid);
      assert.ok(running.length >= 1, `a container runs for the session: ${first.output()}`);
      await killHard(first);
      await client.close().catch(() => {});
      const orphaned = await podmanContainers(socket, firstPid);
      assert.ok(orphaned.length >= 1, "the killed router's container outlived it");
      const second = await startRouter(dataDir, socket);
      try {
        const left = await podmanContainers(socket, firstPid);
        assert.deepEqual(left.map((c) => c.Id), [], "orphans reaped at startup");
        await assertMcpHealthy(second.request, "router after reaping");
        console.log(`reaped ${orphaned.length} orphaned container(s) of pid ${firstPid}`);
      } finally {
        await second.stop();
      }
    } finally {
      if (firstPid) {
        for (const c of await podmanContainers(socket, firstPid).catch(() => [])) {
          await removeContainer(socket, c.Id);
        }
      }
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
