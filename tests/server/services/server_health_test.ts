/**
 * A server's health state (`ok`, `failed`, `untested`, `needs_setup`), the catalogue leaving out
 * servers that need setup, and a verification kept when its plan is saved unchanged.
 */
import assert from "node:assert/strict";
import {
  healthStatus,
  missingEnvByServer,
  missingFromStatus,
  serverHealth,
} from "../../../server/services/server_health.ts";
import { keepVerification } from "../../../server/services/kept_verification.ts";
import { buildCatalog } from "../../../server/mcp/catalog.ts";
import { EnvVarSpecSchema, type Health } from "../../../server/schemas/server.ts";
import { serverRecord } from "../../helpers.ts";

const env = [
  { key: "GITHUB_TOKEN", required: true, secret: true },
  { key: "REGION", required: true, default: "eu" },
  { key: "DEBUG" },
].map((e) => EnvVarSpecSchema.parse(e));
const okHealth: Health = { ok: true, checked_at: "2026-01-01T00:00:00Z", error: null };
const badHealth: Health = { ok: false, checked_at: "2026-01-01T00:00:00Z", error: "boom" };

Deno.test("Server health - missing required values win over any test result", () => {
  assert.equal(healthStatus(okHealth, ["GITHUB_TOKEN"]), "needs_setup");
  assert.equal(healthStatus(badHealth, ["GITHUB_TOKEN"]), "needs_setup");
  assert.equal(healthStatus(null, ["GITHUB_TOKEN"]), "needs_setup");
  assert.equal(healthStatus(okHealth, []), "ok");
  assert.equal(healthStatus(badHealth, []), "failed");
  assert.equal(healthStatus(null, []), "untested");
});

Deno.test("Server health - the view carries the state, the last test and the missing keys", () => {
  assert.deepEqual(serverHealth(null, ["GITHUB_TOKEN"]), {
    status: "needs_setup",
    ok: false,
    checked_at: null,
    error: null,
    missing: ["GITHUB_TOKEN"],
  });
  assert.deepEqual(serverHealth(badHealth, []), {
    status: "failed",
    ok: false,
    checked_at: badHealth.checked_at,
    error: "boom",
    missing: [],
  });
});

Deno.test("Server health - a key is missing when required, unset and without a default", async () => {
  const server = serverRecord({ env });
  const status = (set: boolean) => [
    { key: "GITHUB_TOKEN", set, secret: true, value: set ? "••••" : null, updated_at: null },
    { key: "REGION", set: false, secret: false, value: null, updated_at: null },
  ];
  assert.deepEqual(missingFromStatus(server, status(false)), ["GITHUB_TOKEN"]);
  assert.deepEqual(missingFromStatus(server, status(true)), []);

  const values: Record<string, Record<string, string>> = { "srv-1": {}, "srv-2": {} };
  const lookups: string[] = [];
  const store = {
    getEnvValues: (id: string) => {
      lookups.push(id);
      return Promise.resolve(values[id] ?? {});
    },
  };
  const plain = serverRecord({ id: "srv-3", name: "plain" });
  const servers = [server, serverRecord({ id: "srv-2", name: "other", env }), plain];
  assert.deepEqual(
    [...(await missingEnvByServer(store, servers))],
    [["srv-1", ["GITHUB_TOKEN"]], ["srv-2", ["GITHUB_TOKEN"]]],
  );
  assert.ok(!lookups.includes("srv-3"), "a server with nothing required is not looked up");
  values["srv-1"] = { GITHUB_TOKEN: "ghp_x" };
  assert.deepEqual([...(await missingEnvByServer(store, servers)).keys()], ["srv-2"]);
});

Deno.test("Catalog - servers that need setup are not offered, in either exposure", () => {
  const caps = {
    tools: [{ name: "search", inputSchema: { type: "object" } }],
    resources: [{ uri: "file:///a", name: "a" }],
    resource_templates: [],
    prompts: [{ name: "p" }],
    server_capabilities: {},
    fetched_at: "t",
  };
  const ready = serverRecord({ id: "a", name: "ready", capabilities: caps });
  const blocked = serverRecord({ id: "b", name: "blocked", env, capabilities: caps });
  for (const mode of ["servers", "tools"] as const) {
    const all = buildCatalog([ready, blocked], { mode });
    assert.equal(all.serverByName.size, 2, "without the set both are offered");
    const catalog = buildCatalog([ready, blocked], { mode, needsSetup: new Set(["b"]) });
    assert.deepEqual([...catalog.serverByName.keys()], ["ready"], mode);
    assert.ok(catalog.tools.every((t) => !t.tool.name.startsWith("blocked")), mode);
    assert.equal(catalog.prompts.length, 1, mode);
    assert.equal(catalog.resources.length, 1, mode);
  }
});

Deno.test("Kept verification - a plan saved as verified keeps its capabilities and health", async () => {
  const caps = {
    tools: [{ name: "echo", description: "Echo", inputSchema: { type: "object" } }],
    resources: [],
    resource_templates: [],
    prompts: [],
    server_capabilities: {},
    fetched_at: "t",
  };
  const saved = serverRecord({ id: "s1" });
  const analyzed = {
    runtime: "npx",
    command: "npx",
    args: ["-y", "@modelcontextprotocol/server-everything"],
    transport: "stdio",
    verification: { ok: true, error: null, tools: ["echo"], capabilities: caps },
  };
  const stored: { caps?: unknown; health?: Health } = {};
  const store = {
    setCapabilities: (_id: string, c: unknown) => {
      stored.caps = c;
      return Promise.resolve(null);
    },
    setHealth: (_id: string, h: Health) => {
      stored.health = h;
      return Promise.resolve();
    },
  };
  assert.equal(await keepVerification(store, saved, analyzed), true);
  assert.deepEqual((stored.caps as typeof caps).tools.map((t) => t.name), ["echo"]);
  assert.equal(stored.health?.ok, true);

  // An edited launch was not verified: nothing is kept.
  const edited = serverRecord({ id: "s2", args: ["-y", "other-server"] });
  stored.caps = stored.health = undefined;
  assert.equal(await keepVerification(store, edited, analyzed), false);
  assert.equal(stored.health, undefined);

  // A failed verification is kept as failed health with its cause, and no capabilities.
  const failed = { ...analyzed, verification: { ok: false, error: "package not found" } };
  assert.equal(await keepVerification(store, saved, failed), true);
  assert.equal(stored.caps, undefined);
  const health = stored.health as Health | undefined;
  assert.deepEqual([health?.ok, health?.error], [false, "package not found"]);
  assert.equal(
    await keepVerification(store, saved, { ...analyzed, verification: undefined }),
    false,
  );
});
