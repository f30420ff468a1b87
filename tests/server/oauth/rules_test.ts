/**
 * @module The rules of the authorization server, unit by unit: redirect URIs, PKCE, the checks
 * of an authorization request (fatal ones shown, others redirected), DCR validation and
 * confidential clients, and the test mode's loopback-only refusal.
 */
import assert from "node:assert/strict";
import { redirectUriMatches, redirectUriProblem } from "../../../server/oauth/redirect_uris.ts";
import { pkceMatches, s256 } from "../../../server/oauth/pkce.ts";
import { assertOAuthTestMode } from "../../../server/oauth/mount.ts";
import { isMetadataUrl } from "../../../server/oauth/cimd.ts";
import { testSettings } from "../../../server/settings.ts";
import { tmpRouter } from "../../helpers.ts";
import {
  authorizeQuery,
  pkcePair,
  postForm,
  REDIRECT,
  registerClient,
  RESOURCE,
} from "./oauth_helpers.ts";

Deno.test("OAuth - redirect URI rules: https, http only to loopback, no fragment", () => {
  assert.equal(redirectUriProblem("https://claude.ai/api/mcp/auth_callback"), null);
  assert.equal(redirectUriProblem("http://127.0.0.1:33418/callback"), null);
  assert.equal(redirectUriProblem("http://localhost/cb"), null);
  assert.equal(redirectUriProblem("cursor://anysphere.cursor-mcp/oauth/callback"), null);
  assert.match(redirectUriProblem("http://example.com/cb") ?? "", /loopback/);
  assert.match(redirectUriProblem("https://example.com/cb#x") ?? "", /fragment/);
  assert.match(redirectUriProblem("javascript:alert(1)") ?? "", /refused/);
  assert.match(redirectUriProblem("/relative") ?? "", /absolute/);
});

Deno.test("OAuth - redirect URIs match exactly, except a loopback port", () => {
  const reg = ["https://app.example/cb", "http://127.0.0.1/callback"];
  assert.ok(redirectUriMatches(reg, "https://app.example/cb"));
  assert.ok(!redirectUriMatches(reg, "https://app.example/cb/"));
  assert.ok(!redirectUriMatches(reg, "https://app.example/cb?x=1"));
  assert.ok(!redirectUriMatches(reg, "https://app.example:8443/cb"));
  assert.ok(redirectUriMatches(reg, "http://127.0.0.1:51000/callback"));
  assert.ok(!redirectUriMatches(reg, "http://127.0.0.1:51000/other"));
  assert.ok(!redirectUriMatches(reg, "http://localhost:51000/callback"));
});

Deno.test("OAuth - PKCE accepts only the S256 of a well-formed verifier", () => {
  const { verifier, challenge } = pkcePair();
  assert.ok(pkceMatches(verifier, challenge));
  assert.ok(!pkceMatches(verifier + "x", challenge));
  assert.ok(!pkceMatches("short", s256("short")), "verifiers are 43-128 characters");
  // RFC 7636 appendix B
  assert.equal(
    s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  );
});

Deno.test("OAuth - client id metadata URLs are https with a path", () => {
  assert.ok(isMetadataUrl("https://app.example/oauth/client.json"));
  assert.ok(!isMetadataUrl("https://app.example/"));
  assert.ok(!isMetadataUrl("https://app.example/a#b"));
  assert.ok(!isMetadataUrl("https://u:p@app.example/a"));
  assert.ok(!isMetadataUrl("https://app.example/a/../b"));
  assert.ok(!isMetadataUrl("http://127.0.0.1:9/client.json"));
  assert.ok(isMetadataUrl("http://127.0.0.1:9/client.json", true), "test mode only");
});

Deno.test("OAuth - a bad client or redirect URI is shown, never redirected to", async () => {
  await using r = await tmpRouter();
  const client = await registerClient(r.app);
  const { challenge } = pkcePair();
  for (
    const query of [
      authorizeQuery("unknown-client", challenge),
      authorizeQuery(client.client_id, challenge, { redirect_uri: "https://evil.example/cb" }),
    ]
  ) {
    const res = await r.app.request(`/oauth/authorize?${query}`);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("location"), null);
    await res.body?.cancel();
  }
});

Deno.test("OAuth - other request errors go back to the client with state and iss", async () => {
  await using r = await tmpRouter();
  const client = await registerClient(r.app);
  const { challenge } = pkcePair();
  const cases: [Record<string, string>, string][] = [
    [{ code_challenge_method: "plain" }, "invalid_request"],
    [{ code_challenge: "" }, "invalid_request"],
    [{ response_type: "token" }, "unsupported_response_type"],
    [{ resource: "https://other.example/mcp" }, "invalid_target"],
    [{ scope: "mcp everything" }, "invalid_scope"],
  ];
  for (const [extra, error] of cases) {
    const res = await r.app.request(
      `/oauth/authorize?${authorizeQuery(client.client_id, challenge, extra)}`,
    );
    assert.equal(res.status, 302, JSON.stringify(extra));
    const to = new URL(res.headers.get("location") ?? "");
    assert.equal(`${to.origin}${to.pathname}`, REDIRECT);
    assert.equal(to.searchParams.get("error"), error, JSON.stringify(extra));
    assert.equal(to.searchParams.get("state"), "st4te");
    assert.equal(to.searchParams.get("iss"), "http://localhost");
  }
});

Deno.test("OAuth - DCR refuses bad redirect URIs and unsupported methods", async () => {
  await using r = await tmpRouter();
  const post = (body: unknown) =>
    r.app.request("/oauth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  for (
    const body of [
      {},
      { redirect_uris: ["http://example.com/cb"] },
      { redirect_uris: ["https://a.example/cb#frag"] },
      { redirect_uris: [REDIRECT], token_endpoint_auth_method: "private_key_jwt" },
      { redirect_uris: [REDIRECT], grant_types: ["client_credentials"] },
    ]
  ) {
    const res = await post(body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match((await res.json()).error, /^invalid_/);
  }
  const bad = await r.app.request("/oauth/register", { method: "POST", body: "{not json" });
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
});

Deno.test("OAuth - DCR is rate-limited per client address", async () => {
  await using r = await tmpRouter();
  const statuses: number[] = [];
  for (let i = 0; i < 22; i++) {
    const res = await r.app.request("/oauth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ redirect_uris: [REDIRECT] }),
    });
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assert.equal(statuses.filter((s) => s === 201).length, 20);
  assert.equal(statuses.at(-1), 429);
});

Deno.test("OAuth - a confidential DCR client must authenticate at the token endpoint", async () => {
  await using r = await tmpRouter();
  const client = await registerClient(r.app, { token_endpoint_auth_method: "client_secret_post" });
  assert.match(client.client_secret ?? "", /^[0-9a-f]{64}$/);
  const base = {
    grant_type: "refresh_token",
    refresh_token: "mcpor_x",
    client_id: client.client_id,
  };
  const none = await postForm(r.app, "/oauth/token", base);
  assert.equal(none.status, 401);
  assert.equal((await none.json()).error, "invalid_client");
  const wrong = await postForm(r.app, "/oauth/token", { ...base, client_secret: "nope" });
  assert.equal(wrong.status, 401);
  await wrong.body?.cancel();
  const right = await postForm(r.app, "/oauth/token", {
    ...base,
    client_secret: client.client_secret ?? "",
  });
  assert.equal((await right.json()).error, "invalid_grant", "authenticated; the token is bad");
  const basic = btoa(`${client.client_id}:${client.client_secret}`);
  const viaBasic = await postForm(r.app, "/oauth/token", {
    grant_type: "refresh_token",
    refresh_token: "mcpor_x",
  }, { authorization: `Basic ${basic}` });
  assert.equal((await viaBasic.json()).error, "invalid_grant");
});

Deno.test("OAuth - token endpoint refuses other grant types and content types", async () => {
  await using r = await tmpRouter();
  const client = await registerClient(r.app);
  const cc = await postForm(r.app, "/oauth/token", {
    grant_type: "client_credentials",
    client_id: client.client_id,
  });
  assert.equal((await cc.json()).error, "unsupported_grant_type");
  const json = await r.app.request("/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "authorization_code" }),
  });
  assert.equal(json.status, 400);
  assert.equal((await json.json()).error, "invalid_request");
  const unknown = await postForm(r.app, "/oauth/token", {
    grant_type: "authorization_code",
    code: "x",
    code_verifier: pkcePair().verifier,
    client_id: "nobody",
    resource: RESOURCE,
  });
  assert.equal(unknown.status, 401);
  await unknown.body?.cancel();
});

Deno.test("OAuth - the test mode is refused beyond loopback and approves its client", async () => {
  assert.throws(
    () => assertOAuthTestMode(testSettings({ host: "0.0.0.0", oauthTestClient: "conformance" })),
    /beyond loopback/,
  );
  assertOAuthTestMode(testSettings({ host: "127.0.0.1", oauthTestClient: "conformance" }));
  assertOAuthTestMode(testSettings({ host: "0.0.0.0" }));
  await using off = await tmpRouter();
  const { challenge } = pkcePair();
  const refused = await off.app.request(
    `/oauth/authorize?${authorizeQuery("conformance", challenge)}`,
  );
  assert.equal(refused.status, 400, "no test client when the test mode is off");
  await refused.body?.cancel();
  await using on = await tmpRouter({ oauthTestClient: "conformance" });
  const res = await on.app.request(`/oauth/authorize?${authorizeQuery("conformance", challenge)}`);
  assert.equal(res.status, 302);
  assert.ok(new URL(res.headers.get("location") ?? "").searchParams.get("code"));
});
