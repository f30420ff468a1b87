/** API keys are found by the digest of the presented key; keys made before the index still work. */
import assert from "node:assert/strict";
import { KvStore } from "../../../server/store/kv_store.ts";
import { KEY_CACHE_MS } from "../../../server/store/kv_api_keys.ts";
import { createApiKey, revokeApiKey, verifyApiKey } from "../../../server/auth/api_keys.ts";

Deno.test("api keys - found by digest; revoked at once; wrong keys refused", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    assert.equal(await store.hasActiveApiKeys(), false);
    const { record, key } = await createApiKey(store, "ci");
    assert.ok(record.lookup, "new keys carry their lookup digest");
    assert.equal(await store.hasActiveApiKeys(), true);
    assert.equal((await verifyApiKey(store, key))?.id, record.id);
    const other = key.slice(0, -1) + (key.endsWith("0") ? "1" : "0");
    assert.equal(await verifyApiKey(store, other), null);
    assert.equal(await verifyApiKey(store, "not-a-key"), null);
    await revokeApiKey(store, "ci");
    assert.equal(await verifyApiKey(store, key), null);
    assert.equal(await store.hasActiveApiKeys(), false);
  } finally {
    store.close();
  }
});

Deno.test("api keys - a key stored before the index verifies by scan once, then by digest", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const { record, key } = await createApiKey(store, "old");
    // As written by an older version: no lookup digest, no lookup or active index entries.
    const kv = (store as unknown as { kv?: Deno.Kv }).kv;
    await store.putApiKey({ ...record, lookup: null });
    if (kv) {
      await kv.delete(["api_key_lookup", record.lookup!]);
      await kv.delete(["api_keys_active", record.id]);
    }
    assert.equal(await store.findApiKeyByLookup(record.lookup!), null);
    assert.equal(await store.hasActiveApiKeys(), true, "old active records still count");
    assert.equal((await verifyApiKey(store, key))?.id, record.id);
    assert.equal((await store.findApiKeyByLookup(record.lookup!))?.id, record.id, "backfilled");
  } finally {
    store.close();
  }
});

Deno.test("api keys - a reused key record skips the second hash only for the token it matched", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const { record, key } = await createApiKey(store, "hot");
    for (let i = 0; i < 3; i++) assert.equal((await verifyApiKey(store, key))?.id, record.id);
    // A token with the same digest lookup but another text cannot exist; a different token is
    // looked up under its own digest and refused, even while the right one is cached.
    const other = key.slice(0, -1) + (key.endsWith("0") ? "1" : "0");
    assert.equal(await verifyApiKey(store, other), null);
    // A record whose stored hash no longer matches (as after a rotation written elsewhere) is
    // refused: a new record object is checked afresh.
    await store.putApiKey({ ...record, hash: "0".repeat(64) });
    assert.equal(await verifyApiKey(store, key), null);
  } finally {
    store.close();
  }
});

Deno.test("api keys - whether any key is active is reused for a second, then read again", async () => {
  const dir = await Deno.makeTempDir();
  const router = await KvStore.open({ dataDir: dir });
  const cli = await KvStore.open({ dataDir: dir });
  try {
    assert.equal(await router.hasActiveApiKeys(), false);
    // Another process (`main.ts keys create`) writes the first key: seen within KEY_CACHE_MS.
    await createApiKey(cli, "other-process");
    await new Promise((r) => setTimeout(r, KEY_CACHE_MS + 50));
    assert.equal(await router.hasActiveApiKeys(), true);
    // A key revoked in this process is seen at once.
    await revokeApiKey(router, "other-process");
    assert.equal(await router.hasActiveApiKeys(), false);
  } finally {
    router.close();
    cli.close();
    await Deno.remove(dir, { recursive: true });
  }
});
