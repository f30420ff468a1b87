/**
 * Browser test of authorizing a downstream server: a second router (its embedded authorization
 * server and `/mcp`, protected once a key exists) is a remote server of the router under test.
 * Its test leaves it "Needs authorization" (amber, in the list and on its page); Authorize on its
 * page takes Chromium to the downstream's consent page (signed in there), Approve comes back to
 * the router's callback, and the page then says the admin's token is saved. Screenshots at
 * 1280 px and 390 px go to `tests/.artifacts/screenshots/`.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { PlanSchema } from "../../server/schemas/server.ts";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { createUiSession } from "../../server/auth/ui_sessions.ts";
import { quietLogs, serveRouterInProcess, withTmpDir } from "../helpers.ts";
import { CHROMIUM, hasChromium, LAUNCH_ARGS, shoot, startUiRouter } from "./browser.ts";

Deno.test({
  name: "UI - Needs authorization, Authorize through the downstream's consent page, authorized",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    quietLogs();
    await using downDir = await withTmpDir();
    await using down = await serveRouterInProcess(loadSettings({ HOME: downDir.path }, {
      dataDir: downDir.path,
      podmanSocket: `${downDir.path}/none.sock`,
    }));
    await createApiKey(down.services.store, "gate");
    const session = await createUiSession(down.services.store, "admin");
    // `localhost` for the downstream, 127.0.0.1 for the router: cookies apart.
    const downOrigin = `http://localhost:${down.url.port}`;
    const router = await startUiRouter();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const { services, url } = router;
      const server = await services.store.createServer(PlanSchema.parse({
        name: "protected",
        runtime: "remote",
        transport: "http",
        url: `${downOrigin}/mcp`,
      }));
      const report = await services.runtime.test(server, {});
      assert.equal(report.needs_authorization, true, report.error ?? "");

      const context = await browser.newContext();
      await context.addCookies([{ name: "mcpr_session", value: session, url: downOrigin }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${url}/`);
      const badge = page.locator('tr[data-server="protected"] .dot-setup');
      assert.equal((await badge.textContent())?.trim(), "Needs authorization");
      await page.goto(`${url}/servers/${server.id}`);
      assert.match(await page.locator("#authorization").textContent() ?? "", /Not authorized yet/);
      await page.locator('#test button:has-text("Test")').click();
      await page.locator("#test-result .alert-title").waitFor();
      assert.match(await page.locator("#test-result").textContent() ?? "", /Needs authorization/);
      await shoot(page, "downstream-auth-needed");

      await page.locator('#authorization button:has-text("Authorize")').click();
      await page.waitForURL(new RegExp(`^${downOrigin}/oauth/authorize`));
      assert.match(await page.textContent("body") ?? "", /MCP Router \(protected\)/);
      await shoot(page, "downstream-auth-consent");
      await page.locator('button[value="approve"]').click();
      await page.waitForURL(new RegExp(`/oauth/downstream/callback`));
      assert.match(await page.textContent("body") ?? "", /now holds a token for protected/);
      await shoot(page, "downstream-auth-done");

      await page.goto(`${url}/servers/${server.id}#authorization`);
      assert.match(
        await page.locator("#authorization").textContent() ?? "",
        /Authorized: your \(admin\) token was saved/,
      );
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await router.close();
    }
  },
});
