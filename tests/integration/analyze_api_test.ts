/**
 * `POST /api/servers/analyze` end to end: a GitHub monorepo URL through the fake GitHub REST API
 * and the fake Anthropic Messages API (real SDK clients, HTTP level), the plan saved as is; and
 * `verify: true` launching the plan in a real throw-away container when Podman is available.
 */
import assert from "node:assert/strict";
import { startFakeGithub } from "../fakes/github.ts";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { LIVE_SOCKET } from "../runtime/podman/live.ts";
import { quietLogs, withTmpDir } from "../helpers.ts";

const SOCKET = LIVE_SOCKET ?? "";
const hasSocket = LIVE_SOCKET !== undefined;
const JSON_HEADERS = { "content-type": "application/json" };

async function router(tmp: string, overrides: Record<string, unknown>) {
  const settings = loadSettings({ HOME: tmp }, {
    dataDir: tmp,
    podmanSocket: hasSocket ? SOCKET : `${tmp}/none.sock`,
    ...overrides,
  });
  const services = await openServices(settings);
  const app = createRouterApp(services);
  return {
    app,
    async [Symbol.asyncDispose]() {
      await app.closeSessions();
      await services.close();
    },
  };
}

Deno.test("Analyze API - GitHub monorepo URL with Claude (fakes), saved as is", async () => {
  quietLogs();
  await using tmp = await withTmpDir();
  const github = startFakeGithub();
  const anthropic = startFakeAnthropic({ model: "claude-test-model" });
  try {
    await using r = await router(tmp.path, {
      githubApiUrl: github.url,
      anthropicBaseUrl: anthropic.url,
      anthropicApiKey: "sk-ant-test",
      anthropicModel: "claude-test-model",
    });
    const res = await r.app.request("/api/servers/analyze", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ source: "https://github.com/brave/brave-search-mcp-server" }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const plan = await res.json();
    assert.equal(plan.runtime, "npx");
    assert.ok(["claude", "mixed"].includes(plan.source), plan.source);
    assert.ok(plan.args.includes("stdio"), JSON.stringify(plan.args));
    assert.ok(
      plan.env.some((e: { key: string; required: boolean; secret: boolean }) =>
        e.key === "BRAVE_API_KEY" && e.required && e.secret
      ),
    );
    assert.equal(anthropic.problems.length, 0, anthropic.problems.join("; "));
    assert.equal(anthropic.requests.length, 1);
    const saved = await r.app.request("/api/servers", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify(plan),
    });
    assert.equal(saved.status, 201, await saved.clone().text());

    const bad = await r.app.request("/api/servers/analyze", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ source: "https://gitlab.com/a/b" }),
    });
    assert.equal(bad.status, 400);
    const missing = await r.app.request("/api/servers/analyze", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ source: "https://github.com/nobody/does-not-exist" }),
    });
    assert.equal(missing.status, 404);
  } finally {
    await github.close();
    await anthropic.close();
  }
});

Deno.test("Analyze API - monorepo sub-folder without an API key (deterministic reader)", async () => {
  quietLogs();
  await using tmp = await withTmpDir();
  const github = startFakeGithub();
  try {
    await using r = await router(tmp.path, { githubApiUrl: github.url });
    const sub = await r.app.request("/api/servers/analyze", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({
        github_url: "https://github.com/modelcontextprotocol/servers/tree/main/src/fetch",
      }),
    });
    assert.equal(sub.status, 200, await sub.clone().text());
    const plan = await sub.json();
    assert.equal(plan.runtime, "uvx");
    assert.equal(plan.source, "heuristic");
    assert.deepEqual([plan.command, ...plan.args], ["uvx", "mcp-server-fetch"]);
  } finally {
    await github.close();
  }
});

Deno.test({
  name: "Analyze API - verify: true launches the plan in a throw-away container",
  ignore: !hasSocket,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    quietLogs();
    await using tmp = await withTmpDir();
    await using r = await router(tmp.path, {});
    const res = await r.app.request("/api/servers/analyze", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ source: "npx:@modelcontextprotocol/server-memory", verify: true }),
    });
    assert.equal(res.status, 200);
    const plan = await res.json();
    assert.equal(plan.verification?.ok, true, JSON.stringify(plan.verification));
    assert.ok(plan.verification.tools.includes("create_entities"));
    const broken = await r.app.request("/api/servers/analyze", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({
        source: "npx:@modelcontextprotocol/no-such-package-xyz",
        verify: true,
      }),
    });
    assert.equal(broken.status, 200, "a failing plan is still returned");
    const failed = await broken.json();
    assert.equal(failed.verification?.ok, false);
    assert.ok(failed.verification.error);
  },
});
