/**
 * The repair loop end to end: `POST /api/servers/analyze` with `verify: true` on a GitHub
 * sub-folder (fake GitHub) planned by Claude (fake Anthropic at the HTTP level, real SDK); the
 * plan launches in a real throw-away Podman container. A first plan that fails to launch is
 * repaired by Claude's second answer, which lists tools; plans that keep failing end with one
 * clear report after two repair rounds, and nothing is saved.
 */
import assert from "node:assert/strict";
import { startFakeGithub } from "../fakes/github.ts";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { LIVE_SOCKET } from "../runtime/podman/live.ts";
import { quietLogs, withTmpDir } from "../helpers.ts";

const JSON_HEADERS = { "content-type": "application/json" };
const SOURCE = "https://github.com/modelcontextprotocol/servers/tree/main/src/memory";

/** A Claude plan input for an npx package. */
function npxPlan(pkg: string) {
  return {
    runtime: "npx",
    command: "npx",
    args: ["-y", pkg],
    package: pkg,
    image: null,
    url: null,
    transport: "stdio",
    install: [],
    env: [],
    display_name: "Knowledge Graph Memory Server",
    description: "A knowledge graph memory.",
    detected_tools: ["create_entities"],
    notes: [],
  };
}

async function analyzeWith(answers: Record<string, unknown>[]) {
  await using tmp = await withTmpDir();
  const github = startFakeGithub();
  const anthropic = startFakeAnthropic({ model: "claude-test-model", answers });
  try {
    const settings = loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: LIVE_SOCKET,
      githubApiUrl: github.url,
      anthropicBaseUrl: anthropic.url,
      anthropicApiKey: "sk-ant-test",
      anthropicModel: "claude-test-model",
    });
    const services = await openServices(settings);
    const app = createRouterApp(services);
    try {
      const res = await app.request("/api/servers/analyze", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({ source: SOURCE, verify: true }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      const servers = await (await app.request("/api/servers")).json();
      return { plan: await res.json(), requests: anthropic.requests, servers, anthropic };
    } finally {
      await app.closeSessions();
      await services.close();
    }
  } finally {
    await github.close();
    await anthropic.close();
  }
}

Deno.test({
  name: "Analyze repair - a plan that fails to launch is repaired by Claude and lists tools",
  ignore: LIVE_SOCKET === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    quietLogs();
    const { plan, requests, anthropic } = await analyzeWith([
      npxPlan("@modelcontextprotocol/server-memory-no-such-xyz"),
      npxPlan("@modelcontextprotocol/server-memory"),
    ]);
    assert.equal(anthropic.problems.length, 0, anthropic.problems.join("; "));
    const v = plan.verification;
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.rounds.length, 2, JSON.stringify(v.rounds));
    assert.equal(v.rounds[0].ok, false);
    assert.equal(v.rounds[0].by, "analysis");
    assert.ok(v.rounds[0].error, "the failed round says why");
    assert.equal(v.rounds[1].by, "claude_repair");
    assert.ok(v.tools.includes("create_entities"), JSON.stringify(v.tools));
    // The saved-to-be plan is the repaired one, and Claude saw the failure.
    assert.deepEqual(plan.args, ["-y", "@modelcontextprotocol/server-memory"]);
    assert.equal(requests.length, 2);
    const repairPrompt = JSON.stringify(requests[1].messages);
    assert.match(repairPrompt, /failed_launch/);
    assert.match(repairPrompt, /server-memory-no-such-xyz/);
    // The ungrounded first package was flagged.
    assert.ok(
      plan.warnings.some((w: string) => /appears nowhere/.test(w)) ||
        v.rounds[0].launch.includes("no-such-xyz"),
    );
  },
});

Deno.test({
  name: "Analyze repair - two failed repair rounds end with one clear report; nothing saved",
  ignore: LIVE_SOCKET === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    quietLogs();
    const { plan, requests, servers } = await analyzeWith([
      npxPlan("@modelcontextprotocol/server-memory-no-such-a"),
      npxPlan("@modelcontextprotocol/server-memory-no-such-b"),
      npxPlan("@modelcontextprotocol/server-memory-no-such-c"),
    ]);
    const v = plan.verification;
    assert.equal(v.ok, false);
    assert.equal(v.rounds.length, 3, JSON.stringify(v.rounds));
    assert.ok(v.rounds.every((r: { ok: boolean }) => !r.ok));
    assert.match(v.error, /failed to launch in 3 rounds/);
    assert.match(v.error, /no-such-a/);
    assert.match(v.error, /no-such-c/);
    assert.equal(requests.length, 3, "one plan and two repairs");
    // The plan returned is the analysed one, to review; nothing was saved.
    assert.deepEqual(plan.args, ["-y", "@modelcontextprotocol/server-memory-no-such-a"]);
    assert.deepEqual(servers.servers ?? servers, []);
  },
});
