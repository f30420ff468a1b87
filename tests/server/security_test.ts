/**
 * Remote-readiness: API keys on every protected route, revocation, MCP sessions bound to their
 * key, CSRF on admin forms, admin login, and secrets kept out of responses, logs and audit.
 */
import assert from "node:assert/strict";
import { createApiKey, revokeApiKey } from "../../server/auth/api_keys.ts";
import { setAdminPassword } from "../../server/auth/admin_password.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { csrfOf, initializeRequest, MCP_HEADERS, TEST_PROTOCOL, tmpRouter } from "../helpers.ts";

const INIT = initializeRequest();

Deno.test("Security - no key, a wrong key or a revoked key gets 401 everywhere once keys exist", async () => {
  const lines: string[] = [];
  const previous = setLogSink((l) => lines.push(l));
  await using r = await tmpRouter();
  try {
    // loopback with no keys: open
    assert.equal((await r.app.request("/api/servers")).status, 200);
    const { key, record } = await createApiKey(r.services.store, "alice", "admin");
    const protectedRoutes: [string, RequestInit][] = [
      ["/api/servers", {}],
      ["/api/health", {}],
      ["/api/openapi.json", {}],
      ["/api/servers", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }],
      ["/mcp", { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(INIT) }],
      ["/sse", {}],
      ["/messages?sessionId=x", { method: "POST", body: "{}" }],
      ["/metrics", {}],
    ];
    for (const [path, init] of protectedRoutes) {
      const res = await r.app.request(path, init);
      assert.equal(res.status, 401, path);
      assert.match(res.headers.get("www-authenticate") ?? "", /Bearer/, path);
      await res.body?.cancel();
      const wrong = await r.app.request(path, {
        ...init,
        headers: { ...(init.headers ?? {}), authorization: "Bearer mcpr_wrongwrongwrong" },
      });
      assert.equal(wrong.status, 401, path);
      await wrong.body?.cancel();
    }
    const ok = await r.app.request("/api/servers", { headers: { authorization: `Bearer ${key}` } });
    assert.equal(ok.status, 200);
    // admin pages redirect to the login page
    const page = await r.app.request("/");
    assert.equal(page.status, 303);
    assert.match(page.headers.get("location") ?? "", /^\/login/);
    await revokeApiKey(r.services.store, record.id);
    await createApiKey(r.services.store, "bob");
    const revoked = await r.app.request("/api/servers", {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(revoked.status, 401);
    assert.ok(!lines.join("\n").includes(key), "the key never reaches a log line");
  } finally {
    setLogSink(previous);
  }
});

Deno.test("Security - an MCP session is bound to the key that opened it", async () => {
  await using r = await tmpRouter();
  const a = await createApiKey(r.services.store, "a");
  const b = await createApiKey(r.services.store, "b");
  const init = await r.app.request("/mcp", {
    method: "POST",
    headers: { ...MCP_HEADERS, authorization: `Bearer ${a.key}` },
    body: JSON.stringify(INIT),
  });
  assert.equal(init.status, 200);
  const sessionId = init.headers.get("mcp-session-id");
  assert.ok(sessionId);
  await init.body?.cancel();
  const list = (key: string) =>
    r.app.request("/mcp", {
      method: "POST",
      headers: {
        ...MCP_HEADERS,
        authorization: `Bearer ${key}`,
        "mcp-session-id": sessionId,
        "mcp-protocol-version": TEST_PROTOCOL,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
  const stolen = await list(b.key);
  assert.equal(stolen.status, 403);
  await stolen.body?.cancel();
  const own = await list(a.key);
  assert.equal(own.status, 200);
  await own.body?.cancel();
});

Deno.test("Security - admin forms need the CSRF token; login sets a strict HttpOnly cookie", async () => {
  await using r = await tmpRouter();
  const noToken = await r.app.request("/logout", { method: "POST" });
  assert.equal(noToken.status, 403);
  await setAdminPassword(r.services.store, "correct horse battery");
  await createApiKey(r.services.store, "someone");
  const loginPage = await r.app.request("/login");
  const { cookie: csrfCookie, token } = await csrfOf(loginPage);
  assert.match(token, /^[0-9a-f]{64}$/, "the login form carries a CSRF token");
  const form = (password: string, withToken = true) =>
    r.app.request("/login", {
      method: "POST",
      headers: { cookie: csrfCookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password, next: "/", ...(withToken ? { _csrf: token } : {}) }),
    });
  assert.equal((await form("correct horse battery", false)).status, 403);
  assert.equal((await form("wrong password")).status, 401);
  const ok = await form("correct horse battery");
  assert.equal(ok.status, 303);
  const cookie = ok.headers.get("set-cookie") ?? "";
  assert.match(cookie, /mcpr_session=[0-9a-f]{64}/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const session = cookie.split(";")[0];
  const api = await r.app.request("/api/servers", { headers: { cookie: session } });
  assert.equal(api.status, 200);
  // the admin cookie does not open MCP endpoints (bearer keys only)
  const mcp = await r.app.request("/mcp", {
    method: "POST",
    headers: { ...MCP_HEADERS, cookie: session },
    body: JSON.stringify(INIT),
  });
  assert.equal(mcp.status, 401);
});

Deno.test("Security - a secret never appears in responses, audit entries or logs", async () => {
  const lines: string[] = [];
  const previous = setLogSink((l) => lines.push(l));
  await using r = await tmpRouter();
  try {
    const secret = "sk-THIS-MUST-NOT-LEAK-9f8e7d";
    const json = { "content-type": "application/json" };
    await r.app.request("/api/servers", {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        name: "leaky",
        runtime: "npx",
        command: "npx",
        args: ["-y", "x"],
        env: [{ key: "API_KEY", secret: true, required: true }],
      }),
    });
    const set = await r.app.request("/api/servers/leaky/env/API_KEY", {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ value: secret }),
    });
    assert.equal(set.status, 200);
    await r.app.request("/api/servers/leaky", {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ description: "edited" }),
    });
    const bodies: string[] = [];
    for (
      const path of ["/api/servers", "/api/servers/leaky", "/api/health", "/api/servers/leaky/logs"]
    ) {
      bodies.push(await (await r.app.request(path)).text());
    }
    bodies.push(await (await r.app.request("/api/servers/leaky/test", { method: "POST" })).text());
    for (const b of bodies) assert.ok(!b.includes(secret));
    const audit = JSON.stringify(await r.services.store.listAudit({ limit: 100 }));
    assert.ok(audit.includes("server.env.set"));
    assert.ok(!audit.includes(secret));
    assert.ok(!lines.join("\n").includes(secret));
  } finally {
    setLogSink(previous);
  }
});

Deno.test("Security - creating the first key in the UI keeps its creator signed in", async () => {
  await using r = await tmpRouter();
  const connect = await r.app.request("/connect");
  const { cookie: csrfCookie, token } = await csrfOf(connect);
  const created = await r.app.request("/connect/keys", {
    method: "POST",
    headers: {
      cookie: csrfCookie,
      origin: "http://localhost",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ name: "laptop", _csrf: token }),
  });
  assert.equal(created.status, 303, await created.clone().text());
  const session = (created.headers.get("set-cookie") ?? "").match(/mcpr_session=[0-9a-f]{64}/)?.[0];
  assert.ok(session, created.headers.get("set-cookie") ?? "no cookie");
  const shown = await r.app.request(created.headers.get("location")!, {
    headers: { cookie: session },
  });
  assert.equal(shown.status, 200);
  const html = await shown.text();
  assert.match(html, /mcpr_[0-9a-f]{48}/, "the key is shown once");
  const page = await r.app.request("/", { headers: { cookie: session } });
  assert.equal(page.status, 200);
  assert.equal((await r.app.request("/")).status, 303, "others must sign in");
});
