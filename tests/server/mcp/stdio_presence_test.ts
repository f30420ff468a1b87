/**
 * Stdio presence: `main.ts stdio` leaves a heartbeat with the client's name and version in the
 * store that `serve` reads, and marks it ended when the client closes stdin.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { KvStore } from "../../../server/store/kv_store.ts";
import {
  clientOfMessage,
  readStdioStatus,
  startStdioHeartbeat,
} from "../../../server/mcp/stdio_presence.ts";
import { quietLogs } from "../../helpers.ts";

const REPO = new URL("../../../", import.meta.url).pathname;

Deno.test("Stdio presence - client identity from initialize or the 2026 _meta", () => {
  assert.deepEqual(
    clientOfMessage({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { clientInfo: { name: "claude-ai", version: "0.1.0" } },
    }),
    { name: "claude-ai", version: "0.1.0" },
  );
  assert.deepEqual(
    clientOfMessage({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/list",
      params: { _meta: { "io.modelcontextprotocol/clientInfo": { name: "c", version: "2" } } },
    }),
    { name: "c", version: "2" },
  );
  assert.equal(clientOfMessage({ jsonrpc: "2.0", id: 3, method: "tools/list" }), null);
  assert.equal(clientOfMessage(null), null);
});

Deno.test("Stdio presence - beats, goes stale, ends; another process's record is left alone", async () => {
  quietLogs();
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    let now = new Date("2026-01-01T00:00:00Z");
    const beat = startStdioHeartbeat(store, { intervalMs: 60_000, now: () => now });
    beat.identify({ name: "claude-ai", version: "0.1.0" });
    await new Promise((r) => setTimeout(r, 20));
    const live = await readStdioStatus(store, new Date(now.getTime() + 5_000));
    assert.deepEqual(live, { live: true, client: "claude-ai 0.1.0", secondsAgo: 5 });
    const stale = await readStdioStatus(store, new Date(now.getTime() + 120_000));
    assert.equal(stale?.live, false);
    now = new Date(now.getTime() + 1_000);
    await beat.stop();
    assert.equal((await readStdioStatus(store, now))?.live, false, "ended");

    const mine = startStdioHeartbeat(store, { intervalMs: 60_000 });
    await new Promise((r) => setTimeout(r, 20));
    const other = startStdioHeartbeat(store, { intervalMs: 60_000 });
    await new Promise((r) => setTimeout(r, 20));
    await mine.stop();
    assert.equal((await readStdioStatus(store))?.live, true, "the other process is still live");
    await other.stop();
    assert.equal((await readStdioStatus(store))?.live, false);
  } finally {
    store.close();
  }
});

Deno.test("Stdio presence - a real `main.ts stdio` process is seen by the store serve reads", async () => {
  quietLogs();
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-presence-" });
  try {
    const client = new Client({ name: "claude-ai", version: "0.1.0" });
    await client.connect(
      new StdioClientTransport({
        command: Deno.execPath(),
        args: ["run", "-A", "--config", `${REPO}deno.json`, `${REPO}main.ts`, "stdio"],
        env: {
          ...Deno.env.toObject(),
          MCP_ROUTER_DATA: dataDir,
          MCP_ROUTER_PODMAN_SOCKET: `${dataDir}/no-podman.sock`,
        },
        stderr: "ignore",
      }),
    );
    const store = await KvStore.open({ dataDir });
    try {
      const until = async (ok: (s: Awaited<ReturnType<typeof readStdioStatus>>) => boolean) => {
        const deadline = Date.now() + 10_000;
        let status = await readStdioStatus(store);
        while (!ok(status) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          status = await readStdioStatus(store);
        }
        return status;
      };
      const live = await until((s) => s?.client === "claude-ai 0.1.0");
      assert.equal(live?.live, true, JSON.stringify(live));
      assert.equal(live?.client, "claude-ai 0.1.0");
      await client.close();
      const ended = await until((s) => s?.live === false);
      assert.equal(ended?.live, false, "marked ended when stdin closed");
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
