/**
 * Finding 5 (medium): SSRF with the response echoed. A real router (`main.ts serve`) is given
 * remote MCP URLs pointing at cloud metadata, `file:`, `ftp:`, its own API and IPv4-mapped
 * IPv6 forms; a loopback server of the test's own answers with a secret-looking body; keys are
 * created while the router runs; redirects lead to refused addresses; `build.repo` tries
 * `../user`. Each attack must fail, and the secret body must never come back.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { type RouterProcess, startRouter } from "../router_process.ts";
import { withTmpDir } from "../helpers.ts";
import { createKey } from "./cli.ts";

const SECRET = "SECRET-BODY-123";

/** A loopback HTTP server with one MCP endpoint and several hostile answers. */
function hostileServer() {
  const ac = new AbortController();
  const hits: string[] = [];
  const canary = Deno.serve(
    { port: 0, hostname: "127.0.0.2", signal: ac.signal, onListen() {} },
    (req) => {
      hits.push(new URL(req.url).pathname);
      return new Response(SECRET);
    },
  );
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/mcp") {
        const mcp = new McpServer({ name: "loopback", version: "1" });
        mcp.registerTool("hello", { description: "hi" }, () => ({
          content: [{ type: "text", text: "hello" }],
        }));
        const transport = new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
        });
        await mcp.connect(transport);
        return transport.handleRequest(req);
      }
      if (path === "/json") {
        return new Response(`${SECRET} is not json`, {
          headers: { "content-type": "application/json" },
        });
      }
      if (path === "/rpc-error" && req.method === "POST") {
        const body = await req.json().catch(() => ({}));
        return Response.json({
          jsonrpc: "2.0",
          id: body.id ?? 0,
          error: { code: -32099, message: SECRET },
        });
      }
      if (path === "/html") {
        return new Response(`<html>${SECRET}</html>`, { headers: { "content-type": "text/html" } });
      }
      if (path === "/to-metadata") {
        return new Response(SECRET, {
          status: 307,
          headers: { location: "http://169.254.169.254/latest/meta-data/" },
        });
      }
      if (path === "/to-canary") {
        return new Response(SECRET, {
          status: 307,
          headers: { location: `http://127.0.0.2:${canary.addr.port}/hit` },
        });
      }
      return new Response(SECRET, { status: 404, statusText: SECRET });
    },
  );
  return {
    url: (path: string) => `http://127.0.0.1:${server.addr.port}${path}`,
    hits,
    async close() {
      ac.abort();
      await Promise.all([server.finished, canary.finished]);
    },
  };
}

function remotePlan(name: string, url: string): Record<string, unknown> {
  return { name, runtime: "remote", transport: "http", url };
}

interface Api {
  post(path: string, body: unknown): Promise<{ status: number; text: string }>;
  get(path: string): Promise<{ status: number; text: string }>;
}

function api(router: RouterProcess, key?: string): Api {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const call = async (path: string, init: RequestInit) => {
    const res = await router.request(path, { ...init, headers });
    return { status: res.status, text: await res.text() };
  };
  return {
    post: (path, body) => call(path, { method: "POST", body: JSON.stringify(body) }),
    get: (path) => call(path, { method: "GET" }),
  };
}

/** Save a plan and return the server id (asserting 201). */
async function save(client: Api, plan: Record<string, unknown>): Promise<string> {
  const res = await client.post("/api/servers", plan);
  assert.equal(res.status, 201, res.text);
  return JSON.parse(res.text).id;
}

const REFUSED_URLS = (port: number) => [
  "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:a9fe:a9fe]/latest/",
  "http://2852039166/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://169.254.1.1/",
  "http://[fe80::1]/",
  "file:///etc/passwd",
  "ftp://127.0.0.1/",
  `http://127.0.0.1:${port}/api/servers`,
  `http://localhost:${port}/api`,
  `http://[::1]:${port}/api`,
  `http://0.0.0.0:${port}/api`,
  `http://2130706433:${port}/api`,
];

Deno.test("Security - SSRF: refused targets, bodies never echoed, keys end local mode", async () => {
  await using tmp = await withTmpDir();
  const fixture = hostileServer();
  const router = await startRouter(tmp.path, undefined, { env: { MCP_ROUTER_LOG_LEVEL: "debug" } });
  try {
    const open = api(router);
    // (a) default local mode: metadata, file:, ftp:, the router itself → 4xx on save and analyze.
    for (const url of REFUSED_URLS(router.port)) {
      const saved = await open.post("/api/servers", remotePlan("evil", url));
      assert.ok(
        saved.status >= 400 && saved.status < 500,
        `save ${url}: ${saved.status} ${saved.text}`,
      );
      const analyzed = await open.post("/api/servers/analyze", { source: url });
      assert.ok(
        analyzed.status >= 400 && analyzed.status < 500,
        `analyze ${url}: ${analyzed.status} ${analyzed.text}`,
      );
    }
    const metadata = await open.post("/api/servers", remotePlan("evil", "http://169.254.169.254/"));
    assert.equal(metadata.status, 400);
    assert.match(metadata.text, /metadata/);
    const self = await open.post(
      "/api/servers",
      remotePlan("evil", `http://127.0.0.1:${router.port}/api/servers`),
    );
    assert.match(self.text, /own listener/);
    assert.equal(JSON.parse((await open.get("/api/servers")).text).servers.length, 0);

    // A loopback server of our own is allowed in local mode and works…
    const good = await save(open, remotePlan("loopback", fixture.url("/mcp")));
    const ok = JSON.parse((await open.post(`/api/servers/${good}/test`, {})).text);
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.deepEqual(ok.tools.map((t: { name: string }) => t.name), ["hello"]);

    // …but what a failing one answers never comes back: 404, bad JSON, JSON-RPC error, HTML.
    const probes: [string, RegExp][] = [
      ["/missing", /HTTP 404 from the remote server/],
      ["/json", /HTTP 502 from the remote server/],
      ["/rpc-error", /JSON-RPC error -32099/],
      ["/html", /unexpected content type|did not answer as an MCP server/],
      ["/to-metadata", /HTTP 307/], // (c) a redirect to metadata is not followed
    ];
    const ids: string[] = [];
    for (const [path, expected] of probes) {
      const id = await save(open, remotePlan(`probe${ids.length}`, fixture.url(path)));
      ids.push(id);
      const res = await open.post(`/api/servers/${id}/test`, {});
      assert.equal(res.status, 200, res.text);
      assert.ok(!res.text.includes(SECRET), `${path} echoed the body: ${res.text}`);
      const report = JSON.parse(res.text);
      assert.equal(report.ok, false);
      assert.match(report.error, expected, `${path}: ${report.error}`);
      for (const view of [`/api/servers/${id}`, `/api/servers/${id}/logs`]) {
        const shown = await open.get(view);
        assert.ok(!shown.text.includes(SECRET), `${view} echoed the body`);
      }
    }

    // (d) build.repo must be a strict GitHub owner/name.
    for (const repo of ["../user", "a/..", "../../user/repos", "a/b/../../c", "-a/b"]) {
      const res = await open.post("/api/servers", {
        name: "built",
        runtime: "image",
        build: { repo, ref: "main" },
      });
      assert.equal(res.status, 400, `${repo}: ${res.text}`);
    }
    const badRef = await open.post("/api/servers", {
      name: "built",
      runtime: "image",
      build: { repo: "o/r", ref: "../../user" },
    });
    assert.equal(badRef.status, 400, badRef.text);

    // (b) an API key created while the router runs ends local mode at once.
    const key = await createKey(tmp.path, "ops", "admin");
    const authed = api(router, key);
    for (
      const url of [
        fixture.url("/mcp"),
        "http://10.0.0.1/mcp",
        "http://[::1]:9/mcp",
        "http://192.168.1.1/",
      ]
    ) {
      const res = await authed.post("/api/servers", remotePlan("later", url));
      assert.equal(res.status, 400, `${url}: ${res.text}`);
      assert.match(res.text, /MCP_ROUTER_ALLOWED_REMOTE_HOSTS/);
      const analyzed = await authed.post("/api/servers/analyze", { source: url });
      assert.equal(analyzed.status, 400, `analyze ${url}: ${analyzed.text}`);
    }
    // The server saved in local mode is now refused at connect time.
    const retest = JSON.parse((await authed.post(`/api/servers/${good}/test`, {})).text);
    assert.equal(retest.ok, false);
    assert.match(retest.error, /MCP_ROUTER_ALLOWED_REMOTE_HOSTS/);

    assert.deepEqual(fixture.hits, [], "no redirect reached another address");
    const output = router.output();
    assert.ok(!output.includes(SECRET), `the router logged the body: ${output}`);
  } finally {
    await router.stop();
    await fixture.close();
  }
});

Deno.test("Security - SSRF: MCP_ROUTER_ALLOWED_REMOTE_HOSTS admits listed hosts only", async () => {
  await using tmp = await withTmpDir();
  const fixture = hostileServer();
  const key = await createKey(tmp.path, "ops", "admin");
  const router = await startRouter(tmp.path, undefined, {
    env: {
      MCP_ROUTER_ALLOWED_REMOTE_HOSTS: "127.0.0.1,169.254.0.0/16",
      MCP_ROUTER_LOG_LEVEL: "debug",
    },
  });
  try {
    const authed = api(router, key);
    const id = await save(authed, remotePlan("listed", fixture.url("/mcp")));
    const report = JSON.parse((await authed.post(`/api/servers/${id}/test`, {})).text);
    assert.equal(report.ok, true, JSON.stringify(report));
    // Listing never opens metadata, link-local or the router's own listener.
    for (
      const url of [
        "http://169.254.169.254/",
        "http://169.254.1.1/",
        `http://127.0.0.1:${router.port}/api`,
      ]
    ) {
      const res = await authed.post("/api/servers", remotePlan("evil", url));
      assert.equal(res.status, 400, `${url}: ${res.text}`);
    }
    // An unlisted loopback address stays refused.
    const other = await authed.post("/api/servers", remotePlan("other", "http://127.0.0.2:9/mcp"));
    assert.equal(other.status, 400, other.text);
    // (c) A redirect from the listed server to an unlisted address is not followed.
    const hop = await save(authed, remotePlan("hop", fixture.url("/to-canary")));
    const hopped = await authed.post(`/api/servers/${hop}/test`, {});
    assert.ok(!hopped.text.includes(SECRET), hopped.text);
    assert.equal(JSON.parse(hopped.text).ok, false);
    assert.deepEqual(fixture.hits, [], "the redirect target was never fetched");
    assert.ok(!router.output().includes(SECRET));
  } finally {
    await router.stop();
    await fixture.close();
  }
});
