/**
 * End to end as a current MCP client adds the router: an SDK v2 client whose OAuth provider
 * names a Client ID Metadata Document (`clientMetadataUrl`) gets 401 from `/mcp`, discovers the
 * resource and authorization server metadata (which advertises
 * `client_id_metadata_document_supported`), identifies itself by that URL instead of registering
 * (no `/oauth/register` request), and sends the user's browser (real Chromium) to the
 * authorization endpoint; the router fetches the document over HTTPS through its SSRF-checked
 * outbound fetch, and the consent page names the client as the document does. The code is
 * redeemed, a tool is called, and revoking the grant on `/oauth/grants` refuses the next request.
 *
 * The document is served over real TLS from loopback: `openssl` makes a throwaway CA and a leaf
 * certificate for `127.0.0.1` at test time (SDK 2.4.0 accepts only `https` metadata URLs). The
 * router's outbound fetch uses Deno's trust store (`DENO_TLS_CA_STORE`, plus `DENO_CERT`;
 * `MCP_ROUTER_CA_BUNDLE` is what containers get), so the router runs as a subprocess started
 * with `DENO_CERT` = that CA. Loopback stays refused by the SSRF guard while API keys exist,
 * except for hosts the admin lists: the router gets `MCP_ROUTER_ALLOWED_REMOTE_HOSTS=127.0.0.1`,
 * an ordinary setting, unset by default. No test mode is on. Ignored (the name says why) without
 * `openssl` or Chromium. The DCR path is `oauth_sdk_e2e_test.ts`.
 */
import assert from "node:assert/strict";
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { setAdminPassword } from "../../server/auth/admin_password.ts";
import { KvStore } from "../../server/store/kv_store.ts";
import { startRouter } from "../router_process.ts";
import { makeTestCa, OPENSSL } from "../test_ca.ts";
import { CHROMIUM, hasChromium, withBrowser } from "../ui/browser.ts";
import { withTmpDir } from "../helpers.ts";
import {
  MemoryProvider,
  recordingFetch,
  signInAndApprove,
  startCallback,
} from "./oauth_e2e_helpers.ts";

const PASSWORD = "correct horse battery";
const DOCUMENT_NAME = "Loopback CIMD Client";
const SKIP = !OPENSSL
  ? "openssl is not installed"
  : !hasChromium
  ? `Chromium is not installed at ${CHROMIUM}`
  : null;

Deno.test({
  name: "OAuth - an SDK client identifies by a metadata document over loopback HTTPS" +
    (SKIP ? ` (ignored: ${SKIP})` : ""),
  ignore: SKIP !== null,
  async fn() {
    await using tmp = await withTmpDir();
    const ca = await makeTestCa(tmp.path);
    await using callback = startCallback();

    // the client's metadata document, on loopback HTTPS signed by the throwaway CA
    const documentFetches: string[] = [];
    const docServer = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      cert: ca.cert,
      key: ca.key,
      onListen() {},
    }, (req) => {
      documentFetches.push(`${req.method} ${new URL(req.url).pathname}`);
      return Response.json({
        client_id: req.url,
        client_name: DOCUMENT_NAME,
        redirect_uris: [callback.url],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
      });
    });
    const metadataUrl = `https://127.0.0.1:${docServer.addr.port}/clients/e2e/client.json`;

    const data = `${tmp.path}/data`;
    const seed = await KvStore.open({ dataDir: data });
    await createApiKey(seed, "someone"); // keys exist: /mcp needs a credential, loopback refused
    await setAdminPassword(seed, PASSWORD);
    seed.close();
    const router = await startRouter(data, undefined, {
      env: {
        HOME: tmp.path,
        DENO_TLS_CA_STORE: "system",
        DENO_CERT: ca.caFile,
        MCP_ROUTER_ALLOWED_REMOTE_HOSTS: "127.0.0.1",
      },
    });
    const mcp = new URL(`${router.base}/mcp`);
    try {
      const asMeta = await (await fetch(`${router.base}/.well-known/oauth-authorization-server`))
        .json();
      assert.equal(asMeta.client_id_metadata_document_supported, true);

      const provider = new MemoryProvider(callback.url, {
        clientMetadataUrl: metadataUrl,
        clientName: "name the SDK would register (unused with CIMD)",
      });
      const sdk = recordingFetch();
      const first = new StreamableHTTPClientTransport(mcp, {
        authProvider: provider,
        fetch: sdk.fetch,
      });
      await assert.rejects(() => new Client({ name: "e2e", version: "1" }).connect(first), {
        name: UnauthorizedError.name,
      });
      assert.equal(
        provider.discovery?.authorizationServerMetadata?.client_id_metadata_document_supported,
        true,
        "the SDK saw CIMD advertised",
      );
      assert.equal(provider.info?.client_id, metadataUrl, "the SDK chose CIMD");
      const url = provider.authorizationUrl;
      assert.ok(url, "the SDK asked to open the browser");
      assert.equal(url.searchParams.get("client_id"), metadataUrl);
      assert.equal(url.searchParams.get("resource"), mcp.href);

      await withBrowser(async (browser) => {
        const page = await browser.newPage();
        const { signedIn, consent } = await signInAndApprove(page, url, PASSWORD);
        assert.ok(signedIn, "the admin signed in first");
        assert.match(consent, new RegExp(DOCUMENT_NAME), "the name comes from the document");
        assert.doesNotMatch(consent, /unused with CIMD/);
        const back = await callback.received;
        assert.equal(back.searchParams.get("state"), "e2e-state");
        assert.equal(back.searchParams.get("iss"), router.base);
        assert.ok(
          documentFetches.includes("GET /clients/e2e/client.json"),
          `the router fetched the document: ${documentFetches.join(", ")}\n${router.output()}`,
        );

        const transport = new StreamableHTTPClientTransport(mcp, {
          authProvider: provider,
          fetch: sdk.fetch,
        });
        await transport.finishAuth(back.searchParams);
        const token = provider.stored?.access_token ?? "";
        assert.match(token, /^mcpo_/);
        const authed = new Client({ name: "e2e", version: "1" });
        await authed.connect(transport);
        const result = await authed.callTool({ name: "find_tools", arguments: { query: "x" } });
        assert.ok(!result.isError, JSON.stringify(result));
        assert.ok(
          !sdk.requests.some((r) => r.endsWith("/register")),
          `no registration request: ${sdk.requests.join(", ")}`,
        );
        assert.ok(sdk.requests.includes("POST /oauth/token"), sdk.requests.join(", "));

        // revoke on the grants page: the next request is refused at once
        await page.goto(`${router.base}/oauth/grants`);
        assert.match(await page.textContent("#oauth-grants") ?? "", new RegExp(DOCUMENT_NAME));
        await page.click("#oauth-grants button.danger");
        await page.waitForURL(/\/oauth\/grants$/);
        assert.match(await page.textContent("#oauth-grants") ?? "", /revoked/);
        await assert.rejects(() => authed.listTools());
        const raw = await fetch(mcp, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        });
        await raw.body?.cancel();
        assert.equal(raw.status, 401);
        await authed.close();
      });
    } finally {
      await router.stop();
      await docServer.shutdown();
    }
  },
});
