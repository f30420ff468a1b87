/**
 * Browser test of Try-it without JavaScript, and of declining: the conformance fixture as a
 * remote MCP server (no container). With JavaScript off, a tool call, the elicitation it asks
 * for, a resource read and a prompt get all work as plain form posts and page loads. With
 * JavaScript on, Decline answers an elicitation whose required fields are empty (the browser's
 * check is skipped for it), and a sampling request can be declined.
 */
import assert from "node:assert/strict";
import { PlanSchema } from "../../server/schemas/server.ts";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import { CHROMIUM, hasChromium, shoot, startUiRouter, withBrowser } from "./browser.ts";

if (!hasChromium) console.warn(`Try-it no-JS UI test skipped: no Chromium at ${CHROMIUM}`);

Deno.test({
  name: "UI - Try-it without JavaScript (call, elicitation, resource, prompt) and declining",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const fixture = await serveConformanceHttp({ port: 0 });
    const router = await startUiRouter();
    try {
      const server = await router.services.store.createServer(PlanSchema.parse({
        name: "conf",
        runtime: "remote",
        transport: "http",
        url: fixture.url,
      }));
      const base = `${router.url}/servers/${server.id}`;
      await withBrowser(async (browser) => {
        const noJs = await browser.newContext({
          javaScriptEnabled: false,
          viewport: { width: 1280, height: 900 },
        });
        const page = await noJs.newPage();
        page.setDefaultTimeout(30_000);
        await page.goto(base);
        await page.getByRole("button", { name: "Test", exact: true }).click();
        await page.getByText(/Test passed/).waitFor();

        const card = page.locator("details.tool[data-tool='test_elicitation']");
        await card.locator(":scope > summary").click();
        await card.locator("[name='arg.message']").fill("Your name, please");
        await card.getByRole("button", { name: /Run/ }).click();
        // A new page, the tool's card open at the elicitation form.
        const ask = page.locator(
          "details.tool[data-tool='test_elicitation'] form.input-elicitation",
        );
        await ask.waitFor();
        await ask.locator("[name='arg.username']").fill("ada");
        await ask.locator("[name='arg.email']").fill("ada@example.org");
        await shoot(page, "try-nojs-01-elicitation");
        await ask.getByRole("button", { name: "Submit" }).click();
        const done = page.locator("details.tool[data-tool='test_elicitation'] .call-done");
        await done.waitFor();
        assert.match(await done.textContent() ?? "", /action=accept/);

        await page.goto(`${base}?tab=resources`);
        await page.locator(".resource-item").first().getByRole("button", { name: /Read/ }).click();
        await page.locator("#resource-result .call-done").waitFor();
        assert.match(page.url(), /\/resources\/read$/);
        await page.goto(`${base}?tab=prompts`);
        const prompt = page.locator("details.prompt[data-prompt='test_prompt_with_arguments']");
        await prompt.locator(":scope > summary").click();
        await prompt.locator("[name='arg.arg1']").fill("alpha");
        await prompt.locator("[name='arg.arg2']").fill("beta");
        await prompt.getByRole("button", { name: /Get/ }).click();
        const got = page.locator(
          "details.prompt[data-prompt='test_prompt_with_arguments'] .call-done",
        );
        await got.waitFor();
        assert.match(await got.textContent() ?? "", /alpha/);
        await page.goto(`${base}?tab=history`);
        assert.equal(await page.locator("ol.history > li").count(), 3);
        await shoot(page, "try-nojs-02-history");
        await noJs.close();

        // With JavaScript: Decline needs no field filled in; a sampling request declined.
        const js = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors: string[] = [];
        js.on("pageerror", (e) => errors.push(String(e)));
        await js.goto(base);
        const again = js.locator("details.tool[data-tool='test_elicitation']");
        await again.locator(":scope > summary").click();
        await again.locator("[name='arg.message']").fill("Again?");
        await again.getByRole("button", { name: /Run/ }).click();
        await again.locator("form.input-elicitation").waitFor();
        await again.getByRole("button", { name: "Decline" }).click();
        await again.locator(".tool-result").getByText(/action=decline/).waitFor();
        const sampling = js.locator("details.tool[data-tool='test_sampling']");
        await sampling.locator(":scope > summary").click();
        await sampling.locator("[name='arg.prompt']").fill("2+2?");
        await sampling.getByRole("button", { name: /Run/ }).click();
        await sampling.locator("form.input-sampling").waitFor();
        await sampling.getByRole("button", { name: "Decline" }).click();
        const refused = sampling.locator(".call-done .tool-result");
        await refused.waitFor();
        assert.match(await refused.textContent() ?? "", /declined the sampling request/);
        assert.ok(!/MCP error -?\d+: MCP error/.test(await refused.textContent() ?? ""));
        assert.deepEqual(errors, []);
      });
    } finally {
      await router.close();
      await fixture.shutdown();
    }
  },
});
