/**
 * @module Discovery: Protected Resource Metadata (RFC 9728), authorization server metadata
 * (RFC 8414), and the `WWW-Authenticate` challenge of the protected paths.
 */
import assert from "node:assert/strict";
import { createApiKey } from "../../../server/auth/api_keys.ts";
import { initializeRequest, MCP_HEADERS, tmpRouter } from "../../helpers.ts";

Deno.test("OAuth - protected resource metadata names /mcp and the router's issuer", async () => {
  await using r = await tmpRouter();
  await createApiKey(r.services.store, "someone");
  for (
    const path of [
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-protected-resource",
    ]
  ) {
    const res = await r.app.request(`http://router.test:8080${path}`, {
      headers: { host: "127.0.0.1:8080" },
    });
    assert.equal(res.status, 200, path);
    const body = await res.json();
    assert.equal(body.resource, "http://127.0.0.1:8080/mcp");
    assert.deepEqual(body.authorization_servers, ["http://127.0.0.1:8080"]);
    assert.deepEqual(body.scopes_supported, ["mcp", "admin"]);
  }
});

Deno.test("OAuth - authorization server metadata (RFC 8414) lists the endpoints and S256", async () => {
  await using r = await tmpRouter();
  const res = await r.app.request("/.well-known/oauth-authorization-server", {
    headers: { "x-forwarded-proto": "https" },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const m = await res.json();
  assert.equal(m.issuer, "https://localhost");
  assert.equal(m.authorization_endpoint, "https://localhost/oauth/authorize");
  assert.equal(m.token_endpoint, "https://localhost/oauth/token");
  assert.equal(m.registration_endpoint, "https://localhost/oauth/register");
  assert.equal(m.revocation_endpoint, "https://localhost/oauth/revoke");
  assert.deepEqual(m.code_challenge_methods_supported, ["S256"]);
  assert.deepEqual(m.grant_types_supported, ["authorization_code", "refresh_token"]);
  assert.deepEqual(m.response_types_supported, ["code"]);
  assert.ok(m.token_endpoint_auth_methods_supported.includes("none"));
  assert.equal(m.client_id_metadata_document_supported, true);
  assert.equal(m.authorization_response_iss_parameter_supported, true);
});

Deno.test("OAuth - 401s of /mcp, /sse, /messages point at the resource metadata", async () => {
  await using r = await tmpRouter();
  await createApiKey(r.services.store, "someone");
  const cases: [string, RequestInit][] = [
    ["/mcp", { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(initializeRequest()) }],
    ["/sse", {}],
    ["/messages?sessionId=x", { method: "POST", body: "{}" }],
  ];
  for (const [path, init] of cases) {
    const res = await r.app.request(path, init);
    assert.equal(res.status, 401, path);
    const challenge = res.headers.get("www-authenticate") ?? "";
    assert.match(
      challenge,
      /resource_metadata="http:\/\/localhost\/\.well-known\/oauth-protected-resource\/mcp"/,
    );
    assert.match(challenge, /scope="mcp"/);
    await res.body?.cancel();
  }
  // API keys work exactly as before
  const { key } = await createApiKey(r.services.store, "k", "admin");
  assert.equal(
    (await r.app.request("/api/servers", { headers: { authorization: `Bearer ${key}` } })).status,
    200,
  );
});

Deno.test("OAuth - machine endpoints answer CORS preflights; others are untouched", async () => {
  await using r = await tmpRouter();
  for (const path of ["/oauth/token", "/.well-known/oauth-authorization-server"]) {
    const res = await r.app.request(path, {
      method: "OPTIONS",
      headers: { origin: "https://inspector.example", "access-control-request-method": "POST" },
    });
    assert.equal(res.status, 204, path);
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    assert.match(res.headers.get("access-control-allow-headers") ?? "", /mcp-protocol-version/);
  }
  const other = await r.app.request("/api/servers", { method: "OPTIONS" });
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  await other.body?.cancel();
});
