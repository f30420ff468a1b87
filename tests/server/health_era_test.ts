/** `/api/health` names each server's protocol era and revision from its capabilities cache. */
import assert from "node:assert/strict";
import { createApp } from "../../server/app/app.ts";
import { HealthResponseSchema } from "../../server/schemas/api.ts";
import { CapabilitiesSchema, PlanSchema } from "../../server/schemas/server.ts";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import { addTestedRemote, memoryDeps, withTmpDir } from "../helpers.ts";

const plan = (name: string) =>
  PlanSchema.parse({ name, runtime: "remote", transport: "http", url: "http://127.0.0.1:9/mcp" });

Deno.test("Health - each server shows the protocol era and revision it spoke", async () => {
  await using deps = await memoryDeps();
  const modern = await deps.store.createServer(plan("modern-one"));
  const legacy = await deps.store.createServer(plan("legacy-one"));
  await deps.store.createServer(plan("never-loaded"));
  const fetched_at = new Date().toISOString();
  await deps.store.setCapabilities(
    modern.id,
    CapabilitiesSchema.parse({
      protocol_era: "modern",
      protocol_version: "2026-07-28",
      fetched_at,
    }),
  );
  await deps.store.setCapabilities(
    legacy.id,
    CapabilitiesSchema.parse({
      protocol_era: "legacy",
      protocol_version: "2025-11-25",
      fetched_at,
    }),
  );
  const res = await createApp(deps).request("/api/health");
  assert.equal(res.status, 200);
  const body = HealthResponseSchema.parse(await res.json());
  const byName = new Map(body.servers.map((s) => [s.name, s]));
  assert.equal(byName.get("modern-one")?.protocol_era, "modern");
  assert.equal(byName.get("modern-one")?.protocol_version, "2026-07-28");
  assert.equal(byName.get("legacy-one")?.protocol_era, "legacy");
  assert.equal(byName.get("legacy-one")?.protocol_version, "2025-11-25");
  assert.equal(byName.get("never-loaded")?.protocol_era, null);
  assert.equal(byName.get("never-loaded")?.protocol_version, null);
});

Deno.test("Health - a capabilities cache written before eras existed still parses", () => {
  const caps = CapabilitiesSchema.parse({ tools: [], fetched_at: new Date().toISOString() });
  assert.equal(caps.protocol_era, undefined);
  assert.throws(() =>
    CapabilitiesSchema.parse({ protocol_era: "future", fetched_at: new Date().toISOString() })
  );
});

Deno.test("Health - a tested server's era comes from the live connection", async () => {
  await using tmp = await withTmpDir();
  const fixture = await serveConformanceHttp({ port: 0 });
  const services = await openServices(
    loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: `${tmp.path}/no-podman.sock`,
    }),
  );
  const app = createRouterApp(services);
  try {
    await addTestedRemote(services, "fixture", fixture.url);
    const res = await app.request("/api/health");
    const body = HealthResponseSchema.parse(await res.json());
    const entry = body.servers.find((s) => s.name === "fixture");
    // The fixture serves both eras: whichever the router negotiated must be named consistently.
    assert.ok(entry?.protocol_era, JSON.stringify(entry));
    assert.match(
      entry.protocol_version ?? "",
      entry.protocol_era === "modern" ? /^2026-/ : /^20(24|25)-/,
    );
  } finally {
    await app.closeSessions();
    await services.close();
    await fixture.shutdown();
  }
});
