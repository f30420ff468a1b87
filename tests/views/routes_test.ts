/**
 * Admin UI routes in process (`app.request`): forms post to UI routes that use the same store
 * and schemas as the REST API — validation messages per field, typed values kept, 409 on a
 * stale version, secrets never rendered, audit without secret values, htmx fragments, and
 * Try-it through a real router session against a remote MCP server.
 */
import assert from "node:assert/strict";
import { createApp } from "../../server/app/app.ts";
import { mountPages } from "../../server/pages/mount.ts";
import { assets } from "../../views/assets.ts";
import { memoryDeps, withTmpDir } from "../helpers.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { planFromSource } from "../../server/analyzer/source_plan.ts";
import { startPagesWithFixture } from "./pages_harness.ts";

const BASE = "http://localhost";

function form(fields: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

const PLAN_FIELDS = {
  name: "everything",
  display_name: "Everything",
  description: "All the things",
  runtime: "npx",
  package: "",
  image: "",
  install: "",
  command: "npx",
  args: "-y\n@modelcontextprotocol/server-everything",
  transport: "stdio",
  url: "",
  port: "",
  path: "",
  lifecycle: "session",
  namespace: "prefix",
  "env.0.key": "API_TOKEN",
  "env.0.description": "token",
  "env.0.required": "on",
  "env.0.secret": "on",
  "env.0.default": "",
  "env.0.value": "tok-very-secret-1",
  "env.1.key": "REGION",
  "env.1.description": "",
  "env.1.default": "",
  "env.1.value": "eu-west",
  "env.2.key": "",
  "env.2.value": "",
};

async function setup(configEnv?: Record<string, string>) {
  const deps = await memoryDeps();
  const app = createApp(deps, {
    extend: (a) => {
      mountPages(a, deps, configEnv ? { configEnv: () => configEnv } : {});
    },
  });
  const req = (path: string, init?: RequestInit) => app.request(`${BASE}${path}`, init);
  return { deps, app, req };
}

Deno.test("Pages - every page renders with security headers", async () => {
  const { deps, req } = await setup();
  await using _ = deps;
  for (const path of ["/", "/servers/new", "/connect", "/activity"]) {
    const res = await req(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const html = await res.text();
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, new RegExp(assets().htmx.url.replaceAll(".", "\\.")));
  }
  const fragment = await req("/", { headers: { "hx-request": "true" } });
  assert.ok(!(await fragment.text()).includes("<html"));
});

Deno.test("Pages - static assets are content-hashed and cached forever", async () => {
  const { deps, req } = await setup();
  await using _ = deps;
  const htmx = await req(assets().htmx.url);
  assert.equal(htmx.status, 200);
  assert.match(htmx.headers.get("cache-control") ?? "", /immutable/);
  assert.match(await htmx.text(), /htmx/);
  assert.match(assets().css.url, /^\/static\/app\.[0-9a-f]{12}\.css$/);
  assert.equal((await req("/static/htmx.000000000000.js")).status, 404);
});

Deno.test("Pages - add flow: bad source, analysis job, validation errors, save with env", async () => {
  const { deps, req } = await setup();
  await using _ = deps;
  const bad = await req("/servers/new", { method: "POST", body: form({ source: "ftp://nope" }) });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /Not a source the router understands/);

  const started = await req("/servers/new", {
    method: "POST",
    body: form({ source: "npx:@modelcontextprotocol/server-everything" }),
  });
  assert.equal(started.status, 303);
  const jobUrl = started.headers.get("location")!;
  let page = "";
  for (let i = 0; i < 50 && !page.includes("Review the plan"); i++) {
    await new Promise((r) => setTimeout(r, 20));
    page = await (await req(jobUrl)).text();
  }
  assert.match(page, /Review the plan/);
  assert.match(page, /value="everything"/);
  // A plan without env vars gets no empty env row (Add variable adds one).
  assert.ok(!page.includes('class="env-row"'));
  const job = jobUrl.split("/").pop()!;
  const progress = await req(`${jobUrl}/progress`, { headers: { "hx-request": "true" } });
  assert.equal(progress.headers.get("hx-redirect"), jobUrl);

  // Invalid name and port: errors next to the fields, typed values kept, secret not echoed.
  const invalid = await req("/servers", {
    method: "POST",
    body: form({ ...PLAN_FIELDS, job, name: "Bad Name", port: "eighty" }),
  });
  assert.equal(invalid.status, 400);
  const html = await invalid.text();
  assert.match(html, /id="f-name-error">must be 1-48 chars/);
  assert.match(html, /id="f-port-error">/);
  assert.match(html, /value="Bad Name"/);
  assert.match(html, /value="eighty"/);
  assert.match(html, /value="eu-west"/);
  assert.ok(!html.includes("tok-very-secret-1"));

  // No-JS "add variable" re-renders the form with one more row, saving nothing.
  const added = await req("/servers", {
    method: "POST",
    body: form({ ...PLAN_FIELDS, job, _action: "add_env" }),
  });
  assert.equal((await added.text()).match(/class="env-row"/g)?.length, 4);
  const removed = await req("/servers", {
    method: "POST",
    body: form({ ...PLAN_FIELDS, job, _action: "remove_env:1" }),
  });
  assert.ok(!(await removed.text()).includes('value="REGION"'));
  assert.equal((await deps.store.listServers()).length, 0);

  const saved = await req("/servers", { method: "POST", body: form({ ...PLAN_FIELDS, job }) });
  assert.equal(saved.status, 303);
  const server = await deps.store.getServer("everything");
  assert.equal(saved.headers.get("location"), `/servers/${server.id}?msg=created`);
  assert.deepEqual(server.args, ["-y", "@modelcontextprotocol/server-everything"]);
  assert.equal(server.source.kind, "npx");
  assert.deepEqual(await deps.store.getEnvValues(server.id), {
    API_TOKEN: "tok-very-secret-1",
    REGION: "eu-west",
  });
  const view = await (await req(`/servers/${server.id}?msg=created`)).text();
  assert.ok(!view.includes("tok-very-secret-1"));
  assert.match(view, /Server created\./);
  assert.match(view, /••••/);
  const audit = JSON.stringify(await deps.store.listAudit());
  assert.ok(!audit.includes("tok-very-secret-1"));
  assert.match(audit, /server\.create/);

  const taken = await req("/servers", { method: "POST", body: form({ ...PLAN_FIELDS, job }) });
  assert.equal(taken.status, 409);
  assert.match(
    await taken.text(),
    /id="f-name-error">a server named &#39;everything&#39;|id="f-name-error">a server named 'everything'/,
  );
});

Deno.test("Pages - a secret typed before a validation error is kept sealed, never shown, then saved", async () => {
  const { deps, req } = await setup();
  await using _ = deps;
  const started = await req("/servers/new", {
    method: "POST",
    body: form({ source: "npx:@modelcontextprotocol/server-everything" }),
  });
  const job = started.headers.get("location")!.split("/").pop()!;
  const invalid = await req("/servers", {
    method: "POST",
    body: form({ ...PLAN_FIELDS, job, name: "Bad Name" }),
  });
  assert.equal(invalid.status, 400);
  const html = await invalid.text();
  assert.ok(!html.includes("tok-very-secret-1"));
  assert.ok(!html.includes(btoa("tok-very-secret-1").slice(0, 12)));
  assert.match(html, /placeholder="•••• kept"/);
  const token = html.match(/name="env\.0\.sealed" value="([^"]+)"/)?.[1];
  assert.ok(token, "sealed draft in a hidden field");

  // A forged draft opens to nothing; the real one fills the empty secret field on save.
  const forged = await req("/servers", {
    method: "POST",
    body: form({
      ...PLAN_FIELDS,
      job,
      name: "Bad Name",
      "env.0.value": "",
      "env.0.sealed": btoa('{"v":1,"kid":"x","iv":"AAAA","data":"AAAA"}'),
    }),
  });
  assert.doesNotMatch(await forged.text(), /name="env\.0\.sealed"/);
  const saved = await req("/servers", {
    method: "POST",
    body: form({ ...PLAN_FIELDS, job, "env.0.value": "", "env.0.sealed": token }),
  });
  assert.equal(saved.status, 303);
  const server = await deps.store.getServer("everything");
  assert.deepEqual(await deps.store.getEnvValues(server.id), {
    API_TOKEN: "tok-very-secret-1",
    REGION: "eu-west",
  });
});

Deno.test("Pages - edit: validation, stale version conflict, save", async () => {
  const { deps, req } = await setup();
  await using _ = deps;
  const created = await deps.store.createServer(PlanSchema.parse(planFromSource("npx:some-mcp")));
  const base = { ...PLAN_FIELDS, name: created.name, version: created.version };
  for (const k of Object.keys(base)) {
    if (k.startsWith("env.")) delete (base as Record<string, string>)[k];
  }

  const invalid = await req(`/servers/${created.id}/edit`, {
    method: "POST",
    body: form({ ...base, runtime: "remote", url: "" }),
  });
  assert.equal(invalid.status, 400);
  assert.match(await invalid.text(), /id="f-url-error">remote servers need a url/);

  const ok = await req(`/servers/${created.id}/edit`, {
    method: "POST",
    body: form({ ...base, description: "edited" }),
  });
  assert.equal(ok.status, 303);
  assert.equal((await deps.store.getServer(created.id)).description, "edited");

  // The form still carries the old version: 409 with a message, typed values kept.
  const stale = await req(`/servers/${created.id}/edit`, {
    method: "POST",
    body: form({ ...base, description: "second edit" }),
  });
  assert.equal(stale.status, 409);
  const html = await stale.text();
  assert.match(html, /Someone else changed this server/);
  assert.match(html, /second edit/);
  assert.equal((await deps.store.getServer(created.id)).description, "edited");
});

Deno.test("Pages - active toggle (htmx fragment and no-JS redirect), env values, test, delete", async () => {
  const { deps, req } = await setup();
  await using _ = deps;
  const plan = PlanSchema.parse({
    ...planFromSource("npx:some-mcp"),
    env: [{ key: "TOKEN", secret: true, required: true }, { key: "MODE" }],
  });
  const s = await deps.store.createServer(plan);

  const frag = await req(`/servers/${s.id}/active`, {
    method: "POST",
    headers: { "hx-request": "true" },
    body: form({ active: "false" }),
  });
  const fragHtml = await frag.text();
  assert.match(fragHtml, /aria-checked="false"/);
  assert.ok(!fragHtml.includes("<html"));
  assert.equal((await deps.store.getServer(s.id)).active, false);
  const plain = await req(`/servers/${s.id}/active`, {
    method: "POST",
    body: form({ active: "true", redirect: "https://evil.example/" }),
  });
  assert.equal(plain.status, 303);
  assert.equal(plain.headers.get("location"), "/?msg=activated");

  // Test refuses with a clear message until required values are set.
  const missing = await req(`/servers/${s.id}/test`, {
    method: "POST",
    headers: { "hx-request": "true" },
  });
  assert.match(await missing.text(), /missing required env values: TOKEN/);

  await req(`/servers/${s.id}/env`, {
    method: "POST",
    body: form({ "value.TOKEN": "s3cr3t-token", "value.MODE": "fast" }),
  });
  assert.deepEqual(await deps.store.getEnvValues(s.id), { TOKEN: "s3cr3t-token", MODE: "fast" });
  // Empty secret input keeps the secret; clearing the plain value removes it.
  await req(`/servers/${s.id}/env`, {
    method: "POST",
    body: form({ "value.TOKEN": "", "value.MODE": "" }),
  });
  assert.deepEqual(await deps.store.getEnvValues(s.id), { TOKEN: "s3cr3t-token" });
  const page = await (await req(`/servers/${s.id}`)).text();
  assert.ok(!page.includes("s3cr3t-token"));

  // With the runtime unavailable, Test shows a notice (fragment for htmx, page without JS).
  const degraded = await req(`/servers/${s.id}/test`, {
    method: "POST",
    headers: { "hx-request": "true" },
  });
  assert.match(await degraded.text(), /Cannot test right now/);
  const degradedPage = await req(`/servers/${s.id}/test`, { method: "POST" });
  assert.match(await degradedPage.text(), /<html[^>]*>[\s\S]*Cannot test right now/);

  assert.match(await (await req(`/servers/${s.id}/logs`)).text(), /No log lines yet/);
  assert.match(await (await req(`/servers/${s.id}/delete`)).text(), /Delete some\?/);
  const del = await req(`/servers/${s.id}/delete`, {
    method: "POST",
    headers: { "hx-request": "true" },
  });
  assert.equal(del.headers.get("hx-redirect"), "/?msg=deleted");
  assert.equal(await deps.store.findServer(s.id), null);
  assert.equal((await req(`/servers/${s.id}`)).status, 404);
  const actions = (await deps.store.listAudit()).map((a) => a.action);
  for (const a of ["server.update", "server.env.set", "server.env.delete", "server.delete"]) {
    assert.ok(actions.includes(a), a);
  }
  assert.ok(!JSON.stringify(await deps.store.listAudit()).includes("s3cr3t-token"));
});

Deno.test("Pages - cross-site form posts are refused", async () => {
  const { deps, req } = await setup();
  await using _ = deps;
  const res = await req("/servers/new", {
    method: "POST",
    headers: { origin: "https://evil.example" },
    body: form({ source: "npx:x" }),
  });
  assert.equal(res.status, 403);
  const rebinding = await req("/", { headers: { host: "evil.example" } });
  assert.equal(rebinding.status, 403);
});

Deno.test("Pages - connect: install into Claude Desktop config, keys shown once, revoke", async () => {
  await using tmp = await withTmpDir();
  const { deps, req } = await setup({ HOME: tmp.path, XDG_CONFIG_HOME: `${tmp.path}/cfg` });
  await using _ = deps;
  const page = await (await req("/connect")).text();
  assert.match(page, /mcpServers/);
  assert.match(page, /http:\/\/localhost\/mcp/);
  assert.match(page, /mcp-remote/);

  const installed = await req("/connect/install", { method: "POST" });
  assert.match(await installed.text(), /Created .*claude_desktop_config\.json/);
  const config = JSON.parse(
    await Deno.readTextFile(`${tmp.path}/cfg/Claude/claude_desktop_config.json`),
  );
  assert.ok(config.mcpServers["mcp-router"].args.includes("stdio"));
  await Deno.writeTextFile(`${tmp.path}/cfg/Claude/claude_desktop_config.json`, "{broken");
  const broken = await req("/connect/install", { method: "POST" });
  assert.equal(broken.status, 500);
  assert.match(await broken.text(), /not valid JSON/);

  const bad = await req("/connect/keys", { method: "POST", body: form({ name: "<bad>" }) });
  assert.equal(bad.status, 400);
  const created = await req("/connect/keys", { method: "POST", body: form({ name: "laptop" }) });
  assert.equal(created.status, 303, "post/redirect/get");
  const cookie = /mcpr_session=[0-9a-f]+/.exec(created.headers.get("set-cookie") ?? "")?.[0] ?? "";
  const html = await (await req(created.headers.get("location")!, { headers: { cookie } })).text();
  const key = /mcpr_[0-9a-f]{48}/.exec(html)?.[0];
  assert.ok(key, "plain key shown once");
  const again = await (await req("/connect", { headers: { cookie } })).text();
  assert.ok(!again.includes(key!));
  const [record] = await deps.store.listApiKeys();
  const revoked = await req(`/connect/keys/${record.id}/revoke`, { method: "POST" });
  assert.equal(revoked.status, 303);
  assert.ok((await deps.store.listApiKeys())[0].revoked_at);
  assert.ok(!JSON.stringify(await deps.store.listAudit()).includes(key!));
});

Deno.test("Pages - activity is paginated newest first", async () => {
  const { deps, req } = await setup();
  await using _ = deps;
  for (let i = 0; i < 55; i++) {
    await deps.store.appendAudit({ actor: "t", action: `act.${i}`, target: `n${i}` });
  }
  const actionsOf = (html: string) =>
    [...html.matchAll(/<code[^>]*>(act\.\d+)<\/code>/g)].map((m) => m[1]);
  const first = await (await req("/activity")).text();
  assert.equal(actionsOf(first).length, 50);
  const older = /href="\/activity\?before=([^"]+)"/.exec(first)?.[1];
  assert.ok(older);
  const second = await (await req(`/activity?before=${decodeURIComponent(older!)}`)).text();
  assert.equal(actionsOf(second).length, 5);
  const all = new Set([...actionsOf(first), ...actionsOf(second)]);
  assert.equal(all.size, 55);
  assert.match(second, /href="\/activity">Newest/);
});

Deno.test("Pages - Try it calls tools through the router (text, image, isError)", async () => {
  await using t = await startPagesWithFixture();
  const { store, server, req } = t;
  const test = await req(`/servers/${server.id}/test`, {
    method: "POST",
    headers: { "hx-request": "true" },
  });
  assert.equal(test.headers.get("hx-trigger"), "tools-changed");
  assert.match(await test.text(), /Test passed/);
  const catalog = await (await req(`/servers/${server.id}/tools`)).text();
  assert.match(catalog, /test_image_content/);

  const call = (tool: string, fields: Record<string, string> = {}, htmx = true) =>
    req(`/servers/${server.id}/tools/${tool}/call`, {
      method: "POST",
      headers: htmx ? { "hx-request": "true" } : {},
      body: form(fields),
    });
  assert.match(await (await call("test_simple_text")).text(), /This is a simple text response/);
  assert.match(await (await call("test_image_content")).text(), /src="data:image\/png;base64,/);
  assert.match(await (await call("test_error_handling")).text(), /tool-result is-error/);
  const full = await (await call("test_simple_text", {}, false)).text();
  assert.match(full, /<html[\s\S]*This is a simple text response/);
  const badJson = await (await call("test_simple_text", { _json: "[1]" })).text();
  assert.match(badJson, /must be an object/);
  const audit = (await store.listAudit()).map((a) => `${a.actor}:${a.target}`);
  assert.ok(audit.some((a) => a.startsWith("admin:")), audit.join(","));

  await store.updateServer(server.id, (cur) => ({ ...cur, active: false }));
  assert.match(await (await call("test_simple_text")).text(), /inactive/);
});
