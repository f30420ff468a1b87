import assert from "node:assert/strict";
import { KvStore } from "../../../server/store/kv_store.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";
import { AppError } from "../../../server/errors.ts";
import { withTmpDir } from "../../helpers.ts";

const plan = (name: string) =>
  PlanSchema.parse({
    name,
    runtime: "npx",
    command: "npx",
    args: ["-y", "pkg"],
    env: [{ key: "API_KEY", secret: true, required: true }, { key: "MODE" }],
  });

Deno.test("Store - create, find by id and name, list, delete", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const a = await store.createServer(plan("alpha"));
    await store.createServer(plan("beta"));
    assert.equal((await store.getServer(a.id)).name, "alpha");
    assert.equal((await store.getServer("alpha")).id, a.id);
    assert.deepEqual((await store.listServers()).map((s) => s.name), ["alpha", "beta"]);
    await store.setEnv(a.id, "API_KEY", "k", true);
    await store.deleteServer("alpha");
    assert.equal(await store.findServer("alpha"), null);
    assert.deepEqual(await store.getEnvValues(a.id), {});
    // the name is free again
    await store.createServer(plan("alpha"));
  } finally {
    store.close();
  }
});

Deno.test("Store - names are unique, also under concurrent creates", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => store.createServer(plan("same"))),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of results) {
      if (r.status === "rejected") {
        assert.ok(r.reason instanceof AppError);
        assert.equal(r.reason.status, 409);
      }
    }
  } finally {
    store.close();
  }
});

Deno.test("Store - concurrent edits: one wins, the loser gets a 409", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const s = await store.createServer(plan("edit-me"));
    const results = await Promise.allSettled([
      store.updateServer(s.id, (c) => ({ ...c, description: "first" })),
      store.updateServer(s.id, (c) => ({ ...c, description: "second" })),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    assert.equal(ok.length, 1);
    assert.equal(lost.length, 1);
    assert.equal(((lost[0] as PromiseRejectedResult).reason as AppError).status, 409);
    const stored = await store.getServer(s.id);
    assert.equal(
      stored.description,
      (ok[0] as PromiseFulfilledResult<{ description: string }>).value.description,
    );
    // stale version → 409
    await assert.rejects(
      store.updateServer(s.id, (c) => c, { expectedVersion: s.version }),
      (e: AppError) => e.status === 409,
    );
  } finally {
    store.close();
  }
});

Deno.test("Store - renaming onto a taken name is a 409", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    await store.createServer(plan("one"));
    const two = await store.createServer(plan("two"));
    await assert.rejects(
      store.updateServer(two.id, (c) => ({ ...c, name: "one" })),
      (e: AppError) => e.status === 409,
    );
    const renamed = await store.updateServer(two.id, (c) => ({ ...c, name: "three" }));
    assert.equal((await store.getServer("three")).id, renamed.id);
    assert.equal(await store.findServer("two"), null);
  } finally {
    store.close();
  }
});

Deno.test("Store - large capabilities are chunked", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const s = await store.createServer(plan("big"));
    const tools = Array.from({ length: 300 }, (_, i) => ({
      name: `tool_${i}`,
      description: "d".repeat(500),
      inputSchema: { type: "object" },
    }));
    await store.setCapabilities(s.id, {
      tools,
      resources: [],
      resource_templates: [],
      prompts: [],
      server_capabilities: {},
      fetched_at: new Date().toISOString(),
    });
    assert.equal((await store.getServer(s.id)).capabilities?.tools.length, 300);
  } finally {
    store.close();
  }
});

Deno.test("Store - secrets are encrypted on disk and survive reopen; rotate re-encrypts", async () => {
  await using tmp = await withTmpDir();
  const secret = "sk-live-THIS-IS-SECRET-123456";
  let store = await KvStore.open({ dataDir: tmp.path });
  const s = await store.createServer(plan("sec"));
  await store.setEnv(s.id, "API_KEY", secret, true);
  await store.setEnv(s.id, "MODE", "fast", false);
  store.close();
  const keyInfo = await Deno.stat(`${tmp.path}/secret.key`);
  assert.equal((keyInfo.mode ?? 0) & 0o777, 0o600);
  for await (const entry of Deno.readDir(tmp.path)) {
    if (!entry.isFile || entry.name === "secret.key") continue;
    const bytes = await Deno.readFile(`${tmp.path}/${entry.name}`);
    assert.ok(!new TextDecoder("latin1").decode(bytes).includes(secret), entry.name);
  }
  store = await KvStore.open({ dataDir: tmp.path });
  try {
    assert.deepEqual(await store.getEnvValues(s.id), { API_KEY: secret, MODE: "fast" });
    const status = await store.envStatus(await store.getServer(s.id));
    assert.deepEqual(status.map((e) => e.value), ["••••", "fast"]);
    const before = await Deno.readTextFile(`${tmp.path}/secret.key`);
    assert.equal(await store.rotateSecrets(), 1);
    assert.notEqual(await Deno.readTextFile(`${tmp.path}/secret.key`), before);
    assert.deepEqual(await store.getEnvValues(s.id), { API_KEY: secret, MODE: "fast" });
  } finally {
    store.close();
  }
  store = await KvStore.open({ dataDir: tmp.path });
  try {
    assert.equal((await store.getEnvValues(s.id)).API_KEY, secret);
  } finally {
    store.close();
  }
});

Deno.test("Store - audit entries newest first with pagination", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    for (let i = 0; i < 5; i++) {
      await store.appendAudit({ actor: "t", action: `a${i}` });
      await new Promise((r) => setTimeout(r, 2));
    }
    const first = await store.listAudit({ limit: 2 });
    assert.deepEqual(first.map((e) => e.action), ["a4", "a3"]);
    const next = await store.listAudit({ limit: 2, before: first[1].id });
    assert.deepEqual(next.map((e) => e.action), ["a2", "a1"]);
  } finally {
    store.close();
  }
});
