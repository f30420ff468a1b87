/**
 * The router's OAuth client provider and flow helpers in process: whose tokens a principal
 * uses, the router's public origin, an expired access token left out of requests (so the SDK
 * refreshes it on the 401), the hand-entered client used instead of registration, a pending
 * authorization recorded under its state, and failure reasons without response content.
 */
import assert from "node:assert/strict";
import { OAuthError, OAuthErrorCode } from "@modelcontextprotocol/client";
import { KvStore } from "../../../server/store/kv_store.ts";
import { testSettings } from "../../../server/settings.ts";
import { StoreOAuthProvider } from "../../../server/downstream_auth/provider.ts";
import { downstreamBaseUrl, ownerOf } from "../../../server/downstream_auth/flow.ts";
import { principalOfKey } from "../../../server/downstream_auth/principal.ts";
import { oauthFailureReason } from "../../../server/downstream_auth/failure.ts";

const CALLBACK = "http://127.0.0.1:8080/oauth/downstream/callback";

Deno.test("Downstream auth - owners, principals and the router's public origin", () => {
  assert.equal(ownerOf({ mode: "per_principal" }, "key:k1"), "key:k1");
  assert.equal(ownerOf({ mode: "shared" }, "key:k1"), "shared");
  assert.equal(principalOfKey(null), "admin");
  assert.equal(principalOfKey("k1"), "key:k1");
  assert.equal(
    downstreamBaseUrl({ settings: testSettings({ port: 9000 }) }),
    "http://127.0.0.1:9000",
  );
  assert.equal(
    downstreamBaseUrl({ settings: testSettings({ allowedHosts: ["router.example.com"] }) }),
    "https://router.example.com",
  );
  assert.equal(
    downstreamBaseUrl({ settings: testSettings(), baseUrl: "https://x.example/" }),
    "https://x.example",
  );
});

Deno.test("Downstream auth - an expired access token is not sent; the auth flow still sees it", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const provider = new StoreOAuthProvider({
      store: store.downstreamAuth,
      serverId: "s1",
      owner: "admin",
      redirectUrl: CALLBACK,
      clientName: "MCP Router (s1)",
    });
    await provider.saveTokens({ access_token: "a1", token_type: "Bearer", expires_in: 3600 });
    assert.equal((await provider.tokens())?.access_token, "a1");
    const stored = await store.downstreamAuth.getTokens("s1", "admin");
    assert.equal(stored?.redirect_uri, CALLBACK);
    await store.downstreamAuth.putTokens("s1", "admin", {
      ...stored!,
      refresh_token: "r1",
      expires_at: Date.now() - 1,
    });
    assert.equal(await provider.tokens(), undefined, "no expired token on requests");
    assert.equal((await provider.tokens({ issuer: "https://as" }))?.refresh_token, "r1");
  } finally {
    store.close();
  }
});

Deno.test("Downstream auth - a hand-entered client, registrations per callback, the pending flow", async () => {
  const store = await KvStore.open({ dataDir: ":memory:" });
  try {
    const manual = new StoreOAuthProvider({
      store: store.downstreamAuth,
      serverId: "s1",
      owner: "admin",
      redirectUrl: CALLBACK,
      clientMetadataUrl: "https://router.example/oauth/downstream/client-metadata.json",
      clientName: "MCP Router (s1)",
      manualClient: { client_id: "cid", client_secret: "sec" },
    });
    assert.equal(manual.clientMetadataUrl, undefined, "no CIMD with a hand-entered client");
    assert.equal((await manual.clientInformation({ issuer: "https://as" }))?.client_id, "cid");

    const dcr = new StoreOAuthProvider({
      store: store.downstreamAuth,
      serverId: "s1",
      owner: "admin",
      redirectUrl: CALLBACK,
      clientName: "MCP Router (s1)",
    });
    await dcr.saveClientInformation({ client_id: "reg-1", redirect_uris: [CALLBACK] }, {
      issuer: "https://as",
    });
    assert.equal((await dcr.clientInformation({ issuer: "https://as" }))?.client_id, "reg-1");
    const elsewhere = new StoreOAuthProvider({
      store: store.downstreamAuth,
      serverId: "s1",
      owner: "admin",
      redirectUrl: "https://router.example/oauth/downstream/callback",
      clientName: "MCP Router (s1)",
    });
    assert.equal(
      await elsewhere.clientInformation({ issuer: "https://as" }),
      undefined,
      "another callback registers on its own",
    );

    dcr.saveCodeVerifier("verifier");
    await dcr.redirectToAuthorization(new URL("https://as/authorize?x=1"));
    assert.equal(dcr.authorizationUrl?.href, "https://as/authorize?x=1");
    const flow = await store.downstreamAuth.takeFlow(dcr.state());
    assert.equal(flow?.code_verifier, "verifier");
    assert.equal(flow?.owner, "admin");
  } finally {
    store.close();
  }
});

Deno.test("Downstream auth - failure reasons name an OAuth code, never the body", () => {
  assert.equal(
    oauthFailureReason(new OAuthError(OAuthErrorCode.InvalidGrant, "secret body text")),
    "the authorization server answered 'invalid_grant'",
  );
  assert.match(
    oauthFailureReason(
      new Error("Incompatible auth server: does not support dynamic client registration"),
    ),
    /enter a client id/,
  );
});
