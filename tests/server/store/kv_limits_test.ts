/**
 * Deno KV size limits: every value derived from a server or a user either round-trips (chunked),
 * is cut with a marker, or is refused with a 413 — never a `TypeError: Value too large`.
 */
import assert from "node:assert/strict";
import { KvStore } from "../../../server/store/kv_store.ts";
import {
  fitValue,
  KV_VALUE_BUDGET,
  KV_VALUE_LIMIT,
  serializedSize,
  truncateText,
} from "../../../server/store/kv_values.ts";
import { CHUNK_BYTES } from "../../../server/store/kv_chunks.ts";
import { fitCapabilities } from "../../../server/store/caps_fit.ts";
import { type Capabilities, PlanSchema } from "../../../server/schemas/server.ts";
import { AppError } from "../../../server/errors.ts";
import { PoolRuntime } from "../../../server/services/runtime_service.ts";
import type { DownstreamPool } from "../../../server/mcp/downstream/pool.ts";
import { testSettings } from "../../../server/settings.ts";
import { largeCatalog } from "../../fixtures/large_catalog/tools.ts";
import { quietLogs } from "../../helpers.ts";

const CJK = "漢字かなカナ한국어";

const plan = (name: string, extra: Record<string, unknown> = {}) =>
  PlanSchema.parse({ name, runtime: "npx", command: "npx", args: ["-y", "pkg"], ...extra });

function catalogue(count = 400): Capabilities {
  return {
    tools: largeCatalog(count).map((t) => ({ ...t, inputSchema: t.inputSchema })),
    resources: [],
    resource_templates: [],
    prompts: [],
    server_capabilities: { tools: {} },
    server_info: { name: "large", version: "1" },
    fetched_at: new Date().toISOString(),
  };
}

async function withStore(fn: (store: KvStore) => Promise<void>): Promise<void> {
  quietLogs();
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    await fn(store);
  } finally {
    store.close();
  }
}

async function keysUnder(store: KvStore, prefix: Deno.KvKey): Promise<Deno.KvKey[]> {
  const out: Deno.KvKey[] = [];
  for await (const e of store.kv.list({ prefix })) out.push(e.key);
  return out;
}

async function assertTooLarge(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `not an AppError: ${error}`);
    assert.equal(error.status, 413);
    assert.equal(error.code, "payload_too_large");
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("KV limits - serializedSize is the size Deno KV checks (UTF-16 for non-Latin-1)", async () => {
  await withStore(async (store) => {
    // Find the longest CJK string that fits, by the measure, and check KV agrees at the edge.
    let n = 32_000;
    while (serializedSize({ v: "漢".repeat(n + 1) }) <= KV_VALUE_LIMIT) n++;
    assert.ok(serializedSize({ v: "漢".repeat(n) }) <= KV_VALUE_LIMIT);
    await store.kv.set(["probe", "fits"], { v: "漢".repeat(n) });
    await assert.rejects(store.kv.set(["probe", "over"], { v: "漢".repeat(n + 1) }), TypeError);
    // The old 60,000-character string chunk of a non-ASCII catalogue was twice the limit.
    assert.ok(serializedSize(CJK.repeat(60_000 / CJK.length)) > 1.8 * KV_VALUE_LIMIT);
    assert.equal(serializedSize(new Uint8Array(CHUNK_BYTES)), CHUNK_BYTES);
  });
});

Deno.test("KV limits - a 400-tool non-ASCII catalogue (~1 MiB) round-trips, is replaced and deleted", async () => {
  await withStore(async (store) => {
    const caps = catalogue();
    const size = serializedSize(caps);
    assert.ok(size > 10 * KV_VALUE_LIMIT, `catalogue is only ${size} bytes`);
    const s = await store.createServer(plan("big"));
    assert.equal(await store.setCapabilities(s.id, caps), null, "stored whole, not trimmed");
    const read = await store.getServer(s.id);
    assert.equal(read.capabilities?.tools.length, 400);
    assert.deepEqual(read.capabilities?.tools, caps.tools);
    const listed = await store.listServers();
    assert.equal(listed[0].capabilities?.tools.length, 400);
    const firstChunks = (await keysUnder(store, ["caps", s.id])).length;
    assert.ok(firstChunks > 14, `expected many chunks over commits, got ${firstChunks}`);

    // A new snapshot replaces the old generation and leaves none of its chunks behind.
    await store.setCapabilities(s.id, catalogue(3));
    assert.equal((await store.getCapabilities(s.id))?.tools.length, 3);
    assert.equal((await keysUnder(store, ["caps", s.id])).length, 2, "head + one chunk");

    await store.setCapabilities(s.id, caps);
    await store.deleteServer(s.id);
    assert.deepEqual(await keysUnder(store, ["caps", s.id]), []);
  });
});

Deno.test("KV limits - capabilities written for a deleted server leave nothing behind", async () => {
  await withStore(async (store) => {
    const s = await store.createServer(plan("gone"));
    await store.deleteServer(s.id);
    await store.setCapabilities(s.id, catalogue());
    assert.deepEqual(await keysUnder(store, ["caps", s.id]), []);
  });
});

Deno.test("KV limits - capabilities stored as string chunks by older versions still read", async () => {
  await withStore(async (store) => {
    const s = await store.createServer(plan("legacy"));
    const text = JSON.stringify(catalogue(2));
    await store.kv.set(["caps", s.id, 0], text.slice(0, 100));
    await store.kv.set(["caps", s.id, 1], text.slice(100));
    assert.equal((await store.getServer(s.id)).capabilities?.tools.length, 2);
    await store.setCapabilities(s.id, catalogue(5));
    assert.equal((await store.getCapabilities(s.id))?.tools.length, 5);
    const legacy = (await keysUnder(store, ["caps", s.id])).filter((k) => typeof k[2] === "number");
    assert.deepEqual(legacy, []);
  });
});

Deno.test("KV limits - a catalogue over the cache cap is trimmed, keeping tool names", () => {
  const caps = catalogue();
  const { bytes, trimmed } = fitCapabilities(caps, 700 * 1024);
  assert.ok(bytes.byteLength <= 700 * 1024);
  assert.match(trimmed ?? "", /descriptions cut/);
  const kept = JSON.parse(new TextDecoder().decode(bytes)) as Capabilities;
  assert.deepEqual(kept.tools.map((t) => t.name), caps.tools.map((t) => t.name));
  const tiny = fitCapabilities(caps, 20 * 1024);
  assert.ok(tiny.bytes.byteLength <= 20 * 1024);
  assert.match(tiny.trimmed ?? "", /only the first \d+ of 400 tools/);
});

Deno.test("KV limits - a huge non-ASCII health error is cut, keeping head and tail", async () => {
  await withStore(async (store) => {
    const s = await store.createServer(plan("sick"));
    const error = `HEAD ${CJK.repeat(50_000)} TAIL-REASON`;
    await store.setHealth(s.id, { ok: false, checked_at: new Date().toISOString(), error });
    const health = (await store.getServer(s.id)).health;
    assert.equal(health?.ok, false);
    assert.match(health?.error ?? "", /^HEAD /);
    assert.match(health?.error ?? "", /characters cut/);
    assert.match(health?.error ?? "", /TAIL-REASON$/);
  });
});

Deno.test("KV limits - oversized audit details are cut and marked, never dropped", async () => {
  await withStore(async (store) => {
    const entry = await store.appendAudit({
      actor: "admin",
      action: "server.test",
      target: "big",
      details: { error: CJK.repeat(40_000), tools: largeCatalog(400).map((t) => t.name) },
    });
    assert.ok(serializedSize(entry) <= KV_VALUE_LIMIT);
    const [stored] = await store.listAudit({ limit: 1 });
    assert.equal(stored.id, entry.id);
    assert.equal(stored.details.truncated, true);
    assert.match(String(stored.details.error), /characters cut/);
  });
});

Deno.test("KV limits - a server record too large for one value is a 413, not a 500", async () => {
  await withStore(async (store) => {
    const args = Array.from({ length: 64 }, () => CJK.repeat(400));
    await assertTooLarge(store.createServer(plan("huge", { args })), /server record is too large/);
    const s = await store.createServer(plan("small"));
    await assertTooLarge(
      store.updateServer(s.id, (cur) => ({ ...cur, args })),
      /server record is too large/,
    );
    assert.deepEqual((await store.getServer(s.id)).args, ["-y", "pkg"]);
  });
});

Deno.test("KV limits - an env value too large to store is a 413 naming the key", async () => {
  await withStore(async (store) => {
    const s = await store.createServer(plan("envs"));
    const big = CJK.repeat(65_536 / CJK.length);
    await assertTooLarge(store.setEnv(s.id, "NOTES", big, false), /value of NOTES/);
    await assertTooLarge(store.setEnv(s.id, "TOKEN", big, true), /value of TOKEN/);
    await store.setEnv(s.id, "OK", "x".repeat(50_000), false);
    assert.equal((await store.getEnvValues(s.id)).OK.length, 50_000);
  });
});

Deno.test("KV limits - session errors are cut; oversized HTTP cache bodies and keys are skipped", async () => {
  await withStore(async (store) => {
    await store.putSession({
      id: "sess-1",
      client_session: "c",
      server_id: "s",
      server_name: "n",
      container_id: null,
      started_at: new Date().toISOString(),
      stopped_at: null,
      exit_code: 1,
      error: CJK.repeat(60_000),
    });
    const [session] = await store.listSessions();
    assert.match(session.error ?? "", /characters cut/);
    await store.setHttpCache("https://x/readme", { etag: "e", body: CJK.repeat(10_000) });
    assert.equal(await store.getHttpCache("https://x/readme"), null);
    const longKey = `https://x/${"a".repeat(5000)}`;
    await store.setHttpCache(longKey, { etag: "e", body: "ok" });
    assert.equal(await store.getHttpCache(longKey), null);
  });
});

Deno.test("KV limits - fitValue and truncateText keep within budget", () => {
  const cut = truncateText("a".repeat(1000) + "END", 100);
  assert.ok(cut.length <= 100);
  assert.match(cut, /END$/);
  const big = {
    list: Array.from({ length: 5000 }, (_, i) => `${CJK} ${i}`),
    note: CJK.repeat(9000),
  };
  const fitted = fitValue(big, KV_VALUE_BUDGET, () => ({ list: [], note: "" }));
  assert.equal(fitted.truncated, true);
  assert.ok(serializedSize(fitted.value) <= KV_VALUE_BUDGET);
});

function fakePool(fn: () => Promise<Capabilities>): DownstreamPool {
  return { withEphemeral: () => fn() } as unknown as DownstreamPool;
}

Deno.test("KV limits - a failed test records failed health, also when storing capabilities fails", async () => {
  await withStore(async (store) => {
    const settings = testSettings({});
    const remote = await store.createServer(
      plan("remote-x", { runtime: "remote", transport: "http", url: "http://127.0.0.1:9/mcp" }),
    );
    const failing = new PoolRuntime({
      settings,
      store,
      backend: null,
      pool: fakePool(() => Promise.reject(new Error(`boom ${CJK.repeat(30_000)}`))),
    });
    const report = await failing.test(remote, {});
    assert.equal(report.ok, false);
    const health = (await store.getServer(remote.id)).health;
    assert.equal(health?.ok, false, "failed, not untested");
    assert.match(health?.error ?? "", /^boom /);

    const listing = new PoolRuntime({
      settings,
      store,
      backend: null,
      pool: fakePool(() => Promise.resolve(catalogue())),
    });
    store.setCapabilities = () =>
      Promise.reject(new TypeError("Value too large (max 65536 bytes)"));
    const second = await listing.test(remote, {});
    assert.equal(second.ok, false);
    assert.match(second.error ?? "", /listed 400 tools but could not store them/);
    assert.equal((await store.getServer(remote.id)).health?.ok, false);
  });
});

Deno.test("KV limits - rotating many large secrets commits in batches under the commit limit", async () => {
  await withStore(async (store) => {
    const s = await store.createServer(plan("vault"));
    for (let i = 0; i < 24; i++) {
      await store.setEnv(s.id, `KEY_${i}`, String(i % 10).repeat(30_000), true);
    }
    assert.equal(await store.rotateSecrets(), 24);
    const values = await store.getEnvValues(s.id);
    assert.equal(values.KEY_7, "7".repeat(30_000));
  });
});
