/**
 * Metrics label cardinality (finding 8): requests to unique paths, with made-up methods, and tool
 * calls with made-up or endless tool names must not add a series each. Against a real router:
 * 2,000 unauthenticated requests to unique loopback paths, then `/metrics`; and tool calls through
 * `/mcp` to a remote downstream (the conformance fixture on loopback).
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startRouter } from "../router_process.ts";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import {
  MAX_LABEL_CHARS,
  MAX_TOOLS_PER_SERVER,
  methodLabel,
  OTHER_LABEL,
  recordToolCall,
  registry,
  serverLabel,
  statusLabel,
  toolLabel,
  UNKNOWN_TOOL,
} from "../../server/observability/metrics.ts";
import { quietLogs } from "../helpers.ts";

/** The series of one metric in a Prometheus text exposition. */
function series(text: string, metric: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(`${metric}{`));
}

async function metricsText(request: (path: string) => Promise<Response>): Promise<string> {
  const res = await request("/metrics");
  assert.equal(res.status, 200);
  return await res.text();
}

const ODD_METHODS = ["PROPFIND", "BREW", "get", "X-SCAN"];

Deno.test("Metrics labels - 2,000 unique unauthenticated paths add a handful of series", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-metrics-" });
  const router = await startRouter(dataDir);
  try {
    const before = series(await metricsText(router.request), "mcp_router_http_requests_total");
    const marker = crypto.randomUUID().slice(0, 8);
    const shapes = [
      (n: string) => `/probe-${n}`,
      (n: string) => `/api/${n}`,
      (n: string) => `/api/servers/${n}`,
      (n: string) => `/api/servers/${n}/env/${n}`,
      (n: string) => `/static/${n}.js`,
      (n: string) => `/${n}/deep/${n}?q=${n}`,
      (n: string) => `/mcp/${n}`,
    ];
    const total = 2_000;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const unique = `${marker}${i}`;
        const method = i % 40 === 0
          ? (i % 80 === 0 ? `M${unique}` : ODD_METHODS[(i / 40) % ODD_METHODS.length])
          : "GET";
        const res = await router.request(shapes[i % shapes.length](unique), { method });
        await res.body?.cancel();
        assert.ok(res.status < 500, `${method} ${i}: ${res.status} ${router.output()}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const text = await metricsText(router.request);
    const after = series(text, "mcp_router_http_requests_total");
    console.log(`http request series: ${before.length} before, ${after.length} after ${total}`);
    assert.ok(after.length < 30, after.join("\n"));
    assert.ok(!text.includes(marker), "a raw path or method reached /metrics");
    assert.ok(after.some((s) => s.includes('route="unmatched"')), after.join("\n"));
    assert.ok(after.some((s) => s.includes('method="OTHER"')), after.join("\n"));
    assert.ok(after.some((s) => s.includes('route="/api/servers/:id"')), after.join("\n"));
    for (const line of after) {
      const method = /method="([^"]*)"/.exec(line)?.[1] ?? "";
      assert.match(method, /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|OTHER)$/, line);
      assert.match(/status="([^"]*)"/.exec(line)?.[1] ?? "", /^[1-5]\d\d$/, line);
    }
  } finally {
    await router.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("Metrics labels - made-up tool names through /mcp are counted as unknown", async () => {
  quietLogs();
  const fixture = await serveConformanceHttp({ port: 0 });
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-metrics-" });
  // the fixture listens on loopback: allow it as a remote downstream whatever the SSRF policy
  const router = await startRouter(dataDir, undefined, {
    env: { MCP_ROUTER_ALLOWED_REMOTE_HOSTS: "127.0.0.1" },
  });
  const client = new Client({ name: "metrics-test", version: "1" });
  try {
    const created = await router.request("/api/servers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "conf",
        runtime: "remote",
        transport: "http",
        url: fixture.url,
      }),
    });
    assert.equal(created.status, 201, await created.text());
    await client.connect(new StreamableHTTPClientTransport(new URL(`${router.base}/mcp`)));
    const marker = crypto.randomUUID().slice(0, 8);
    const loaded = await client.callTool({ name: "conf", arguments: {} });
    const known = await client.callTool({
      name: "conf",
      arguments: { tool: "test_simple_text", arguments: {} },
    });
    for (let i = 0; i < 300; i++) {
      const result = await client.callTool({
        name: "conf",
        arguments: { tool: `${marker}-${i}-${"x".repeat(i % 7 === 0 ? 500 : 1)}`, arguments: {} },
      });
      assert.equal(result.isError, true);
    }
    const text = await metricsText(router.request);
    const calls = series(text, "mcp_router_tool_calls_total");
    console.log(`tool call series after 300 made-up tool names: ${calls.length}`);
    assert.ok(!text.includes(marker), "a made-up tool name reached /metrics");
    assert.ok(calls.length <= 6, calls.join("\n"));
    assert.ok(
      calls.some((s) => s.includes(`tool="${UNKNOWN_TOOL}"`) && / 300$/.test(s)),
      calls.join("\n"),
    );
    assert.ok(!loaded.isError && !known.isError, JSON.stringify([loaded, known]));
    assert.ok(calls.some((s) => s.includes('tool="test_simple_text"')), calls.join("\n"));
  } finally {
    await client.close().catch(() => {});
    await router.stop();
    await fixture.shutdown();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("Metrics labels - methods, statuses, servers and tools are bounded", async () => {
  assert.equal(methodLabel("get"), "GET");
  assert.equal(methodLabel("PROPFIND"), "OTHER");
  assert.equal(methodLabel("M".repeat(1000)), "OTHER");
  assert.equal(statusLabel(404), "404");
  assert.equal(statusLabel(0), OTHER_LABEL);
  assert.equal(statusLabel(1e9), OTHER_LABEL);
  assert.equal(statusLabel(Number.NaN), OTHER_LABEL);
  assert.equal(toolLabel("s", "anything", false), UNKNOWN_TOOL);
  assert.equal(serverLabel("s".repeat(500)).length, MAX_LABEL_CHARS);
  assert.equal(toolLabel("s", "t".repeat(500), true).length, MAX_LABEL_CHARS);

  // A downstream server that reports endless tools gets MAX_TOOLS_PER_SERVER labels, then `other`.
  for (let i = 0; i < 5_000; i++) {
    recordToolCall({
      server: "flood",
      tool: `tool-${i}`,
      known: true,
      outcome: "ok",
      seconds: 0.001,
    });
  }
  // A client that calls endless unknown names adds one series.
  for (let i = 0; i < 5_000; i++) {
    recordToolCall({
      server: "flood",
      tool: `made-up-${i}`,
      known: false,
      outcome: "error",
      seconds: 0.001,
    });
  }
  // Endless server names (created and deleted over time) are capped too.
  for (let i = 0; i < 5_000; i++) {
    recordToolCall({ server: `srv-${i}`, tool: "t", known: true, outcome: "ok", seconds: 0.001 });
  }
  const text = await registry.metrics();
  const calls = series(text, "mcp_router_tool_calls_total");
  const flood = calls.filter((s) => s.includes('server="flood"'));
  assert.equal(flood.length, MAX_TOOLS_PER_SERVER + 2, "per-server tools + other + unknown");
  assert.ok(flood.some((s) => s.includes(`tool="${OTHER_LABEL}"`)));
  assert.ok(flood.some((s) => s.includes(`tool="${UNKNOWN_TOOL}"`) && / 5000$/.test(s)));
  assert.ok(calls.length < 1_500, `${calls.length} tool call series`);
  assert.ok(calls.some((s) => s.includes(`server="${OTHER_LABEL}"`)));
  const histogram = series(text, "mcp_router_tool_call_seconds_count");
  assert.ok(histogram.length < 500, `${histogram.length} latency series`);
});
