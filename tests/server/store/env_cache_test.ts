/** Decrypted env values are reused, but a write in this process is seen at once. */
import assert from "node:assert/strict";
import { KvStore } from "../../../server/store/kv_store.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";
import { resolveLaunchEnv } from "../../../server/services/launch_env.ts";

Deno.test("env cache - reused while unchanged, fresh after set and delete", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const server = await store.createServer(PlanSchema.parse({
      name: "demo",
      runtime: "npx",
      command: "npx",
      args: ["-y", "demo"],
      env: [{ key: "TOKEN", required: true, secret: true, description: "" }],
    }));
    assert.deepEqual((await resolveLaunchEnv(store, server)).missing, ["TOKEN"]);
    await store.setEnv(server.id, "TOKEN", "one", true);
    const a = await resolveLaunchEnv(store, server);
    assert.deepEqual(a, { env: { TOKEN: "one" }, missing: [] });
    assert.equal(await resolveLaunchEnv(store, server), a, "unchanged: the same result object");
    await store.setEnv(server.id, "TOKEN", "two", true);
    assert.equal((await resolveLaunchEnv(store, server)).env.TOKEN, "two");
    await store.deleteEnv(server.id, "TOKEN");
    assert.deepEqual((await resolveLaunchEnv(store, server)).missing, ["TOKEN"]);
  } finally {
    store.close();
  }
});
