import assert from "node:assert/strict";
import { createApp } from "../../server/app/app.ts";
import { memoryDeps } from "../helpers.ts";

const everything = {
  name: "everything",
  runtime: "npx",
  command: "npx",
  args: ["-y", "@modelcontextprotocol/server-everything"],
  env: [{ key: "API_TOKEN", secret: true, required: true, description: "a token" }],
};

function post(_path: string, body: unknown, headers: Record<string, string> = {}) {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  } as RequestInit & { path?: string };
}

Deno.test("API - health answers degraded without podman", async () => {
  await using deps = await memoryDeps();
  const app = createApp(deps);
  const res = await app.request("/api/health");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, "degraded");
  assert.equal(body.podman.ok, false);
  assert.match(body.podman.reason, /podman/);
});

Deno.test("API - create, get, list, update, delete a server", async () => {
  await using deps = await memoryDeps();
  const app = createApp(deps);
  const created = await app.request("/api/servers", post("/api/servers", everything));
  assert.equal(created.status, 201, await created.clone().text());
  const server = await created.json();
  assert.equal(server.name, "everything");
  assert.equal(server.source.kind, "npx");
  assert.equal((await app.request(`/api/servers/${server.id}`)).status, 200);
  assert.equal((await app.request(`/api/servers/everything`)).status, 200);
  const list = await (await app.request("/api/servers")).json();
  assert.equal(list.servers.length, 1);
  const upd = await app.request(`/api/servers/${server.id}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ description: "changed", version: server.version }),
  });
  assert.equal(upd.status, 200);
  assert.equal((await upd.json()).description, "changed");
  const stale = await app.request(`/api/servers/${server.id}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ description: "again", version: server.version }),
  });
  assert.equal(stale.status, 409);
  assert.equal((await app.request(`/api/servers/${server.id}`, { method: "DELETE" })).status, 200);
  assert.equal((await app.request(`/api/servers/${server.id}`)).status, 404);
});

Deno.test("API - bad input gets JSON 4xx", async () => {
  await using deps = await memoryDeps({ maxBodyBytes: 10_000 });
  const app = createApp(deps);
  const garbage = await app.request("/api/servers", post("/api/servers", "{garbage"));
  assert.equal(garbage.status, 400);
  assert.equal((await garbage.json()).error.code, "invalid_json");
  const form = await app.request("/api/servers", { method: "POST", body: "{garbage" });
  assert.equal(form.status, 400);
  const missing = await app.request("/api/servers", post("/api/servers", { runtime: "npx" }));
  assert.equal(missing.status, 400);
  const body = await missing.json();
  assert.equal(body.error.code, "validation_failed");
  assert.ok(body.error.details.some((d: { path: string }) => d.path === "name"));
  const types = await app.request("/api/servers", post("/api/servers", { ...everything, args: 5 }));
  assert.equal(types.status, 400);
  const big = await app.request(
    "/api/servers",
    post("/api/servers", { ...everything, description: "x".repeat(20_000) }),
  );
  assert.equal(big.status, 413);
  assert.equal((await app.request("/api/servers/nope")).status, 404);
  assert.equal((await app.request("/api/nope")).status, 404);
});

Deno.test("API - duplicate name is a 409", async () => {
  await using deps = await memoryDeps();
  const app = createApp(deps);
  assert.equal((await app.request("/api/servers", post("", everything))).status, 201);
  const again = await app.request("/api/servers", post("", everything));
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error.code, "conflict");
});

Deno.test("API - secret env values are never returned", async () => {
  await using deps = await memoryDeps();
  const app = createApp(deps);
  await app.request("/api/servers", post("", everything));
  const set = await app.request("/api/servers/everything/env/API_TOKEN", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ value: "sup3r-s3cret-value" }),
  });
  assert.equal(set.status, 200);
  for (const path of ["/api/servers", "/api/servers/everything", "/api/health"]) {
    const text = await (await app.request(path)).text();
    assert.ok(!text.includes("sup3r-s3cret-value"), path);
  }
  const server = await (await app.request("/api/servers/everything")).json();
  assert.deepEqual(server.env_values[0], {
    key: "API_TOKEN",
    set: true,
    secret: true,
    value: "••••",
    updated_at: server.env_values[0].updated_at,
  });
});

Deno.test("API - analyze returns a plan POST accepts as is", async () => {
  await using deps = await memoryDeps();
  const app = createApp(deps);
  const res = await app.request(
    "/api/servers/analyze",
    post("", { source: "npx:@modelcontextprotocol/server-memory" }),
  );
  assert.equal(res.status, 200);
  const plan = await res.json();
  const created = await app.request("/api/servers", post("", plan));
  assert.equal(created.status, 201, await created.clone().text());
  const alias = await app.request(
    "/api/servers/analyze",
    post("", { github_url: "uvx:mcp-server-time" }),
  );
  assert.equal(alias.status, 200);
  assert.equal((await app.request("/api/servers/analyze", post("", {}))).status, 400);
});

Deno.test("API - test returns 503 without a runtime", async () => {
  await using deps = await memoryDeps();
  const app = createApp(deps);
  await app.request("/api/servers", post("", { ...everything, env: [] }));
  const res = await app.request("/api/servers/everything/test", { method: "POST" });
  assert.equal(res.status, 503);
  assert.equal((await res.json()).error.code, "runtime_unavailable");
});

Deno.test("API - openapi document lists every route", async () => {
  await using deps = await memoryDeps();
  const app = createApp(deps);
  const doc = await (await app.request("/api/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  for (
    const p of [
      "/api/servers",
      "/api/servers/analyze",
      "/api/servers/{id}",
      "/api/servers/{id}/test",
      "/api/servers/{id}/logs",
      "/api/servers/{id}/env/{key}",
      "/api/health",
      "/api/config/claude-desktop",
    ]
  ) assert.ok(doc.paths[p], p);
});

Deno.test("API - a request without its JSON body is a 400, never a 500", async () => {
  await using deps = await memoryDeps();
  const app = createApp(deps);
  await app.request("/api/servers", post("", everything));
  for (
    const [method, path] of [
      ["PUT", "/api/servers/everything/env/API_TOKEN"],
      ["POST", "/api/servers"],
      ["POST", "/api/servers/analyze"],
    ]
  ) {
    const res = await app.request(path, { method });
    assert.equal(res.status, 400, `${method} ${path}: ${await res.text()}`);
  }
});
