/**
 * @module Granted clients: `oauth grants` lists them, `oauth revoke` ends their tokens at once
 * and forgets the consent; `serve` refuses the test mode beyond loopback before it starts.
 */
import assert from "node:assert/strict";
import { createApiKey } from "../../../server/auth/api_keys.ts";
import { createUiSession } from "../../../server/auth/ui_sessions.ts";
import { oauthVerb } from "../../../server/cli/oauth.ts";
import { revokeGrantById } from "../../../server/oauth/grants.ts";
import { csrfOf, initializeRequest, MCP_HEADERS, tmpRouter, withTmpDir } from "../../helpers.ts";
import {
  approveConsent,
  authorizeQuery,
  pkcePair,
  postForm,
  REDIRECT,
  registerClient,
} from "./oauth_helpers.ts";

Deno.test("OAuth - revoking a grant from the CLI refuses its token at once", async () => {
  await using r = await tmpRouter();
  await createApiKey(r.services.store, "someone");
  const cookie = `mcpr_session=${await createUiSession(r.services.store, "admin")}`;
  const client = await registerClient(r.app);
  const { verifier, challenge } = pkcePair();
  const back = await approveConsent(r.app, authorizeQuery(client.client_id, challenge), cookie);
  const tokens = await (await postForm(r.app, "/oauth/token", {
    grant_type: "authorization_code",
    code: back.searchParams.get("code") ?? "",
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    client_id: client.client_id,
  })).json();
  const call = () =>
    r.app.request("/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${tokens.access_token}` },
      body: JSON.stringify(initializeRequest()),
    });
  const before = await call();
  assert.equal(before.status, 200);
  await before.body?.cancel();
  const [grant] = await r.services.store.oauth.listGrants();
  assert.equal(grant.client_name, "Test Client");
  assert.equal(grant.approved_by, "admin");
  assert.equal(await oauthVerb(["grants"], r.services), 0);
  assert.equal(await oauthVerb(["revoke", grant.id], r.services), 0);
  const after = await call();
  assert.equal(after.status, 401);
  await after.body?.cancel();
  assert.equal(await r.services.store.oauth.getConsent(client.client_id), null);
  const audit = await r.services.store.listAudit();
  assert.ok(audit.some((e) => e.action === "oauth.revoke" && e.actor === "cli"));
  assert.ok(audit.some((e) => e.action === "oauth.approve" && e.actor === "admin"));
  await assert.rejects(() => oauthVerb(["revoke", "nope"], r.services), /no OAuth grant/);
});

/** Resolves with how the stream ended ("closed" or "open" after `ms`). */
function streamEnd(body: ReadableStream<Uint8Array>, ms: number): Promise<"closed" | "open"> {
  const reader = body.getReader();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve("open");
      reader.cancel().catch(() => {});
    }, ms);
    (async () => {
      try {
        while (!(await reader.read()).done) { /* keep reading */ }
      } catch {
        // reset counts as closed
      }
      clearTimeout(timer);
      resolve("closed");
    })();
  });
}

Deno.test("OAuth - revoking a grant ends its open /sse stream at once", async () => {
  await using r = await tmpRouter();
  await createApiKey(r.services.store, "someone");
  const cookie = `mcpr_session=${await createUiSession(r.services.store, "admin")}`;
  const client = await registerClient(r.app);
  const { verifier, challenge } = pkcePair();
  const back = await approveConsent(r.app, authorizeQuery(client.client_id, challenge), cookie);
  const tokens = await (await postForm(r.app, "/oauth/token", {
    grant_type: "authorization_code",
    code: back.searchParams.get("code") ?? "",
    code_verifier: verifier,
    client_id: client.client_id,
  })).json();
  const sse = await r.app.request("/sse", {
    headers: { authorization: `Bearer ${tokens.access_token}`, accept: "text/event-stream" },
  });
  assert.equal(sse.status, 200);
  const [grant] = await r.services.store.oauth.listGrants();
  const ended = streamEnd(sse.body!, 3_000);
  await new Promise((res) => setTimeout(res, 100));
  await revokeGrantById(r.services.store, grant.id, "admin");
  assert.equal(await ended, "closed");
});

Deno.test("OAuth - the grants page lists clients and revokes with the CSRF token", async () => {
  await using r = await tmpRouter();
  await createApiKey(r.services.store, "someone");
  const cookie = `mcpr_session=${await createUiSession(r.services.store, "admin")}`;
  const client = await registerClient(r.app, { client_name: "Claude" });
  const { verifier, challenge } = pkcePair();
  const back = await approveConsent(r.app, authorizeQuery(client.client_id, challenge), cookie);
  await (await postForm(r.app, "/oauth/token", {
    grant_type: "authorization_code",
    code: back.searchParams.get("code") ?? "",
    code_verifier: verifier,
    client_id: client.client_id,
  })).body?.cancel();
  const noLogin = await r.app.request("/oauth/grants");
  assert.equal(noLogin.status, 303, "the page needs the admin login");
  const page = await r.app.request("/oauth/grants", { headers: { cookie } });
  assert.equal(page.status, 200);
  const { token } = await csrfOf(page.clone());
  const html = await page.text();
  assert.match(html, /Claude/);
  const [grant] = await r.services.store.oauth.listGrants();
  const revoke = (withToken: boolean) =>
    r.app.request(`/oauth/grants/${grant.id}/revoke`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(withToken ? { _csrf: token } : {}),
    });
  assert.equal((await revoke(false)).status, 403);
  assert.equal((await revoke(true)).status, 303);
  assert.ok((await r.services.store.oauth.getGrant(grant.id))?.revoked_at);
});

Deno.test("OAuth - serve refuses the test mode when listening beyond loopback", async () => {
  await using tmp = await withTmpDir();
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      new URL("../../../deno.json", import.meta.url).pathname,
      new URL("../../../main.ts", import.meta.url).pathname,
      "serve",
    ],
    env: {
      MCP_ROUTER_DATA: tmp.path,
      MCP_ROUTER_HOST: "0.0.0.0",
      MCP_ROUTER_PORT: "0",
      MCP_ROUTER_PODMAN_SOCKET: `${tmp.path}/none.sock`,
      MCP_ROUTER_OAUTH_TEST_CLIENT: "conformance",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(child.code, 1);
  assert.match(new TextDecoder().decode(child.stderr), /beyond loopback/);
});
