/**
 * A server with a 400-tool non-ASCII catalogue (about 1 MiB, far over Deno KV's 64 KiB value
 * limit) added to a real router (`main.ts serve`): it tests, the API and its page render, it lists
 * every tool in `tools` exposure and one of them is called — with no 5xx anywhere. The catalogue
 * comes from a remote streamable-HTTP fixture on 127.0.0.1 (no Podman needed) and, with a live
 * Podman socket, from the same catalogue as a stdio server in a container.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { serveLargeCatalogHttp } from "../fixtures/large_catalog/server.ts";
import {
  LARGE_CATALOG_SIZE,
  largeCatalogNodeScript,
  largeToolName,
} from "../fixtures/large_catalog/tools.ts";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN } from "../runtime/podman/live.ts";
import { freePort, type RouterProcess, startRouter } from "../router_process.ts";

const JSON_HEADERS = { "content-type": "application/json" };

/** The router's answers, every status kept so the test can say none was a 5xx. */
class Calls {
  readonly statuses: string[] = [];
  constructor(readonly router: RouterProcess) {}

  async request(path: string, init?: RequestInit): Promise<Response> {
    const res = await this.router.request(path, init);
    this.statuses.push(`${init?.method ?? "GET"} ${path} → ${res.status}`);
    return res;
  }

  async json<T>(path: string, init?: RequestInit, status = 200): Promise<T> {
    const res = await this.request(path, init);
    const text = await res.text();
    assert.equal(res.status, status, `${path}: ${text.slice(0, 500)}\n${this.router.output()}`);
    return JSON.parse(text) as T;
  }

  /** A fetch for the MCP client that records statuses too. */
  fetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    this.statuses.push(`MCP ${init?.method ?? "GET"} → ${res.status}`);
    return res;
  };

  assertNo5xx(): void {
    const bad = this.statuses.filter((s) => /→ 5\d\d$/.test(s));
    assert.deepEqual(bad, [], this.router.output());
    assert.doesNotMatch(this.router.output(), /Value too large|Total mutation size/);
  }
}

interface TestReport {
  ok: boolean;
  tools: { name: string }[];
  error: string | null;
  logs: string[];
}

interface ServerView {
  name: string;
  health: { ok: boolean; error: string | null } | null;
  capabilities: { tools: unknown[] } | null;
}

/** Add, test, list, render, list in tools mode and call one tool of a large-catalogue server. */
async function exercise(calls: Calls, plan: Record<string, unknown>): Promise<void> {
  const name = String(plan.name);
  await calls.json("/api/servers", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify(plan),
  }, 201);
  const report = await calls.json<TestReport>(`/api/servers/${name}/test`, {
    method: "POST",
    headers: JSON_HEADERS,
    body: "{}",
  });
  assert.ok(report.ok, `test failed: ${report.error}\n${report.logs.join("\n")}`);
  assert.equal(report.tools.length, LARGE_CATALOG_SIZE);

  const { servers } = await calls.json<{ servers: ServerView[] }>("/api/servers");
  const listed = servers.find((s) => s.name === name);
  assert.equal(listed?.health?.ok, true);
  assert.equal(listed?.capabilities?.tools.length, LARGE_CATALOG_SIZE);
  for (const page of [`/servers/${name}`, "/"]) {
    const res = await calls.request(page);
    const html = await res.text();
    assert.equal(res.status, 200, `${page}: ${html.slice(0, 300)}`);
    if (page !== "/") assert.ok(html.includes(largeToolName(LARGE_CATALOG_SIZE - 1)));
  }

  const client = new Client({ name: "large-catalog-test", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${calls.router.base}/mcp?expose=tools`), {
      fetch: calls.fetch,
    }),
  );
  try {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    const mine = tools.filter((t) => t.name.startsWith(`${name}__`)).map((t) => t.name);
    assert.equal(mine.length, LARGE_CATALOG_SIZE);
    for (let i = 0; i < LARGE_CATALOG_SIZE; i++) {
      assert.ok(mine.includes(`${name}__${largeToolName(i)}`), `${largeToolName(i)} missing`);
    }
    const tool = largeToolName(123);
    const result = await client.callTool({
      name: `${name}__${tool}`,
      arguments: { query: "検索 🔍 поиск", limit: 3 },
    });
    assert.ok(!result.isError, JSON.stringify(result));
    assert.equal((result.structuredContent as { tool: string }).tool, tool);
    assert.match(JSON.stringify(result.content), /完了/);
  } finally {
    await client.close().catch(() => {});
  }
  const audit = await calls.request("/api/audit?limit=20");
  const lines = (await audit.text()).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(audit.status, 200);
  assert.ok(lines.some((e) => e.action === "server.test" && e.target === name));
}

Deno.test({
  name: "Large catalogue - a 400-tool non-ASCII remote server tests, lists and is called, no 5xx",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const fixture = await serveLargeCatalogHttp();
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-large-" });
    const router = await startRouter(dataDir);
    const calls = new Calls(router);
    try {
      await exercise(calls, {
        name: "large-catalog",
        runtime: "remote",
        transport: "http",
        url: fixture.url,
      });

      // A test that fails records `failed` health (not "untested").
      const dead = `http://127.0.0.1:${freePort()}/mcp`;
      await calls.json("/api/servers", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({ name: "dead-end", runtime: "remote", transport: "http", url: dead }),
      }, 201);
      const failed = await calls.json<TestReport>("/api/servers/dead-end/test", {
        method: "POST",
        headers: JSON_HEADERS,
        body: "{}",
      });
      assert.equal(failed.ok, false);
      const server = await calls.json<ServerView>("/api/servers/dead-end");
      assert.equal(server.health?.ok, false);

      // User input too large for one KV value is a clear 413, never a 500.
      const huge = { name: "huge-plan", runtime: "npx", command: "npx", args: ["-y", "pkg"] };
      const tooBig = await calls.json<{ error: { code: string; message: string } }>(
        "/api/servers",
        {
          method: "POST",
          headers: JSON_HEADERS,
          body: JSON.stringify({
            ...huge,
            args: [...huge.args, ...Array(60).fill("漢字".repeat(1900))],
          }),
        },
        413,
      );
      assert.match(tooBig.error.message, /server record is too large to store/);
      const envTooBig = await calls.json<{ error: { message: string } }>(
        "/api/servers/dead-end/env/NOTES",
        {
          method: "PUT",
          headers: JSON_HEADERS,
          body: JSON.stringify({ value: "漢".repeat(65_000) }),
        },
        413,
      );
      assert.match(envTooBig.error.message, /value of NOTES is too large/);
      calls.assertNo5xx();
    } finally {
      await router.stop();
      await fixture.shutdown();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: `Large catalogue - the same catalogue from a stdio server in a container${LIVE_NOTE}`,
  // Its install image is built with npm, so it needs the registry.
  ignore: NO_PODMAN || Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1",
  ...LIVE_OPTS,
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-large-" });
    const router = await startRouter(dataDir, LIVE_SOCKET);
    const calls = new Calls(router);
    try {
      // Node runs the dependency-free fixture script from an env default (no repository files
      // in the container); `ms` is only there because an npx server installs some package.
      await exercise(calls, {
        name: "large-catalog-stdio",
        runtime: "npx",
        package: "ms@2.1.3",
        command: "node",
        args: ["-e", "eval(process.env.LARGE_CATALOG_JS)"],
        env: [{ key: "LARGE_CATALOG_JS", default: largeCatalogNodeScript() }],
        network: "none",
      });
      calls.assertNo5xx();
    } finally {
      await router.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
