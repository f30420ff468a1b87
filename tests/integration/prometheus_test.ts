/**
 * The dashboard against real Prometheus (Debian's `prometheus` package): a router subprocess
 * with an admin key and a remote downstream (the conformance fixture on loopback, no Podman)
 * gets a little load — tool calls that succeed and fail in several ways, auth failures — while
 * Prometheus, configured from `deploy/prometheus.yml` (1 s scrapes, the key as its credentials
 * file), scrapes `/metrics`. Then every `expr` of every panel of
 * `deploy/grafana/mcp-router.json` is evaluated through `/api/v1/query` and must return series.
 *
 * Skipped with a message when the binary is missing, except under `CI=true`, where a missing
 * Prometheus fails the test instead of passing quietly.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { freePort, startRouter } from "../router_process.ts";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import { createKey } from "../security/cli.ts";
import { quietLogs } from "../helpers.ts";

const REPO = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const PROMETHEUS = Deno.env.get("MCP_ROUTER_PROMETHEUS") ?? "/usr/bin/prometheus";
const hasPrometheus = (() => {
  try {
    return Deno.statSync(PROMETHEUS).isFile;
  } catch {
    return false;
  }
})();
const underCi = Deno.env.get("CI") === "true";
if (!hasPrometheus && !underCi) {
  console.warn(`prometheus_test skipped: no ${PROMETHEUS} (apt-get install prometheus)`);
}

/** What the dashboard's template variables and Grafana's interval stand for in a query. */
const SUBSTITUTIONS: [RegExp, string][] = [
  [/\$__rate_interval/g, "30s"],
  [/\$server/g, ".*"],
];

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Every panel query of the dashboard, as `{panel, expr}` with the variables filled in. */
async function dashboardQueries(): Promise<{ panel: string; expr: string }[]> {
  const dashboard = JSON.parse(
    await Deno.readTextFile(`${REPO}/deploy/grafana/mcp-router.json`),
  ) as { panels: Panel[] };
  const out: { panel: string; expr: string }[] = [];
  const walk = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        if (!target.expr) continue;
        let expr = target.expr;
        for (const [from, to] of SUBSTITUTIONS) expr = expr.replace(from, to);
        out.push({ panel: panel.title ?? "(untitled)", expr });
      }
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** `deploy/prometheus.yml` pointed at `target`, scraping every second with `keyFile`. */
async function prometheusConfig(target: string, keyFile: string): Promise<string> {
  const config = parse(await Deno.readTextFile(`${REPO}/deploy/prometheus.yml`)) as {
    global: Record<string, string>;
    scrape_configs: {
      authorization: { credentials_file: string };
      static_configs: { targets: string[] }[];
    }[];
  };
  config.global.scrape_interval = "1s";
  config.global.evaluation_interval = "1s";
  const job = config.scrape_configs[0];
  job.authorization.credentials_file = keyFile;
  job.static_configs = [{ targets: [target] }];
  return stringify(config);
}

interface QueryReply {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string> }[] };
}

async function query(base: string, expr: string): Promise<QueryReply> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return await res.json() as QueryReply;
}

async function waitFor(what: string, timeoutMs: number, ok: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

Deno.test({
  name: "Prometheus - every dashboard query returns series from a router under load",
  ignore: !hasPrometheus && !underCi,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assert.ok(hasPrometheus, `CI=true but ${PROMETHEUS} is missing: apt-get install prometheus`);
    quietLogs();
    const queries = await dashboardQueries();
    assert.ok(queries.length >= 15, `only ${queries.length} dashboard queries`);
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-prom-" });
    const promDir = await Deno.makeTempDir({ prefix: "mcp-router-prom-tsdb-" });
    const fixture = await serveConformanceHttp({ port: 0 });
    const admin = await createKey(dataDir, "prometheus", "admin");
    const mcpOnly = await createKey(dataDir, "claude", "mcp");
    const router = await startRouter(dataDir, undefined, {
      env: { MCP_ROUTER_ALLOWED_REMOTE_HOSTS: "127.0.0.1" },
    });
    const auth = { authorization: `Bearer ${admin}` };
    const client = new Client({ name: "prometheus-test", version: "1" });
    let prometheus: Deno.ChildProcess | null = null;
    const promOutput: string[] = [];
    try {
      const created = await router.request("/api/servers", {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: JSON.stringify({
          name: "conf",
          runtime: "remote",
          transport: "http",
          url: fixture.url,
        }),
      });
      assert.equal(created.status, 201, await created.text());
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${router.base}/mcp`), {
          requestInit: { headers: auth },
        }),
      );
      /** Calls that succeed, and fail as a tool error, unknown tools and bad arguments. */
      const load = async () => {
        const call = (args: Record<string, unknown>) =>
          client.callTool({ name: "conf", arguments: args });
        assert.ok(!(await call({})).isError); // load: the first use connects (a cold start)
        assert.ok(!(await call({ tool: "test_simple_text", arguments: {} })).isError);
        assert.equal((await call({ tool: "test_error_handling", arguments: {} })).isError, true);
        assert.equal((await call({ tool: "no_such_tool", arguments: {} })).isError, true);
        assert.equal((await call({ tool: "test_simple_text", arguments: "x" })).isError, true);
        const unknown = await client.callTool({ name: "not_a_server", arguments: {} });
        assert.equal(unknown.isError, true);
        const refusals: [string, HeadersInit][] = [
          ["/metrics", {}],
          ["/metrics", { authorization: "Bearer not-a-key" }],
          ["/metrics", { authorization: "Basic eDp5" }],
          ["/api/servers", { authorization: `Bearer ${mcpOnly}` }],
        ];
        for (const [path, headers] of refusals) {
          const res = await router.request(path, { headers });
          await res.body?.cancel();
          assert.ok(res.status === 401 || res.status === 403, `${path}: ${res.status}`);
        }
      };
      await load(); // every series exists before the first scrape

      const keyFile = `${promDir}/router.key`;
      await Deno.writeTextFile(keyFile, admin);
      const configFile = `${promDir}/prometheus.yml`;
      await Deno.writeTextFile(
        configFile,
        await prometheusConfig(`127.0.0.1:${router.port}`, keyFile),
      );
      const port = freePort();
      const base = `http://127.0.0.1:${port}`;
      prometheus = new Deno.Command(PROMETHEUS, {
        args: [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${promDir}/tsdb`,
          `--web.listen-address=127.0.0.1:${port}`,
          "--log.level=warn",
        ],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      for (const stream of [prometheus.stdout, prometheus.stderr]) {
        void (async () => {
          for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
            promOutput.push(chunk);
          }
        })().catch(() => {});
      }
      // Scraped successfully at least three times (rates need two samples in their window),
      // with more load in between.
      await waitFor("a successful scrape", 30_000, async () => {
        const up = await query(base, 'up{job="mcp-router"} == 1');
        return (up.data?.result.length ?? 0) > 0;
      });
      await load();
      await waitFor("three scrapes", 20_000, async () => {
        const n = await query(base, 'count_over_time(up{job="mcp-router"}[1m])');
        return Number((n.data?.result[0] as { value?: [number, string] })?.value?.[1]) >= 3;
      });

      const empty: string[] = [];
      for (const { panel, expr } of queries) {
        const reply = await query(base, expr);
        assert.equal(reply.status, "success", `${panel}: ${expr}: ${reply.error}`);
        if (!reply.data?.result.length) empty.push(`${panel}: ${expr}`);
      }
      const scrape = await query(
        base,
        '{__name__=~"scrape_samples_scraped|scrape_duration_seconds",job="mcp-router"}',
      );
      const figures = scrape.data?.result.map((r) =>
        `${r.metric.__name__}=${(r as { value?: [number, string] }).value?.[1]}`
      );
      console.log(
        `dashboard queries evaluated: ${queries.length}, empty: ${empty.length}; ${figures}`,
      );
      assert.deepEqual(empty, [], "dashboard queries without series");

      // The new series carry the labels the panels group by.
      const kinds = await query(base, "sum by (kind) (mcp_router_tool_errors_total)");
      const seen = new Set(kinds.data?.result.map((r) => r.metric.kind));
      for (const kind of ["tool_error", "unknown_tool", "invalid_params"]) {
        assert.ok(seen.has(kind), `no errors of kind ${kind}: ${[...seen]}`);
      }
      const reasons = await query(base, "mcp_router_auth_failures_total > 0");
      const failed = new Set(reasons.data?.result.map((r) => r.metric.reason));
      for (const reason of ["missing", "invalid_key", "malformed", "forbidden_scope"]) {
        assert.ok(failed.has(reason), `no auth failures of reason ${reason}: ${[...failed]}`);
      }
      const perTool = await query(
        base,
        'mcp_router_tool_call_seconds_count{server="conf",tool="test_simple_text"}',
      );
      assert.ok(perTool.data?.result.length, "no per-tool latency series");
    } catch (error) {
      console.error(`router output:\n${router.output()}\nprometheus:\n${promOutput.join("")}`);
      throw error;
    } finally {
      if (prometheus) {
        try {
          prometheus.kill("SIGTERM");
        } catch {
          // gone
        }
        await prometheus.status;
      }
      await client.close().catch(() => {});
      await router.stop();
      await fixture.shutdown();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      await Deno.remove(promDir, { recursive: true }).catch(() => {});
    }
  },
});
