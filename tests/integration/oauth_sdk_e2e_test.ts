/**
 * End to end as a user adds the router to an OAuth MCP client: an SDK v2 client with its OAuth
 * provider gets 401 from `/mcp`, discovers the resource and authorization server metadata,
 * registers through DCR (`/oauth/register`: the provider names no metadata document URL), sends
 * the user's browser (real Chromium) to the authorization endpoint — the admin signs in and
 * approves on the consent page — redeems the code, lists and calls a tool; revoking the grant
 * stops it at the next request.
 *
 * Registration by Client ID Metadata Document (what current clients use) is the sibling
 * `oauth_cimd_e2e_test.ts`: the document is served over loopback HTTPS with a throwaway CA that
 * the router subprocess trusts. The helpers both use are in `oauth_e2e_helpers.ts`.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { setAdminPassword } from "../../server/auth/admin_password.ts";
import { revokeGrantById } from "../../server/oauth/grants.ts";
import { quietLogs, serveRouterInProcess, withTmpDir } from "../helpers.ts";
import { CHROMIUM, hasChromium, LAUNCH_ARGS } from "../ui/browser.ts";
import {
  MemoryProvider,
  recordingFetch,
  signInAndApprove,
  startCallback,
} from "./oauth_e2e_helpers.ts";

const PASSWORD = "correct horse battery";

Deno.test({
  name: "OAuth - an SDK client discovers, registers, is approved in Chromium, calls a tool" +
    (hasChromium ? "" : ` (ignored: Chromium is not installed at ${CHROMIUM})`),
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

    await using callback = startCallback();
    const provider = new MemoryProvider(callback.url);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const sdk = recordingFetch();
      const first = new StreamableHTTPClientTransport(router.url, {
        authProvider: provider,
        fetch: sdk.fetch,
      });
      const client = new Client({ name: "e2e", version: "1" });
      await assert.rejects(() => client.connect(first), UnauthorizedError);
      assert.ok(provider.info?.client_id, "registered through DCR");
      assert.ok(sdk.requests.includes("POST /oauth/register"), sdk.requests.join(", "));
      const url = provider.authorizationUrl;
      assert.ok(url, "the SDK asked to open the browser");
      assert.equal(url.searchParams.get("resource"), router.url.href);
      assert.equal(url.searchParams.get("code_challenge_method"), "S256");

      // the user's browser: sign in, approve on the consent page
      const page = await browser.newPage();
      const { signedIn, consent } = await signInAndApprove(page, url, PASSWORD);
      assert.ok(signedIn, "sent to /login?next= first");
      assert.match(consent, /SDK E2E Client/);
      const back = await callback.received;
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
    }
  },
});
