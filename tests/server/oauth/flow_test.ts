/**
 * @module The authorization-code flow end to end in process: DCR, sign-in, consent (remembered
 * per client), code + PKCE at the token endpoint, the access token on `/mcp` beside API keys,
 * refresh rotation with reuse detection, revocation (RFC 7009), audience and scope checks.
 */
import assert from "node:assert/strict";
import { createApiKey } from "../../../server/auth/api_keys.ts";
import { createUiSession } from "../../../server/auth/ui_sessions.ts";
import { initializeRequest, MCP_HEADERS, tmpRouter } from "../../helpers.ts";
import {
  approveConsent,
  authorizeQuery,
  ISSUER,
  pkcePair,
  postForm,
  REDIRECT,
  registerClient,
  RESOURCE,
} from "./oauth_helpers.ts";

const INIT = JSON.stringify(initializeRequest());

async function signedIn(r: Awaited<ReturnType<typeof tmpRouter>>): Promise<string> {
  await createApiKey(r.services.store, "someone"); // keys exist: sign-in is required
  return `mcpr_session=${await createUiSession(r.services.store, "admin")}`;
}

async function tokensFor(r: Awaited<ReturnType<typeof tmpRouter>>, cookie: string) {
  const client = await registerClient(r.app);
  const { verifier, challenge } = pkcePair();
  const back = await approveConsent(r.app, authorizeQuery(client.client_id, challenge), cookie);
  const code = back.searchParams.get("code") ?? "";
  const res = await postForm(r.app, "/oauth/token", {
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    client_id: client.client_id,
    resource: RESOURCE,
  });
  assert.equal(res.status, 200, await res.clone().text());
  return { client, body: await res.json(), code, verifier };
}

function mcp(r: Awaited<ReturnType<typeof tmpRouter>>, token: string, host?: string) {
  return r.app.request("/mcp", {
    method: "POST",
    headers: { ...MCP_HEADERS, authorization: `Bearer ${token}`, ...(host ? { host } : {}) },
    body: INIT,
  });
}

Deno.test("OAuth - without sign-in the authorization endpoint sends the browser to /login", async () => {
  await using r = await tmpRouter();
  await createApiKey(r.services.store, "someone");
  const client = await registerClient(r.app);
  const res = await r.app.request(
    `/oauth/authorize?${authorizeQuery(client.client_id, pkcePair().challenge)}`,
  );
  assert.equal(res.status, 303);
  const to = new URL(res.headers.get("location") ?? "", "http://localhost");
  assert.equal(to.pathname, "/login");
  assert.match(to.searchParams.get("next") ?? "", /^\/oauth\/authorize\?/);
});

Deno.test("OAuth - code + PKCE gives tokens that open /mcp; the redirect carries state and iss", async () => {
  await using r = await tmpRouter();
  const cookie = await signedIn(r);
  const client = await registerClient(r.app);
  const { verifier, challenge } = pkcePair();
  const back = await approveConsent(r.app, authorizeQuery(client.client_id, challenge), cookie);
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get("state"), "st4te");
  assert.equal(back.searchParams.get("iss"), ISSUER);
  const code = back.searchParams.get("code") ?? "";
  const exchange = (v: string) =>
    postForm(r.app, "/oauth/token", {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: v,
      client_id: client.client_id,
      resource: RESOURCE,
    });
  const wrong = await exchange(pkcePair().verifier);
  assert.equal(wrong.status, 400, "a wrong verifier is refused");
  assert.equal((await wrong.json()).error, "invalid_grant");
  // the code was spent by the failed attempt too: codes are single-use
  const again = await exchange(verifier);
  assert.equal((await again.json()).error, "invalid_grant");

  const { body } = await tokensFor(r, cookie);
  assert.match(body.access_token, /^mcpo_[0-9a-f]{64}$/);
  assert.match(body.refresh_token, /^mcpor_[0-9a-f]{64}$/);
  assert.equal(body.token_type, "Bearer");
  assert.equal(body.expires_in, 3600);
  assert.equal(body.scope, "mcp");
  const ok = await mcp(r, body.access_token);
  assert.equal(ok.status, 200, await ok.clone().text());
  await ok.body?.cancel();
  // API keys keep working beside OAuth tokens
  const { key } = await createApiKey(r.services.store, "k2");
  const viaKey = await r.app.request("/mcp", {
    method: "POST",
    headers: { ...MCP_HEADERS, authorization: `Bearer ${key}` },
    body: INIT,
  });
  assert.equal(viaKey.status, 200);
  await viaKey.body?.cancel();
});

Deno.test("OAuth - token endpoint answers are JSON and never cached", async () => {
  await using r = await tmpRouter();
  const cookie = await signedIn(r);
  const client = await registerClient(r.app);
  const { challenge, verifier } = pkcePair();
  const back = await approveConsent(r.app, authorizeQuery(client.client_id, challenge), cookie);
  const res = await postForm(r.app, "/oauth/token", {
    grant_type: "authorization_code",
    code: back.searchParams.get("code") ?? "",
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    client_id: client.client_id,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.equal(res.headers.get("cache-control"), "no-store");
  await res.body?.cancel();
});

Deno.test("OAuth - consent is remembered per client; deny returns access_denied", async () => {
  await using r = await tmpRouter();
  const cookie = await signedIn(r);
  const client = await registerClient(r.app);
  const denied = await approveConsent(
    r.app,
    authorizeQuery(client.client_id, pkcePair().challenge),
    cookie,
    "deny",
  );
  assert.equal(denied.searchParams.get("error"), "access_denied");
  assert.equal(denied.searchParams.get("iss"), ISSUER);
  await approveConsent(r.app, authorizeQuery(client.client_id, pkcePair().challenge), cookie);
  const second = await r.app.request(
    `/oauth/authorize?${authorizeQuery(client.client_id, pkcePair().challenge)}`,
    { headers: { cookie } },
  );
  assert.equal(second.status, 302, "no consent page the second time");
  assert.ok(new URL(second.headers.get("location") ?? "").searchParams.get("code"));
  // a wider scope asks again
  const wider = await r.app.request(
    `/oauth/authorize?${
      authorizeQuery(client.client_id, pkcePair().challenge, { scope: "mcp admin" })
    }`,
    { headers: { cookie } },
  );
  assert.equal(wider.status, 200);
  await wider.body?.cancel();
});

Deno.test("OAuth - refresh rotates; a reused refresh token revokes the whole grant", async () => {
  await using r = await tmpRouter();
  const cookie = await signedIn(r);
  const { client, body } = await tokensFor(r, cookie);
  const refresh = (t: string) =>
    postForm(r.app, "/oauth/token", {
      grant_type: "refresh_token",
      refresh_token: t,
      client_id: client.client_id,
    });
  const first = await refresh(body.refresh_token);
  assert.equal(first.status, 200);
  const rotated = await first.json();
  assert.notEqual(rotated.refresh_token, body.refresh_token);
  assert.notEqual(rotated.access_token, body.access_token);
  const okNew = await mcp(r, rotated.access_token);
  assert.equal(okNew.status, 200);
  await okNew.body?.cancel();
  // the old refresh token again: reuse → grant revoked, every token of it refused at once
  const reuse = await refresh(body.refresh_token);
  assert.equal(reuse.status, 400);
  assert.equal((await reuse.json()).error, "invalid_grant");
  const dead = await mcp(r, rotated.access_token);
  assert.equal(dead.status, 401);
  assert.match(dead.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
  await dead.body?.cancel();
  assert.equal((await refresh(rotated.refresh_token)).status, 400);
});

Deno.test("OAuth - revocation (RFC 7009) refuses the token at once", async () => {
  await using r = await tmpRouter();
  const cookie = await signedIn(r);
  const { client, body } = await tokensFor(r, cookie);
  const res = await postForm(r.app, "/oauth/revoke", {
    token: body.refresh_token,
    client_id: client.client_id,
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const after = await mcp(r, body.access_token);
  assert.equal(after.status, 401, "revoking the refresh token ends the grant's access tokens");
  await after.body?.cancel();
  const unknown = await postForm(r.app, "/oauth/revoke", {
    token: "whatever",
    client_id: client.client_id,
  });
  assert.equal(unknown.status, 200, "unknown tokens are accepted silently");
  await unknown.body?.cancel();
});

Deno.test("OAuth - tokens are bound to the audience and to their scope", async () => {
  await using r = await tmpRouter({ allowedHosts: ["router.example.com"] });
  const cookie = await signedIn(r);
  const { body } = await tokensFor(r, cookie);
  const elsewhere = await mcp(r, body.access_token, "router.example.com");
  assert.equal(elsewhere.status, 401, "a token for http://localhost/mcp is refused elsewhere");
  await elsewhere.body?.cancel();
  const api = await r.app.request("/api/servers", {
    headers: { authorization: `Bearer ${body.access_token}` },
  });
  assert.equal(api.status, 403, "an mcp-scoped token may not use the REST API");
  assert.match(api.headers.get("www-authenticate") ?? "", /insufficient_scope/);
  await api.body?.cancel();
});
