/**
 * Hostile input - racing admin writes: env values and capability caches written while their
 * server is being deleted never outlive it (no orphaned secrets), over the REST API.
 */
import assert from "node:assert/strict";
import { hostileRouter } from "./helpers.ts";
import { storeProblems } from "./store_check.ts";
import { CapabilitiesSchema } from "../../server/schemas/server.ts";

const JSON_HEADERS = { "content-type": "application/json" };

Deno.test("Hostile - env writes racing a delete leave no orphaned values", async () => {
  await using r = await hostileRouter();
  const send = async (path: string, init?: RequestInit) => {
    const res = await r.app.request(path, init);
    await res.body?.cancel();
    return res.status;
  };
  const statuses = new Map<number, number>();
  for (let i = 0; i < 30; i++) {
    const name = `race-${i}`;
    assert.equal(
      await send("/api/servers", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({ name, runtime: "npx", command: "npx" }),
      }),
      201,
    );
    const server = await r.services.store.getServer(name);
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, k) =>
        send(`/api/servers/${name}/env/SECRET_${k}`, {
          method: "PUT",
          headers: JSON_HEADERS,
          body: JSON.stringify({ value: "s3cr3t", secret: true }),
        })),
      r.services.store.setCapabilities(
        server.id,
        CapabilitiesSchema.parse({ fetched_at: new Date().toISOString() }),
      )
        .then(() => 200),
      send(`/api/servers/${name}`, { method: "DELETE" }),
    ]);
    for (const s of results) statuses.set(s, (statuses.get(s) ?? 0) + 1);
  }
  for (const status of statuses.keys()) assert.ok(status < 500, `status ${status}`);
  const report = await storeProblems(r.services.store.kv);
  assert.deepEqual(report.problems, [], "no env value or cache outlived its server");
  assert.equal(report.servers, 0);
  assert.equal(report.envValues, 0);
  console.log(`racing writes: ${JSON.stringify(Object.fromEntries(statuses))}`);
});
