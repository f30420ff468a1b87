/**
 * Browser test of Try-it at Inspector level on the real server-everything in a real container:
 * an empty required field is refused (by the browser, and by the router when the browser is
 * bypassed), progress shows live, an elicitation is answered in a form, a sampling request gets
 * a typed reply, the raw view and history show the JSON-RPC, an image shows at its natural size
 * and zooms, a resource is read and a prompt got with an argument. Screenshots at 1280 and
 * 390 px go to `tests/.artifacts/screenshots/`.
 *
 * Run: `MCP_ROUTER_PODMAN_SOCKET=… deno test -A tests/ui/try_it_ui_test.ts`.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { PlanSchema } from "../../server/schemas/server.ts";
import { planFromSource } from "../../server/analyzer/source_plan.ts";
import {
  CHROMIUM,
  hasChromium,
  hasPodman,
  podmanSocket,
  shoot,
  startUiRouter,
  withBrowser,
} from "./browser.ts";

if (!hasChromium) console.warn(`Try-it UI test skipped: no Chromium at ${CHROMIUM}`);
if (!hasPodman) console.warn("Try-it UI test skipped: set MCP_ROUTER_PODMAN_SOCKET");

/** The card of `tool`, opened. */
async function openTool(page: Page, tool: string): Promise<Locator> {
  const card = page.locator(`details.tool[data-tool='${tool}']`);
  await card.waitFor();
  if (!(await card.evaluate((el) => (el as HTMLDetailsElement).open))) {
    await card.locator(":scope > summary").click();
  }
  return card;
}

Deno.test({
  name:
    "UI - Try-it on server-everything: required, progress, elicitation, sampling, raw, image, resources, prompts",
  ignore: !hasChromium || !hasPodman,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const router = await startUiRouter({ podmanSocket });
    try {
      const server = await router.services.store.createServer(PlanSchema.parse({
        ...planFromSource("npx:@modelcontextprotocol/server-everything"),
        name: "everything",
      }));
      await withBrowser(async (browser) => {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        page.setDefaultTimeout(60_000);
        await page.goto(`${router.url}/servers/${server.id}`);
        await page.getByRole("button", { name: "Test", exact: true }).click();
        await page.locator("#test-result").getByText(/Test passed/).waitFor({ timeout: 600_000 });

        // 1. An empty required field: the browser refuses, and nothing is sent.
        const echo = await openTool(page, "echo");
        const message = echo.locator("[name='arg.message']");
        await message.fill("");
        await echo.getByRole("button", { name: /Run/ }).click();
        assert.equal(
          await message.evaluate((el) => (el as HTMLInputElement).validity.valueMissing),
          true,
        );
        await page.waitForTimeout(300);
        assert.equal(
          await echo.locator(".tool-result, .call").count(),
          0,
          "an empty field was sent",
        );
        // With the browser's check bypassed, the router refuses it, with the message at the field.
        await echo.locator("form.try-it").evaluate((
          f,
        ) => ((f as HTMLFormElement).noValidate = true));
        await echo.getByRole("button", { name: /Run/ }).click();
        await echo.getByText("Nothing was sent: message: required").waitFor();
        assert.equal(
          await echo.locator("[name='arg.message']").getAttribute("aria-invalid"),
          "true",
        );
        await shoot(page, "try-01-required-refused");
        const audited = (await router.services.store.listAudit()).filter((a) =>
          a.actor === "admin"
        );
        assert.equal(audited.length, 0, "the refused call reached the router");

        // 2. Progress, live: the bar moves before the result arrives.
        const long = await openTool(page, "trigger-long-running-operation");
        await long.locator("[name='arg.duration']").fill("6");
        await long.locator("[name='arg.steps']").fill("3");
        await long.getByRole("button", { name: /Run/ }).click();
        const progress = long.locator(".call-progress .progress-text");
        await progress.waitFor({ timeout: 120_000 });
        const seen = new Set<string>();
        const until = Date.now() + 60_000;
        while (Date.now() < until && (await long.locator(".call-done").count()) === 0) {
          const text = await progress.textContent({ timeout: 1_000 }).catch(() => null);
          if (text) seen.add(text.trim());
          if (seen.size === 1 && text) await shoot(page, "try-02-progress");
          await page.waitForTimeout(200);
        }
        await long.locator(".tool-result").getByText(/Long running operation completed/).waitFor();
        assert.ok([...seen].some((s) => /of 3/.test(s)), [...seen].join("|"));
        assert.ok(seen.size >= 2, `progress did not move: ${[...seen].join("|")}`);

        // 3. Elicitation: a form generated from the requested schema, answered.
        const elicit = await openTool(page, "trigger-elicitation-request");
        await elicit.getByRole("button", { name: /Run/ }).click();
        const ask = elicit.locator("form.input-elicitation");
        await ask.waitFor({ timeout: 120_000 });
        await ask.locator("[name='arg.name']").fill("Ada Lovelace");
        await ask.locator("[name='arg.email']").fill("ada@example.org");
        await shoot(page, "try-03-elicitation-form");
        await ask.getByRole("button", { name: "Submit" }).click();
        await elicit.locator(".tool-result").getByText(/User provided the requested information/)
          .waitFor();
        assert.match(await elicit.locator(".call-done").textContent() ?? "", /Name: Ada Lovelace/);
        await shoot(page, "try-04-elicitation-answered");

        // 4. Sampling: the request shown, a typed reply sent back as the model's.
        const sample = await openTool(page, "trigger-sampling-request");
        await sample.locator("[name='arg.prompt']").fill("Say hello");
        await sample.getByRole("button", { name: /Run/ }).click();
        const reply = sample.locator("form.input-sampling");
        await reply.waitFor({ timeout: 120_000 });
        assert.match(await reply.textContent() ?? "", /Say hello/);
        await reply.getByLabel(/Your reply/).fill("Hello from a person");
        await reply.getByRole("button", { name: "Send reply" }).click();
        await sample.locator(".tool-result").getByText(/LLM sampling result/).waitFor();
        assert.match(await sample.locator(".call-done").textContent() ?? "", /Hello from a person/);

        // 5. Raw request/response of a call.
        const raw = sample.locator(".call-done details.raw-messages");
        await raw.locator("summary").click();
        const rawText = await raw.textContent() ?? "";
        assert.match(rawText, /"method": "tools\/call"/);
        assert.match(rawText, /sampling\/createMessage/);
        assert.ok(!rawText.includes("dev.mcp-router/ui-call"));
        await shoot(page, "try-05-raw-view");

        // 6. An image at its natural size; a click zooms it.
        const tiny = await openTool(page, "get-tiny-image");
        await tiny.getByRole("button", { name: /Run/ }).click();
        const img = tiny.locator("img.result-image");
        await img.waitFor({ timeout: 120_000 });
        const size = await img.evaluate((el) => {
          const i = el as HTMLImageElement;
          return { natural: i.naturalWidth, shown: i.getBoundingClientRect().width };
        });
        assert.ok(size.natural > 0);
        assert.equal(Math.round(size.shown), size.natural, JSON.stringify(size));
        await tiny.locator("button.zoom").click();
        const zoomed = await img.evaluate((el) => el.getBoundingClientRect().width);
        assert.ok(zoomed >= size.natural * 4, `zoomed to ${zoomed}`);
        await shoot(page, "try-06-image-zoomed");

        // 7. History: the last calls with their raw messages.
        await page.locator("#capability-tabs a[data-tab='history']").click();
        await page.locator("ol.history").waitFor();
        const history = await page.locator("ol.history").textContent() ?? "";
        for (
          const tool of [
            "trigger-elicitation-request",
            "trigger-long-running-operation",
            "get-tiny-image",
          ]
        ) {
          assert.ok(history.includes(tool), `history lacks ${tool}`);
        }
        assert.match(page.url(), /tab=history/);
        // Refused calls never reached the router, so they are not in it.
        assert.ok(!/\becho\b/.test(history), "a refused call is in the history");
        await shoot(page, "try-07-history");

        // 8. Resources: listed, one read.
        await page.locator("#capability-tabs a[data-tab='resources']").click();
        const first = page.locator(".resource-item").first();
        await first.waitFor();
        const uri = await first.locator("code").first().textContent();
        await first.getByRole("button", { name: /Read/ }).click();
        const contents = page.locator("#resource-result .call-done");
        await contents.waitFor({ timeout: 120_000 });
        assert.ok((await contents.textContent() ?? "").includes(uri ?? "?"), uri ?? "");
        await shoot(page, "try-08-resource-read");

        // 9. Prompts: one got with an argument.
        await page.locator("#capability-tabs a[data-tab='prompts']").click();
        const prompt = page.locator("details.prompt[data-prompt='args-prompt']");
        await prompt.waitFor();
        await prompt.locator(":scope > summary").click();
        await prompt.locator("[name='arg.city']").fill("Paris");
        await prompt.getByRole("button", { name: /Get/ }).click();
        await prompt.locator(".call-done").waitFor({ timeout: 120_000 });
        assert.match(await prompt.locator(".call-done").textContent() ?? "", /Paris/);
        await shoot(page, "try-09-prompt-get");
        assert.deepEqual(errors, []);
      });
    } finally {
      await router.close();
    }
  },
});
