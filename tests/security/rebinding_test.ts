/**
 * Finding 1 (high): DNS rebinding and cross-site requests in the default local mode. A real
 * router (`main.ts serve` on loopback, no keys) gets requests with forged `Host` headers, as a
 * rebinding page would send them, and cross-site form/`fetch` posts, as any website could.
 */
import assert from "node:assert/strict";
import { rawRequest } from "./raw_http.ts";
import { createKey } from "./cli.ts";
import { startRouter } from "../router_process.ts";
import { withTmpDir } from "../helpers.ts";
import { crossSiteReason, hostViolation, parseHost } from "../../server/http/host_check.ts";

const ROUTES = [
  "/api/servers",
  "/api/health",
  "/mcp",
  "/sse",
  "/messages?sessionId=x",
  "/",
  "/metrics",
  "/connect",
];

Deno.test("Security - forged Host headers (DNS rebinding) are refused on every route", async () => {
  await using tmp = await withTmpDir();
  const router = await startRouter(tmp.path);
  try {
    const hostile = [
      "attacker.example",
      `attacker.example:${router.port}`,
      `127.attacker.example:${router.port}`,
      "127.0.0.1.attacker.example",
      "localhost.attacker.example",
      "[::1].attacker.example",
      "127.0.0.1@attacker.example",
      "",
    ];
    for (const host of hostile) {
      for (const path of ROUTES) {
        const res = await rawRequest(router.port, { path, headers: { host } });
        assert.ok(
          res.status === 403 || res.status === 400,
          `${host} ${path}: ${res.status} ${res.body.slice(0, 200)}`,
        );
        assert.ok(!res.body.includes('"servers"'), `${host} ${path} leaked the server list`);
      }
      // a rebinding page's state-changing request: add a server
      const add = await rawRequest(router.port, {
        method: "POST",
        path: "/api/servers",
        headers: { host, "content-type": "application/json" },
        body: JSON.stringify({ name: "evil", runtime: "npx", command: "npx", args: ["-y", "x"] }),
      });
      assert.ok(add.status === 403 || add.status === 400, `${host} add: ${add.status}`);
    }
    for (
      const host of [`127.0.0.1:${router.port}`, `localhost:${router.port}`, `[::1]:${router.port}`]
    ) {
      const res = await rawRequest(router.port, { path: "/api/servers", headers: { host } });
      assert.equal(res.status, 200, `${host}: ${res.body.slice(0, 200)}`);
    }
    const servers = await (await router.request("/api/servers")).json();
    assert.deepEqual(servers.servers, [], "nothing was added");
  } finally {
    await router.stop();
  }
});

Deno.test("Security - MCP_ROUTER_ALLOWED_HOSTS admits a proxy's host name, nothing else", async () => {
  await using tmp = await withTmpDir();
  const router = await startRouter(tmp.path, undefined, {
    env: { MCP_ROUTER_ALLOWED_HOSTS: "mcp.example.com" },
  });
  try {
    const ok = await rawRequest(router.port, {
      path: "/api/servers",
      headers: { host: "mcp.example.com" },
    });
    assert.equal(ok.status, 200);
    const other = await rawRequest(router.port, {
      path: "/api/servers",
      headers: { host: "evil.mcp.example.com" },
    });
    assert.equal(other.status, 403);
    assert.match(other.body, /MCP_ROUTER_ALLOWED_HOSTS/);
  } finally {
    await router.stop();
  }
});

Deno.test("Security - cross-site posts are refused unless they carry a valid bearer key; JSON is required", async () => {
  await using tmp = await withTmpDir();
  const router = await startRouter(tmp.path);
  try {
    // The router is open (loopback, no keys): add a server the way the user would.
    const created = await router.request("/api/servers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "demo",
        runtime: "npx",
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-everything"],
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    await created.body?.cancel();
    const crossSite: Record<string, string>[] = [
      { origin: "https://evil.example", "content-type": "text/plain" },
      { origin: "null", "content-type": "text/plain" },
      { origin: `http://localhost:${router.port + 1}`, "content-type": "text/plain" },
      { "sec-fetch-site": "cross-site", "content-type": "text/plain" },
      { origin: "https://evil.example", "content-type": "application/json" },
    ];
    for (const headers of crossSite) {
      for (
        const [method, path, body] of [
          ["POST", "/api/servers/demo/test", ""],
          ["POST", "/api/servers", '{"name":"evil","runtime":"npx","command":"npx","args":["x"]}'],
          ["PUT", "/api/servers/demo/env/TOKEN", '{"value":"x"}'],
          ["DELETE", "/api/servers/demo", ""],
          ["POST", "/mcp", '{"jsonrpc":"2.0","id":1,"method":"initialize"}'],
          ["POST", "/connect/keys", "name=evil"],
          ["POST", "/servers/demo/delete", ""],
        ] as const
      ) {
        const res = await router.request(path, { method, headers, body: body || undefined });
        assert.equal(res.status, 403, `${JSON.stringify(headers)} ${method} ${path}`);
        await res.body?.cancel();
      }
      // the MCP endpoints refuse cross-site reads too (an SSE stream opened by a page)
      const sse = await router.request("/sse", { headers });
      assert.equal(sse.status, 403);
      await sse.body?.cancel();
    }
    // a JSON body needs application/json
    const plain = await router.request("/api/servers", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ name: "x", runtime: "npx", command: "npx", args: ["x"] }),
    });
    assert.equal(plain.status, 415);
    await plain.body?.cancel();
    // the server is still there, unchanged
    const list = await (await router.request("/api/servers")).json();
    assert.deepEqual(list.servers.map((s: { name: string }) => s.name), ["demo"]);
    // same-origin UI requests and non-browser clients keep working
    const same = await router.request("/api/servers/demo/test", {
      method: "POST",
      headers: { origin: router.base },
    });
    assert.notEqual(same.status, 403);
    await same.body?.cancel();
    // a valid bearer key is exempt: a browser client with a key is not riding on ambient trust
    const key = await createKey(tmp.path, "ops", "admin");
    const keyed = await router.request("/api/servers/demo", {
      method: "PATCH",
      headers: {
        origin: "https://tool.example",
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ display_name: "Demo" }),
    });
    assert.notEqual(keyed.status, 403, await keyed.clone().text());
    await keyed.body?.cancel();
  } finally {
    await router.stop();
  }
});

Deno.test("Security - Host parsing: loopback literals only, never a name that starts with 127.", () => {
  const policy = { host: "127.0.0.1", allowedHosts: [], allowedOrigins: [] };
  for (
    const ok of [
      "127.0.0.1",
      "127.0.0.1:8080",
      "localhost:1",
      "[::1]:8080",
      "127.1.2.3",
      "LOCALHOST",
    ]
  ) {
    assert.equal(hostViolation(ok, policy), null, ok);
  }
  for (
    const bad of [
      "127.attacker.example",
      "127.0.0.1.nip.io",
      "127.0.0.1:80:80",
      "[::1]x",
      "[::ffff:7f00:1].evil",
      "localhost.",
      "0x7f.0.0.1",
      "2130706433",
      "evil.example",
      "",
    ]
  ) {
    if (bad === "localhost.") {
      assert.equal(hostViolation(bad, policy), null, "a trailing dot is the same name");
      continue;
    }
    assert.notEqual(hostViolation(bad, policy), null, bad);
  }
  assert.equal(parseHost("[::1]:99999"), null);
  // a router listening on an address answers to that address; allow-list entries may pin a port
  const open = { host: "10.1.2.3", allowedHosts: ["mcp.example.com:443"], allowedOrigins: [] };
  assert.equal(hostViolation("10.1.2.3:8080", open), null);
  assert.equal(hostViolation("mcp.example.com:443", open), null);
  assert.notEqual(hostViolation("mcp.example.com:8443", open), null);
  assert.notEqual(hostViolation("10.1.2.4", open), null);
  // cross-site: another origin, `null`, or Sec-Fetch-Site; allowed origins pass
  const h = (o: Record<string, string>) => new Headers(o);
  assert.equal(
    crossSiteReason(h({ origin: "http://127.0.0.1:8080" }), "127.0.0.1:8080", policy),
    null,
  );
  assert.notEqual(
    crossSiteReason(h({ origin: "http://127.0.0.1:9090" }), "127.0.0.1:8080", policy),
    null,
  );
  assert.notEqual(crossSiteReason(h({ origin: "null" }), "127.0.0.1:8080", policy), null);
  assert.notEqual(crossSiteReason(h({ "sec-fetch-site": "cross-site" }), "x", policy), null);
  assert.equal(crossSiteReason(h({ "sec-fetch-site": "same-origin" }), "x", policy), null);
  assert.equal(
    crossSiteReason(h({ origin: "https://inspector.example" }), "x", {
      ...policy,
      allowedOrigins: ["https://inspector.example"],
    }),
    null,
  );
});
