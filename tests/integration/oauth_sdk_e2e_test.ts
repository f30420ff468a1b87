/**
 * End to end as a user adds the router to an OAuth MCP client: an SDK v2 client with its OAuth
 * provider gets 401 from `/mcp`, discovers the resource and authorization server metadata,
 * registers through DCR, sends the user's browser (real Chromium) to the authorization endpoint —
 * the admin signs in and approves on the consent page — redeems the code, lists and calls a tool;
 * revoking the grant stops it at the next request.
 *
 * (Client ID Metadata Documents are not used here: SDK 2.4.0 accepts only `https` metadata URLs,
 * and a loopback HTTPS document would need a test CA the router trusts; the router side of CIMD
 * is covered by `tests/server/oauth/cimd_test.ts`.)
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import {
  Client,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { setAdminPassword } from "../../server/auth/admin_password.ts";
import { revokeGrantById } from "../../server/oauth/grants.ts";
import { quietLogs, serveRouterInProcess, withTmpDir } from "../helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
const PASSWORD = "correct horse battery";

/** An in-memory OAuth provider whose "browser" is whatever the test does with the URL. */
class MemoryProvider implements OAuthClientProvider {
  info?: StoredOAuthClientInformation;
  stored?: StoredOAuthTokens;
  verifier = "";
  authorizationUrl?: URL;
  discovery?: OAuthDiscoveryState;
  constructor(readonly redirect: string) {}
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "SDK E2E Client",
      redirect_uris: [this.redirect],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: StoredOAuthClientInformation) {
    this.info = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  state() {
    return "e2e-state";
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

Deno.test({
  name: "OAuth - an SDK client discovers, registers, is approved in Chromium, calls a tool",
  ignore: !hasChromium,
  async fn() {
    quietLogs();
    await using tmp = await withTmpDir();
    const settings = loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: `${tmp.path}/no-podman.sock`,
    });
    await using router = await serveRouterInProcess(settings);
    const store = router.services.store;
    await createApiKey(store, "someone"); // keys exist: /mcp needs a credential
    await setAdminPassword(store, PASSWORD);

    const callback = Promise.withResolvers<URL>();
    const cb = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
      callback.resolve(new URL(req.url));
      return new Response("You can close this window.");
    });
    const provider = new MemoryProvider(`http://127.0.0.1:${cb.addr.port}/callback`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    try {
      const first = new StreamableHTTPClientTransport(router.url, { authProvider: provider });
      const client = new Client({ name: "e2e", version: "1" });
      await assert.rejects(() => client.connect(first), UnauthorizedError);
      assert.ok(provider.info?.client_id, "registered through DCR");
      const url = provider.authorizationUrl;
      assert.ok(url, "the SDK asked to open the browser");
      assert.equal(url.searchParams.get("resource"), router.url.href);
      assert.equal(url.searchParams.get("code_challenge_method"), "S256");

      // the user's browser: sign in, approve on the consent page
      const page = await browser.newPage();
      await page.goto(url.href);
      assert.match(page.url(), /\/login\?next=/);
      await page.fill("#password", PASSWORD);
      await page.click("button[type=submit]");
      await page.waitForSelector("#oauth-consent");
      assert.match(await page.textContent("#oauth-consent") ?? "", /SDK E2E Client/);
      await page.click("button[value=approve]");
      const back = await callback.promise;
      assert.equal(back.searchParams.get("state"), "e2e-state");
      assert.equal(back.searchParams.get("iss"), router.url.origin);

      const transport = new StreamableHTTPClientTransport(router.url, { authProvider: provider });
      await transport.finishAuth(back.searchParams);
      assert.match(provider.stored?.access_token ?? "", /^mcpo_/);
      const authed = new Client({ name: "e2e", version: "1" });
      await authed.connect(transport);
      const tools = await authed.listTools();
      assert.ok(tools.tools.some((t) => t.name === "find_tools"), JSON.stringify(tools.tools));
      const result = await authed.callTool({ name: "find_tools", arguments: { query: "weather" } });
      assert.ok(!result.isError, JSON.stringify(result));

      // revoke the grant: the next request is refused at once
      const [grant] = await store.oauth.listGrants();
      await revokeGrantById(store, grant.id, "admin");
      await assert.rejects(() => authed.listTools());
      await authed.close();
    } finally {
      await browser.close();
      await cb.shutdown();
    }
  },
});
