/**
 * @module The router as an OAuth client of a real OAuth-protected MCP server: a second router
 * (its embedded authorization server and its `/mcp`, which needs a token once a key exists) is
 * added as a remote server. The test of it says `needs authorization`; the admin's Authorize
 * button redirects to the downstream's authorization endpoint, its consent page is approved
 * (signed in there), and the callback finishes the exchange; a tool call then goes through; a
 * spoilt access token is refreshed with the refresh token; a second principal (an API key over
 * `/mcp`) without its own authorization is told the URL to open, and once it is opened its calls
 * go through; in shared mode everyone needs the one shared token; the Client ID Metadata
 * Document is public.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { csrfOf, quietLogs, serveRouterInProcess } from "../helpers.ts";
import { approveOnRouter } from "../conformance/headless_authorize.ts";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { createUiSession } from "../../server/auth/ui_sessions.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { ADMIN_PRINCIPAL } from "../../server/downstream_auth/principal.ts";

async function router(extra: Record<string, unknown> = {}) {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-ds-oauth-" });
  const settings = loadSettings({ HOME: dataDir }, {
    dataDir,
    podmanSocket: `${dataDir}/none.sock`,
    ...extra,
  });
  const served = await serveRouterInProcess(settings);
  return {
    ...served,
    async [Symbol.asyncDispose]() {
      await served[Symbol.asyncDispose]();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

/** The text of a tool result. */
function text(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}

Deno.test({
  name:
    "Downstream OAuth - needs authorization, Authorize, a tool call, refresh, a second principal",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    quietLogs();
    await using down = await router();
    await createApiKey(down.services.store, "gate"); // its /mcp now wants a token
    const downCookie = `mcpr_session=${await createUiSession(down.services.store, "admin")}`;
    await using up = await router({ allowedRemoteHosts: "127.0.0.1" });
    const upOrigin = up.url.origin;
    const store = up.services.store;
    const server = await store.createServer(PlanSchema.parse({
      name: "down",
      runtime: "remote",
      transport: "http",
      url: down.url.href,
    }));

    // 1. A test says what is wrong; health is needs_setup with needs_authorization.
    const report = await up.services.runtime.test(server, {});
    assert.equal(report.ok, false);
    assert.equal(report.needs_authorization, true);
    assert.match(
      report.error ?? "",
      /down needs authorization: open http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?/,
    );
    const listed = await (await fetch(`${upOrigin}/api/servers/down`)).json();
    assert.equal(listed.health.status, "needs_setup");
    assert.equal(listed.health.needs_authorization, true);
    const page = await fetch(`${upOrigin}/servers/${server.id}`);
    const { token, cookie } = await csrfOf(page.clone());
    const html = await page.text();
    assert.match(html, /Needs authorization/);
    assert.match(html, /main\.ts auth down/);

    // 2. Authorize: the button redirects to the downstream's authorization endpoint.
    const started = await fetch(`${upOrigin}/servers/${server.id}/authorize`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: upOrigin },
      body: new URLSearchParams({ _csrf: token }),
      redirect: "manual",
    });
    await started.body?.cancel();
    assert.equal(started.status, 200, "a page that goes on (a form may not redirect off-site)");
    const authorizeUrl = /^0; url=(.+)$/.exec(started.headers.get("refresh") ?? "")?.[1] ?? "";
    assert.ok(authorizeUrl.startsWith(`${down.url.origin}/oauth/authorize?`), authorizeUrl);
    assert.equal(new URL(authorizeUrl).searchParams.get("code_challenge_method"), "S256");
    const back = await approveOnRouter(authorizeUrl, downCookie);
    assert.equal(back.pathname, "/oauth/downstream/callback");
    const done = await fetch(`${upOrigin}${back.pathname}${back.search}`);
    assert.equal(done.status, 200);
    assert.match(await done.text(), /now holds a token for down/);
    const again = await fetch(`${upOrigin}${back.pathname}${back.search}`);
    assert.equal(again.status, 400, "a callback works once");
    await again.body?.cancel();
    const sealed = await store.downstreamAuth.getTokens(server.id, ADMIN_PRINCIPAL);
    assert.ok(sealed?.access_token.startsWith("mcpo_"));
    assert.ok(sealed?.refresh_token?.startsWith("mcpor_"));
    for (let i = 0; i < 50; i++) { // the callback tests the server again in the background
      const health = (await store.getServer(server.id)).health;
      if (health?.ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await store.getServer(server.id)).health?.ok, true);

    // 3. A tool call of the admin (stdio / UI principal) goes through the downstream.
    const call = async (principal: string) => {
      const session = up.services.hub.open({ principal });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await session.server.connect(serverSide);
      const client = new Client({ name: "t", version: "1" });
      await client.connect(clientSide);
      try {
        return await client.callTool({
          name: "down",
          arguments: { tool: "find_tools", arguments: { query: "anything" } },
        });
      } finally {
        await client.close();
        await session.close();
      }
    };
    const ok = await call(ADMIN_PRINCIPAL);
    assert.ok(!ok.isError, text(ok));

    // 4. A token the downstream no longer takes is refreshed with the refresh token.
    await store.downstreamAuth.putTokens(server.id, ADMIN_PRINCIPAL, {
      ...sealed!,
      access_token: "mcpo_spoilt",
    });
    const refreshed = await call(ADMIN_PRINCIPAL);
    assert.ok(!refreshed.isError, text(refreshed));
    const now = await store.downstreamAuth.getTokens(server.id, ADMIN_PRINCIPAL);
    assert.notEqual(now?.access_token, "mcpo_spoilt");
    assert.notEqual(now?.refresh_token, sealed?.refresh_token, "the refresh token rotated");

    // 5. Another principal (an API key over /mcp) has no token of its own: it is told the URL.
    const { key } = await createApiKey(store, "bob");
    const client = new Client({ name: "bob", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(up.url, {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    const bobCall = () =>
      client.callTool({
        name: "down",
        arguments: { tool: "find_tools", arguments: { query: "anything" } },
      });
    try {
      const refused = await bobCall();
      assert.equal(refused.isError, true);
      const told =
        /down needs authorization: open (http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/
          .exec(text(refused));
      assert.ok(told, text(refused));
      const owners = (await store.downstreamAuth.listTokenOwners(server.id)).map((o) => o.owner);
      assert.deepEqual(owners, [ADMIN_PRINCIPAL], "bob's call saved no token");

      // 6. Bob opens that URL (his own downstream account: here the same admin approves), the
      // callback stores his token, and his calls go through.
      const bobBack = await approveOnRouter(told[1], downCookie);
      const bobDone = await fetch(`${upOrigin}${bobBack.pathname}${bobBack.search}`);
      assert.match(await bobDone.text(), /for your key/);
      const bobOk = await bobCall();
      assert.ok(!bobOk.isError, text(bobOk));
      assert.equal((await store.downstreamAuth.listTokenOwners(server.id)).length, 2);

      // 7. Shared: everyone uses the one shared token (which nobody holds yet).
      await store.downstreamAuth.putConfig(server.id, { mode: "shared", client_id: null });
      const shared = await call(ADMIN_PRINCIPAL);
      assert.equal(shared.isError, true);
      assert.match(text(shared), /needs authorization: open/);
    } finally {
      await client.close();
    }

    // The router's Client ID Metadata Document is public.
    const cimd = await fetch(`${upOrigin}/oauth/downstream/client-metadata.json`);
    assert.equal(cimd.status, 200);
    const doc = await cimd.json();
    assert.equal(
      doc.client_id,
      `http://127.0.0.1:${up.services.settings.port}/oauth/downstream/client-metadata.json`,
    );
    assert.deepEqual(doc.redirect_uris, [
      `http://127.0.0.1:${up.services.settings.port}/oauth/downstream/callback`,
    ]);
  },
});
