/**
 * Browser test of the Activity page: the real router app on a random port, Debian's Chromium
 * through `playwright-core`. Filters and "Older" work without JavaScript; a failed call shows its
 * error; times show in the browser's zone with the zone named; an idle stop's exit 143 reads
 * "stopped"; at 390 px the rows are compact cards with no horizontal scroll. Screenshots at
 * 1280 px and 390 px go to `tests/.artifacts/screenshots/`.
 */
import assert from "node:assert/strict";
import { type Browser, chromium } from "playwright-core";
import type { RouterServices } from "../../server/composition/wiring.ts";
import { quietLogs } from "../helpers.ts";
import { CHROMIUM, hasChromium, LAUNCH_ARGS, shoot, startUiRouter } from "./browser.ts";

async function seed(services: RouterServices): Promise<void> {
  const { store } = services;
  for (let i = 0; i < 70; i++) {
    const failed = i % 5 === 0;
    await store.appendAudit({
      actor: ["local", "admin", "key:laptop", "oauth:Claude"][i % 4],
      action: i % 7 === 0 ? "server.update" : "tool.call",
      target: i % 2 ? "brave-search-with-a-rather-long-server-name" : "github",
      outcome: failed ? "error" : "ok",
      duration_ms: 120 + i,
      details: {
        tool: "search",
        session: `session-${i}`,
        ...(failed
          ? {
            error: `Brave API error 422: the query parameter is invalid #${i}` +
              (i % 10 === 0 ? `\n${"stack line ".repeat(40)}` : ""),
          }
          : {}),
      },
    });
  }
  const base = {
    client_session: "c",
    server_id: "i",
    container_id: "0123456789abcdef",
    started_at: "2026-12-01T14:00:00Z",
    stopped_at: "2026-12-01T14:10:00Z",
    error: null,
  };
  await store.putSession({
    ...base,
    id: "0000000001-aaaaaaaa",
    server_name: "github",
    exit_code: 143,
    stop_reason: "idle",
  });
  await store.putSession({
    ...base,
    id: "0000000002-aaaaaaaa",
    server_name: "brave",
    exit_code: 1,
    stop_reason: "crashed",
    error: "exited during start-up (code 1): BRAVE_API_KEY environment variable is required",
  });
}

Deno.test({
  name: "UI - Activity: filters and paging without JS, errors, zones, stops, compact at 390 px",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    quietLogs();
    const router = await startUiRouter();
    const { services, url } = router;
    let browser: Browser | null = null;
    try {
      await seed(services);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });

      // Without JavaScript: the filter form and the Older link are plain GETs.
      const noJs = await browser.newPage({ javaScriptEnabled: false });
      await noJs.goto(`${url}/activity`);
      assert.equal(await noJs.locator("#audit tbody tr").count(), 50);
      await noJs.getByLabel("Outcome").selectOption("error");
      await noJs.getByLabel("Kind").selectOption("tools");
      await noJs.getByRole("button", { name: "Filter" }).click();
      await noJs.waitForURL(/outcome=error/);
      assert.match(noJs.url(), /kind=tools/);
      const errorRows = noJs.locator("#audit tbody tr");
      const errorCount = await errorRows.count();
      assert.ok(errorCount > 0 && errorCount < 50);
      assert.equal(await noJs.locator("#audit .tag-ok").count(), 0);
      assert.match(
        (await noJs.locator("#audit .audit-error").first().textContent()) ?? "",
        /Brave API error 422/,
      );
      await noJs.goto(`${url}/activity?actor=admin`);
      const actors = await noJs.locator("#audit td.actor").allTextContents();
      assert.ok(actors.length > 0 && actors.every((a) => a === "you (local admin)"), "one name");
      await noJs.goto(`${url}/activity`);
      await noJs.getByRole("link", { name: "Older entries" }).click();
      await noJs.waitForURL(/before=/);
      assert.equal(await noJs.locator("#audit tbody tr").count(), 20);
      await noJs.close();

      // With JavaScript, in Berlin: times in local time with the zone named.
      const context = await browser.newContext({ timezoneId: "Europe/Berlin" });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${url}/activity`);
      const started = page.locator("#sessions time").first();
      await page.waitForFunction(() =>
        document.querySelector("#sessions time")?.getAttribute("data-ready") === "1"
      );
      assert.equal(await started.getAttribute("datetime"), "2026-12-01T14:00:00Z");
      assert.match((await started.textContent()) ?? "", /^2026-12-01 15:00:00 (GMT\+1|CET)$/);
      assert.equal(await started.getAttribute("title"), "2026-12-01 14:00:00 UTC");
      const exits = await page.locator("#sessions td.exit").allTextContents();
      assert.ok(exits.some((t) => /^failed/.test(t)), exits.join(" | "));
      assert.ok(
        exits.some((t) => /^stopped exit 143 \(SIGTERM, idle\)/.test(t)),
        exits.join(" | "),
      );

      // 390 px: compact rows, nothing wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      const size = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        height: document.documentElement.scrollHeight,
      }));
      assert.ok(size.scroll <= size.client, `horizontal scroll at 390 px: ${JSON.stringify(size)}`);
      console.log(`activity page at 390 px: ${size.height} px tall (50 entries, 2 sessions)`);
      assert.ok(size.height < 8000, `too tall at 390 px: ${size.height}`);
      await page.setViewportSize({ width: 1280, height: 900 });
      await shoot(page, "activity");
      await page.goto(`${url}/activity?outcome=error`);
      await shoot(page, "activity-errors");
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser?.close();
      await router.close();
    }
  },
});
