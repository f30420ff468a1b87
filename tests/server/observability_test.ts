/**
 * Audit export as JSON lines and Prometheus metrics.
 */
import assert from "node:assert/strict";
import { tmpRouter } from "../helpers.ts";

Deno.test("Observability - audit export (JSON lines) and /metrics", async () => {
  await using r = await tmpRouter();
  const { app, services } = r;
  for (const name of ["one", "two"]) {
    const res = await app.request("/api/servers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, runtime: "uvx", command: "uvx", args: ["x"] }),
    });
    assert.equal(res.status, 201);
  }
  const audit = await app.request("/api/audit?limit=10");
  assert.equal(audit.status, 200);
  assert.match(audit.headers.get("content-type") ?? "", /ndjson/);
  const lines = (await audit.text()).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.target), ["two", "one"]);
  assert.ok(lines.every((l) => l.action === "server.create" && l.actor === "local"));
  const one = await app.request(`/api/servers/${lines[1].target}`);
  assert.equal(one.status, 200);
  await one.body?.cancel();
  await (await app.request(`/no/such/${crypto.randomUUID()}`)).body?.cancel();
  const metrics = await (await app.request("/metrics")).text();
  // labelled by route pattern, never by raw path
  assert.match(
    metrics,
    /mcp_router_http_requests_total\{method="GET",route="\/api\/servers\/:id",status="200"\} \d+/,
  );
  assert.match(metrics, /route="unmatched",status="404"/);
  assert.doesNotMatch(metrics, /\/no\/such|\/api\/servers\/one/);
  assert.match(
    metrics,
    /mcp_router_http_requests_total\{method="POST",route="\/api\/servers",status="201"\} \d+/,
  );
  assert.match(metrics, /mcp_router_active_sessions \d+/);
  assert.match(metrics, /mcp_router_active_containers 0/);
  assert.equal(await services.store.pruneAudit(30), 0);
});
