/**
 * Browser test of the `needs_setup` state: the real router app on a random port, Debian's
 * Chromium through `playwright-core`. A server missing a required env value shows an amber
 * "Needs setup" badge that links to its env form; setting the value there clears it. Screenshots
 * at 1280 px and 390 px go to `tests/.artifacts/screenshots/`.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { PlanSchema } from "../../server/schemas/server.ts";
import { planFromSource } from "../../server/analyzer/source_plan.ts";
import { quietLogs } from "../helpers.ts";
import { CHROMIUM, hasChromium, LAUNCH_ARGS, shoot, startUiRouter } from "./browser.ts";

Deno.test({
  name: "UI - a server missing a required value shows an amber Needs setup badge to its env form",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    quietLogs();
    const router = await startUiRouter();
    const { services, url } = router;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const record = await services.store.createServer(PlanSchema.parse({
        ...planFromSource("npx:@modelcontextprotocol/server-github"),
        name: "github",
        env: [{ key: "GITHUB_TOKEN", description: "A personal access token", required: true }],
      }));
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${url}/`);
      const badge = page.locator('tr[data-server="github"] a.dot-setup');
      assert.equal((await badge.textContent())?.trim(), "Needs setup: set GITHUB_TOKEN");
      // Amber: the warning colour, not the ok green or the failure red.
      const colour = await badge.evaluate((el) => getComputedStyle(el).color);
      const warn = await page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue("--warn").trim()
      );
      assert.ok(warn, "the stylesheet defines --warn");
      const probe = await page.evaluate((c) => {
        const el = document.createElement("span");
        el.style.color = c;
        document.body.append(el);
        const rgb = getComputedStyle(el).color;
        el.remove();
        return rgb;
      }, warn);
      assert.equal(colour, probe, "the badge is drawn in the warning (amber) colour");
      await shoot(page, "needs-setup-servers");

      await badge.click();
      await page.waitForURL(new RegExp(`/servers/${record.id}#env$`));
      assert.match(
        (await page.locator("#server-health .dot-setup").textContent()) ?? "",
        /Needs setup: set GITHUB_TOKEN/,
      );
      await shoot(page, "needs-setup-server");

      await page.fill('input[name="value.GITHUB_TOKEN"]', "ghp_not_a_real_token");
      await page.click('#env button[type="submit"]');
      await page.waitForURL(/msg=env/);
      assert.equal(await page.locator(".dot-setup").count(), 0, "set: no longer needs setup");
      assert.equal(
        await page.locator("#server-health [data-status]").getAttribute("data-status"),
        "untested",
      );
      await page.goto(`${url}/`);
      assert.equal(await page.locator(".dot-setup").count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await router.close();
    }
  },
});
