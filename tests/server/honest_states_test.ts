/**
 * Honest states, in process (no Podman): a server missing a required env value is `needs_setup`
 * in the API, `/api/health` and the admin UI (an amber badge linking to its env form), is not
 * offered to MCP clients, and is offered again as soon as the value is set. An analysis whose
 * registry lookup and verification failed shows ✗ with one-line causes, the launch log folded,
 * and "Save anyway (inactive)"; a verified plan saved as is keeps its tools and health.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { createApp } from "../../server/app/app.ts";
import { mountPages } from "../../server/pages/mount.ts";
import { SessionHub } from "../../server/mcp/hub.ts";
import type { AnalyzeFn } from "../../server/composition/contracts.ts";
import { planFromSource } from "../../server/analyzer/source_plan.ts";
import { memoryDeps } from "../helpers.ts";

const BASE = "http://localhost";
const JSON_HEADERS = { "content-type": "application/json" };

/** The API and pages over an in-memory store, with a session hub clients list tools from. */
async function setup(analyze?: AnalyzeFn) {
  const deps = await memoryDeps();
  if (analyze) deps.analyze = analyze;
  const hub = new SessionHub({
    settings: deps.settings,
    store: deps.store,
    downstream: {
      withConnection: () => Promise.reject(new Error("no containers in this test")),
      endSession: () => Promise.resolve(),
    },
    builtins: [],
  });
  const app = createApp(deps, { extend: (a) => void mountPages(a, { ...deps, hub }) });
  const req = (path: string, init?: RequestInit) => app.request(`${BASE}${path}`, init);
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await req(path, init);
    assert.ok(res.status < 300, `${path}: ${res.status} ${await res.clone().text()}`);
    return await res.json() as T;
  };
  return { deps, hub, req, json };
}

async function mcpClient(hub: SessionHub): Promise<Client> {
  const session = hub.open({});
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await session.server.connect(serverSide);
  const client = new Client({ name: "honest-states", version: "1" });
  await client.connect(clientSide);
  return client;
}

async function until(what: string, ok: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type ServerHealthBody = { status: string; missing: string[] };
type HealthBody = {
  servers: { name: string; health: ServerHealthBody }[];
  needs_setup: { name: string; missing: string[] }[];
};

Deno.test("Honest states - a server missing a required env value needs setup until it is set", async () => {
  const { deps, hub, req, json } = await setup();
  await using _ = deps;
  const plan = (name: string, env: unknown[] = []) => ({
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ ...planFromSource(`npx:${name}`), name, env }),
  });
  const gh = await json<{ id: string; health: ServerHealthBody }>(
    "/api/servers",
    plan("github-mcp", [
      { key: "GITHUB_TOKEN", description: "PAT", required: true, secret: true },
      { key: "GITHUB_HOST", description: "", required: true, default: "github.com" },
    ]),
  );
  await json("/api/servers", plan("plain-mcp"));
  assert.deepEqual(gh.health.status, "needs_setup", "already in the create response");

  const client = await mcpClient(hub);
  let told = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    told++;
  });
  try {
    const one = await json<{ health: ServerHealthBody }>("/api/servers/github-mcp");
    assert.deepEqual(one.health.status, "needs_setup");
    assert.deepEqual(one.health.missing, ["GITHUB_TOKEN"], "a key with a default is not missing");
    const list = await json<{ servers: { name: string; health: ServerHealthBody }[] }>(
      "/api/servers",
    );
    assert.deepEqual(list.servers.map((s) => [s.name, s.health.status]), [
      ["github-mcp", "needs_setup"],
      ["plain-mcp", "untested"],
    ]);
    const health = await json<HealthBody>("/api/health");
    assert.deepEqual(health.needs_setup, [{ name: "github-mcp", missing: ["GITHUB_TOKEN"] }]);
    assert.equal(health.servers.find((s) => s.name === "github-mcp")?.health.status, "needs_setup");

    // Not offered to MCP clients, and a call to it is refused.
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ["plain-mcp"]);
    const refused = await client.callTool({ name: "github-mcp", arguments: {} }).catch((e) => e);
    assert.ok(refused instanceof Error || refused.isError, "a call to it does not run");

    // The UI: an amber badge linking to its env form, on the list and on its page.
    const badge = new RegExp(
      `<a class="dot dot-setup" href="/servers/${gh.id}#env"[^>]*>` +
        `<span class="dot-label">Needs setup: set GITHUB_TOKEN</span>`,
    );
    assert.match(await (await req("/")).text(), badge);
    assert.match(await (await req(`/servers/${gh.id}`)).text(), badge);

    // Setting the value offers it at once (clients are told the list changed).
    const set = await req("/api/servers/github-mcp/env/GITHUB_TOKEN", {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ value: "ghp_not_a_real_token" }),
    });
    assert.equal(set.status, 200);
    await until("clients to hear the tool list changed", () => told > 0);
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), [
      "github-mcp",
      "plain-mcp",
    ]);
    const after = await json<{ health: ServerHealthBody }>("/api/servers/github-mcp");
    assert.deepEqual([after.health.status, after.health.missing], ["untested", []]);
    assert.deepEqual((await json<HealthBody>("/api/health")).needs_setup, []);
    assert.ok(!(await (await req("/")).text()).includes("dot-setup"));

    // Removing it again takes the server away again.
    told = 0;
    await req("/api/servers/github-mcp/env/GITHUB_TOKEN", { method: "DELETE" });
    await until("clients to hear the tool list changed", () => told > 0);
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ["plain-mcp"]);
  } finally {
    await client.close();
    await hub.closeAll();
  }
});

const PACKAGE = "this-package-does-not-exist-xyz";
const LONG_RUN = `[1/2] STEP 4/4: RUN set -e; mkdir -p /opt/server; ${"x ".repeat(400)}`;
const CAUSE = `could not be installed: package ${PACKAGE} was not found in the registry — ` +
  "check the package name";

/** An analyzer answering the way a missing npm package is analysed and verified. */
const missingPackage: AnalyzeFn = (input, options) => {
  options.onProgress?.("reading_registry", `${PACKAGE} on registry.npmjs.org`);
  options.onProgress?.("verifying");
  options.onProgress?.("verifying", `round 1: the analysed plan — npx -y ${PACKAGE}`);
  options.onProgress?.("done");
  return Promise.resolve({
    ...planFromSource(input.source),
    warnings: [`${PACKAGE} not found in the registry`],
    verification: {
      ok: false,
      error: `${CAUSE}; see /api/servers/verify-1a2b3c4d/logs`,
      logs: [
        `2026-12-01T14:17:05.690Z ${LONG_RUN}`,
        "2026-12-01T14:17:07.794Z npm error code E404",
      ],
      rounds: [{ round: 1, by: "analysis", launch: `npx -y ${PACKAGE}`, ok: false, error: CAUSE }],
    },
  });
};

function form(fields: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

/** The review form's fields for an npx plan, as a browser would post them. */
function planForm(pkg: string, name: string, extra: Record<string, string> = {}) {
  return form({
    name,
    display_name: "",
    description: "",
    runtime: "npx",
    package: pkg,
    image: "",
    install: "",
    command: "npx",
    args: `-y\n${pkg}`,
    transport: "stdio",
    url: "",
    port: "",
    path: "",
    lifecycle: "session",
    namespace: "prefix",
    ...extra,
  });
}

async function analysed(
  req: (p: string, i?: RequestInit) => Response | Promise<Response>,
  source: string,
) {
  const started = await req("/servers/new", {
    method: "POST",
    body: form({ source, verify: "on" }),
  });
  assert.equal(started.status, 303);
  const jobUrl = started.headers.get("location")!;
  let page = "";
  for (let i = 0; i < 50 && !page.includes("Review the plan"); i++) {
    await new Promise((r) => setTimeout(r, 20));
    page = await (await req(jobUrl)).text();
  }
  assert.match(page, /Review the plan/);
  return { page, job: jobUrl.split("/").pop()! };
}

Deno.test("Honest states - a failed analysis shows ✗ with one-line causes and saves only inactive", async () => {
  const { deps, hub, req } = await setup(missingPackage);
  await using _ = deps;
  try {
    const { page, job } = await analysed(req, `npx:${PACKAGE}`);
    assert.match(page, /Analysis done, 2 steps failed/);
    const step = (name: string) =>
      new RegExp(`<li class="step step-failed" data-step="${name}">[\\s\\S]*?</li>`).exec(page)
        ?.[0] ?? "";
    assert.match(step("reading_registry"), /✗/);
    assert.match(step("reading_registry"), /not found in the registry<\/span>/);
    assert.match(step("verifying"), new RegExp(`class="step-cause small">${CAUSE}<`));
    assert.ok(!page.includes("/api/servers/verify-"), "no dead log link");
    assert.match(page, /<details class="verify-logs">[\s\S]*npm error code E404/);
    assert.ok(!/<p>[^<]*STEP 4\/4/.test(page), "the build command is folded, not the cause");
    assert.match(page, /Save anyway \(inactive\)/);
    assert.ok(!page.includes("Save server"), "saving is not the main action");
    assert.match(page, new RegExp(`class="button primary" href="/servers/new\\?source=npx%3A`));

    const saved = await req("/servers", {
      method: "POST",
      body: planForm(PACKAGE, PACKAGE, { job, _action: "save_inactive" }),
    });
    assert.equal(saved.status, 303);
    const server = await deps.store.getServer(PACKAGE);
    assert.equal(server.active, false, "saved switched off");
    assert.deepEqual([server.health?.ok, server.health?.error], [false, CAUSE]);
    assert.equal((await hub.catalog("servers")).serverByName.size, 0, "not offered to clients");
  } finally {
    await hub.closeAll();
  }
});

Deno.test("Honest states - a verified plan saved as is keeps its tools and health", async () => {
  const pkg = "@modelcontextprotocol/server-everything";
  const verified: AnalyzeFn = (input) =>
    Promise.resolve({
      ...planFromSource(input.source),
      verification: {
        ok: true,
        error: null,
        tools: ["echo"],
        capabilities: {
          tools: [{ name: "echo", description: "Echoes", inputSchema: { type: "object" } }],
          resources: [],
          resource_templates: [],
          prompts: [],
          server_capabilities: { tools: {} },
          fetched_at: "2026-12-01T00:00:00Z",
        },
      },
    });
  const { deps, hub, req, json } = await setup(verified);
  await using _ = deps;
  try {
    const { page, job } = await analysed(req, `npx:${pkg}`);
    assert.match(page, /Launch verified/);
    assert.match(page, />Save server</);
    const saved = await req("/servers", {
      method: "POST",
      body: planForm(pkg, "everything", { job }),
    });
    assert.equal(saved.status, 303);
    const server = await deps.store.getServer("everything");
    assert.equal(server.health?.ok, true);
    assert.deepEqual(server.capabilities?.tools.map((t) => t.name), ["echo"]);
    const body = await json<{ health: ServerHealthBody }>("/api/servers/everything");
    assert.equal(body.health.status, "ok");
    const view = await (await req(`/servers/${server.id}`)).text();
    assert.match(view, /data-status="ok"/);
    assert.ok(!view.includes("untested"), "not untested right after saving a verified plan");

    // An edited launch was not verified: nothing is kept.
    const { job: job2 } = await analysed(req, `npx:${pkg}`);
    await req("/servers", {
      method: "POST",
      body: planForm(pkg, "everything-edited", { job: job2, args: `-y\n${pkg}\nstdio` }),
    });
    const edited = await deps.store.getServer("everything-edited");
    assert.deepEqual([edited.health, edited.capabilities], [null, null]);
  } finally {
    await hub.closeAll();
  }
});
