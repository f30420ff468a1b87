/**
 * Browser test of the plan form sized to the plan, in Debian's Chromium through
 * `playwright-core` against the real router app: an `npx:` plan shows its own launch fields with
 * the rest under "Advanced" (regrouped when the runtime changes), no empty env row, a row marked
 * Secret turns into a password field at once, the Key column is wide enough, the blue Save
 * button has a visible focus ring, few Tabs reach Save, a failed save moves focus to the error
 * summary, and at 390 px the verify checkbox stays beside its label. Screenshots at 1280 and
 * 390 px go to `tests/.artifacts/screenshots/`.
 */
import assert from "node:assert/strict";
import { chromium, type Page } from "playwright-core";
import { quietLogs } from "../helpers.ts";
import { CHROMIUM, hasChromium, LAUNCH_ARGS, shoot, startUiRouter } from "./browser.ts";

/**
 * Tab stops from the top of the page (the first link, the skip link, counts as one) until the
 * element matching `selector` has focus.
 */
async function tabsTo(page: Page, selector: string, limit = 60): Promise<number> {
  await page.evaluate(() => document.querySelector<HTMLElement>("a[href]")?.focus());
  for (let i = 2; i <= limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
      return i;
    }
  }
  return Infinity;
}

Deno.test({
  name: "UI - the plan form is sized to the plan and keyboard friendly",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    quietLogs();
    const router = await startUiRouter({ npmRegistryUrl: "off" });
    const { url } = router;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));

      // 390 px: the verify checkbox stays on the row of its label.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${url}/servers/new`);
      const box = (await page.locator("#f-verify").boundingBox())!;
      const label = (await page.locator('label[for="f-verify"]').boundingBox())!;
      assert.ok(label.x > box.x + box.width - 1, "label right of the checkbox");
      assert.ok(label.y < box.y + box.height && box.y < label.y + label.height, "same row");
      await page.setViewportSize({ width: 1280, height: 900 });

      await page.getByLabel("Source").fill("npx:@modelcontextprotocol/server-everything");
      await page.getByRole("button", { name: "Analyze" }).click();
      await page.getByRole("heading", { name: "Review the plan" }).waitFor();

      // npx: package, command, args up front; image, URL, lifecycle folded under Advanced.
      for (const id of ["#f-package", "#f-command", "#f-args"]) {
        assert.ok(await page.locator(id).isVisible(), `${id} up front`);
      }
      for (const id of ["#f-image", "#f-url", "#f-port", "#f-lifecycle", "#f-network"]) {
        assert.ok(!(await page.locator(id).isVisible()), `${id} folded`);
      }
      assert.equal(await page.locator("#env-rows tr").count(), 0, "no empty env row");
      assert.ok(await page.locator(".env-none").isVisible());
      await shoot(page, "plan-form-npx");

      // Switching the runtime regroups the fields (values kept).
      await page.selectOption("#f-runtime", "image");
      assert.ok(await page.locator("#f-image").isVisible(), "image up front for image");
      assert.ok(!(await page.locator("#f-package").isVisible()), "package folded for image");
      await page.selectOption("#f-transport", "http");
      assert.ok(await page.locator("#f-port").isVisible(), "port up front over http");
      await page.selectOption("#f-transport", "stdio");
      await page.selectOption("#f-runtime", "npx");
      assert.ok(await page.locator("#f-package").isVisible());

      // Add a variable; ticking Secret makes its value a password field at once.
      await page.getByRole("button", { name: "Add variable" }).click();
      await page.locator("#env-rows tr").first().waitFor();
      assert.ok(!(await page.locator(".env-none").isVisible()));
      const row = page.locator("#env-rows tr").first();
      const value = row.locator("input[name$='.value']");
      assert.equal(await value.getAttribute("type"), "text");
      await row.locator("input[name$='.secret']").check();
      assert.equal(await value.getAttribute("type"), "password");
      await row.locator("input[name$='.secret']").uncheck();
      assert.equal(await value.getAttribute("type"), "text");
      // The Key column holds a long key without cutting it off.
      const key = row.locator("input[name$='.key']");
      await key.fill("GITHUB_PERSONAL_ACCESS_TOKEN");
      const fits = await key.evaluate((el) => el.scrollWidth <= el.clientWidth);
      assert.ok(fits, "a 28-character key fits its field");
      await shoot(page, "plan-form-secret-row");

      // Save: a clear 3 px focus ring, reached in few Tabs.
      const save = 'button[value="save"]';
      const tabs = await tabsTo(page, save);
      console.log(`Tabs from the top of the page to Save: ${tabs}`);
      assert.ok(tabs <= 26, `${tabs} Tabs to reach Save`);
      const ring = await page.locator(save).evaluate((el) => {
        const s = getComputedStyle(el);
        return { width: s.outlineWidth, style: s.outlineStyle };
      });
      assert.deepEqual(ring, { width: "3px", style: "solid" });

      // A failed save puts focus on the error summary.
      await page.locator("#f-name").fill("Bad Name!");
      await page.locator(save).click();
      await page.locator("#plan-errors").waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), "plan-errors");
      await shoot(page, "plan-form-error-focus");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await router.close();
    }
  },
});
