/**
 * The router's downstream OAuth records: sealed at rest (no token or secret in clear in KV),
 * a pending authorization taken once, settings with a sealed client secret, re-sealed by a
 * secret rotation (readable after two of them), and removed with their server.
 */
import assert from "node:assert/strict";
import { KvStore } from "../../../server/store/kv_store.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";
import { quietLogs, withTmpDir } from "../../helpers.ts";

async function dump(store: KvStore): Promise<string> {
  const out: unknown[] = [];
  for await (const entry of store.kv.list({ prefix: [] })) out.push([entry.key, entry.value]);
  return JSON.stringify(out);
}

Deno.test("Downstream auth store - sealed records, one-time flows, rotation, server delete", async () => {
  quietLogs();
  await using tmp = await withTmpDir();
  const store = await KvStore.open({ dataDir: tmp.path });
  try {
    const server = await store.createServer(PlanSchema.parse({
      name: "remote",
      runtime: "remote",
      transport: "http",
      url: "https://mcp.example.com/mcp",
    }));
    const auth = store.downstreamAuth;
    await auth.putTokens(server.id, "admin", {
      access_token: "at-secret-123",
      refresh_token: "rt-secret-456",
      token_type: "Bearer",
    });
    await auth.putClient(server.id, "https://as.example", {
      client_id: "cid",
      client_secret: "cs-secret-789",
    });
    await auth.putConfig(server.id, { mode: "shared", client_id: "manual" }, "manual-secret-0");
    await auth.putFlow("a".repeat(48), {
      server_id: server.id,
      owner: "key:k1",
      code_verifier: "verifier-secret-1",
      redirect_uri: "http://127.0.0.1:8080/oauth/downstream/callback",
      discovery: null,
      created_at: new Date().toISOString(),
    });
    const raw = await dump(store);
    for (
      const secret of ["at-secret", "rt-secret", "cs-secret", "manual-secret", "verifier-secret"]
    ) {
      assert.ok(!raw.includes(secret), `${secret} is sealed`);
    }
    assert.equal((await auth.getTokens(server.id, "admin"))?.refresh_token, "rt-secret-456");
    assert.equal((await auth.getConfig(server.id)).mode, "shared");
    assert.equal(await auth.clientSecret(server.id), "manual-secret-0");
    assert.deepEqual((await auth.listTokenOwners(server.id)).map((o) => o.owner), ["admin"]);

    const flow = await auth.takeFlow("a".repeat(48));
    assert.equal(flow?.owner, "key:k1");
    assert.equal(await auth.takeFlow("a".repeat(48)), null, "taken once");

    // Two rotations: the old-old key is gone, the records were re-sealed under the new ones.
    assert.ok((await store.rotateSecrets()) >= 3);
    await store.rotateSecrets();
    assert.equal((await auth.getTokens(server.id, "admin"))?.access_token, "at-secret-123");
    assert.equal(
      (await auth.getClient(server.id, "https://as.example"))?.client_secret,
      "cs-secret-789",
    );
    assert.equal(await auth.clientSecret(server.id), "manual-secret-0");

    await store.deleteServer(server.id);
    assert.equal(await auth.getTokens(server.id, "admin"), null);
    assert.equal(await auth.getClient(server.id, "https://as.example"), null);
    assert.equal((await auth.getConfig(server.id)).client_id, null);
  } finally {
    store.close();
  }
});
