import assert from "node:assert/strict";
import { SecretKeyring } from "../../../server/store/keyring.ts";
import { KvStore } from "../../../server/store/kv_store.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";

async function tmpDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "mcp-router-keyring-" });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

const plan = PlanSchema.parse({
  name: "vault",
  runtime: "npx",
  command: "npx",
  args: ["-y", "pkg"],
  env: [{ key: "API_KEY", secret: true, required: true }],
});

async function kidOnDisk(dir: string): Promise<string> {
  return JSON.parse(await Deno.readTextFile(`${dir}/secret.key`)).kid;
}

Deno.test("Keyring - another process's rotation is followed: old and new values open, new seals use the new key", async () => {
  await using tmp = await tmpDir();
  const serve = await SecretKeyring.open(`${tmp.path}/secret.key`);
  const before = await serve.seal("before");
  const cli = await SecretKeyring.open(`${tmp.path}/secret.key`);
  const rotation = await cli.beginRotation();
  // Mid-rotation: a value already re-encrypted under the key in secret.key.next opens.
  const midway = await rotation.next.seal("midway");
  assert.equal(await serve.open(midway), "midway");
  await rotation.finish();
  assert.equal(await kidOnDisk(tmp.path), rotation.next.kid);
  assert.equal(await serve.open(before), "before");
  const after = await serve.seal("after");
  assert.equal(after.kid, rotation.next.kid);
  assert.equal(await cli.open(after), "after");
  assert.equal(serve.kid, rotation.next.kid);
});

Deno.test("Keyring - a value under a key no key file holds is refused", async () => {
  await using tmp = await tmpDir();
  const ring = await SecretKeyring.open(`${tmp.path}/secret.key`);
  const stranger = await (await SecretKeyring.ephemeral()).seal("x");
  await assert.rejects(() => ring.open(stranger), /no key file holds/);
});

Deno.test("Store - a store that stays open reads secrets another store on the data dir rotated", async () => {
  await using tmp = await tmpDir();
  const serve = await KvStore.open({ dataDir: tmp.path });
  const cli = await KvStore.open({ dataDir: tmp.path });
  try {
    const s = await serve.createServer(plan);
    await serve.setEnv(s.id, "API_KEY", "sk-one", true);
    assert.equal(await cli.rotateSecrets(), 1);
    assert.deepEqual(await serve.getEnvValues(s.id), { API_KEY: "sk-one" });
    await serve.setEnv(s.id, "OTHER", "sk-two", true);
    const raw = await serve.kv.get<{ sealed: { kid: string } }>(["env", s.id, "OTHER"]);
    assert.equal(raw.value?.sealed.kid, await kidOnDisk(tmp.path));
    // A second rotation (by the serve this time) re-encrypts both; the CLI follows it.
    assert.equal(await serve.rotateSecrets(), 2);
    assert.deepEqual(await cli.getEnvValues(s.id), { API_KEY: "sk-one", OTHER: "sk-two" });
  } finally {
    serve.close();
    cli.close();
  }
});

Deno.test("Store - rotation does not bring back a value deleted while it ran", async () => {
  await using tmp = await tmpDir();
  const store = await KvStore.open({ dataDir: tmp.path });
  try {
    const s = await store.createServer(plan);
    await store.setEnv(s.id, "API_KEY", "sk-one", true);
    await store.deleteEnv(s.id, "API_KEY");
    assert.equal(await store.rotateSecrets(), 0);
    assert.deepEqual(await store.getEnvValues(s.id), {});
  } finally {
    store.close();
  }
});
