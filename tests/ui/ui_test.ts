/**
 * Browser tests of the admin UI: the real router app (`openServices` + `createRouterApp`) on a
 * random port, driven by Debian's Chromium through `playwright-core`.
 *
 * Run: `deno test -A tests/ui/` (set `MCP_ROUTER_PODMAN_SOCKET` to also run the real-container
 * flow). Screenshots of every page at 1280 px and 390 px go to `tests/.artifacts/screenshots/`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startFakeGithub } from "../fakes/github.ts";
import { startFakeAnthropic } from "../fakes/anthropic.ts";
import {
  CHROMIUM,
  hasChromium,
  hasPodman,
  podmanSocket,
  shoot,
  startUiRouter,
  withBrowser,
} from "./browser.ts";

if (!hasChromium) console.warn(`UI tests skipped: no Chromium at ${CHROMIUM}`);
if (!hasPodman) {
  console.warn(
    "UI container flow skipped: set MCP_ROUTER_PODMAN_SOCKET to a live Podman socket",
  );
}

/** Fail the test on page errors (CSP violations, script errors). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    // Form re-renders with errors answer 400/409 on purpose; anything else is a failure.
    if (m.type() === "error" && !/status of (400|409)/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "UI - GitHub URL via fake GitHub + Claude, env value, validation, edit, toggle, delete",
  ignore: !hasChromium,
  ...opts,
  fn: async () => {
    const gh = startFakeGithub();
    const claude = startFakeAnthropic({ mode: "recorded" });
    const router = await startUiRouter({
      githubApiUrl: gh.url,
      anthropicBaseUrl: claude.url,
      anthropicApiKey: "sk-test-fake",
    });
    try {
      await withBrowser(async (browser) => {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors = watchErrors(page);
        page.setDefaultTimeout(30_000);

        await page.goto(`${router.url}/`);
        await page.getByRole("heading", { name: "No servers yet" }).waitFor();
        await page.keyboard.press("Tab");
        assert.equal(
          await page.evaluate(() => document.activeElement?.textContent),
          "Skip to content",
        );
        await shoot(page, "01-servers-empty");

        await page.getByRole("link", { name: "Add server", exact: true }).first().click();
        await page.getByLabel("Source").fill("https://github.com/brave/brave-search-mcp-server");
        await shoot(page, "02-add-server");
        await page.getByRole("button", { name: "Analyze" }).click();
        await page.getByRole("heading", { name: "Review the plan" }).waitFor();
        assert.deepEqual(claude.problems, []);
        const steps = await page.locator("#analysis-progress li.step-done").allTextContents();
        assert.ok(steps.some((s) => s.includes("Fetching repository")), steps.join("|"));
        assert.ok(steps.some((s) => s.includes("Asking Claude")), steps.join("|"));
        assert.equal(await page.getByLabel("Display name").inputValue(), "Brave Search");

        // Env table: the secret row's value is a password input; add a row with htmx.
        const keyInputs = page.locator("#env-rows input[name$='.key']");
        const keys = await keyInputs.evaluateAll((els) =>
          els.map((e) => (e as HTMLInputElement).value)
        );
        const braveIndex = keys.indexOf("BRAVE_API_KEY");
        assert.ok(braveIndex >= 0, keys.join(","));
        const secretInput = page.locator("#env-rows tr").nth(braveIndex).locator(
          "input[name$='.value']",
        );
        assert.equal(await secretInput.getAttribute("type"), "password");
        await secretInput.fill("brave-secret-value-123");
        const rowsBefore = await page.locator("#env-rows tr").count();
        await page.getByRole("button", { name: "Add variable" }).click();
        await page.waitForFunction(
          (n) => document.querySelectorAll("#env-rows tr").length === n + 1,
          rowsBefore,
        );
        const newRow = page.locator("#env-rows tr").last();
        await newRow.locator("input[name$='.key']").fill("BRAVE_REGION");
        await newRow.locator("input[name$='.value']").fill("eu");
        // Remove a row in place (htmx), without submitting the form.
        await page.getByRole("button", { name: "Add variable" }).click();
        await page.waitForFunction(
          (n) => document.querySelectorAll("#env-rows tr").length === n + 2,
          rowsBefore,
        );
        await page.locator("#env-rows tr").last().getByRole("button", { name: /Remove/ }).click();
        await page.waitForFunction(
          (n) => document.querySelectorAll("#env-rows tr").length === n + 1,
          rowsBefore,
        );
        assert.match(page.url(), /\/servers\/new\//);
        await shoot(page, "03-review-plan");

        // A validation error is shown next to its field and typed values are kept.
        await page.locator("#f-name").fill("Bad Name!");
        await page.getByLabel("Display name").fill("Brave (typed)");
        await page.getByRole("button", { name: "Save server" }).click();
        await page.locator(".field.has-error #f-name-error").waitFor();
        assert.match(await page.locator("#f-name-error").textContent() ?? "", /a-z, 0-9/);
        assert.equal(await page.getByLabel("Display name").inputValue(), "Brave (typed)");
        assert.equal(await page.locator("#f-name").inputValue(), "Bad Name!");
        await shoot(page, "04-validation-error");

        // The secret typed before the error is kept (sealed, never in the page): fix and save.
        assert.ok(!(await page.content()).includes("brave-secret-value-123"));
        const keys2 = await page.locator("#env-rows input[name$='.key']").evaluateAll((els) =>
          els.map((e) => (e as HTMLInputElement).value)
        );
        const keptSecret = page.locator("#env-rows tr").nth(keys2.indexOf("BRAVE_API_KEY")).locator(
          "input[name$='.value']",
        );
        assert.equal(await keptSecret.inputValue(), "");
        assert.match(await keptSecret.getAttribute("placeholder") ?? "", /kept/);
        await page.locator("#f-name").fill("brave");
        await page.getByRole("button", { name: "Save server" }).click();
        await page.getByText("Server created.").waitFor();
        assert.match(page.url(), /\/servers\/[0-9a-f-]{36}\?msg=created/);
        const html = await page.content();
        assert.ok(!html.includes("brave-secret-value-123"), "secret value rendered");
        const envSection = page.locator("#env");
        assert.match(await envSection.textContent() ?? "", /••••/);
        assert.equal(
          await envSection.locator("input[name='value.BRAVE_REGION']").inputValue(),
          "eu",
        );
        const stored = await router.services.store.getServer("brave");
        assert.equal(
          (await router.services.store.getEnvValues(stored.id)).BRAVE_API_KEY,
          "brave-secret-value-123",
        );

        // Test with no container runtime: a clear notice, not a crash.
        await page.getByRole("button", { name: "Test", exact: true }).click();
        await page.locator("#test-result").getByText("Cannot test right now").waitFor();
        await shoot(page, "05-server-page");

        // Edit the plan.
        await page.locator("#f-description").fill("Edited <b>in</b> the UI");
        await page.getByRole("button", { name: "Save changes" }).click();
        await page.getByText("Changes saved.").waitFor();
        assert.equal(
          (await router.services.store.getServer("brave")).description,
          "Edited <b>in</b> the UI",
        );
        assert.equal(await page.locator("b", { hasText: "in" }).count(), 0);

        // Toggle active on the list without a reload.
        await page.goto(`${router.url}/`);
        await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
        const toggle = page.getByRole("switch", { name: "brave active" });
        assert.equal(await toggle.getAttribute("aria-checked"), "true");
        await toggle.click();
        await page.waitForFunction(() =>
          document.querySelector("[role=switch]")?.getAttribute("aria-checked") === "false"
        );
        assert.equal(
          await page.evaluate(() => (globalThis as unknown as { marker: number }).marker),
          42,
        );
        assert.equal((await router.services.store.getServer("brave")).active, false);
        await shoot(page, "06-servers-list");

        // Delete: the no-JS confirmation page, then the htmx confirm dialog.
        await page.goto(`${router.url}/servers/${stored.id}/delete`);
        await shoot(page, "07-delete-confirm");
        await page.goto(`${router.url}/servers/${stored.id}`);
        page.once("dialog", (d) => void d.accept());
        await page.getByRole("link", { name: "Delete server" }).click();
        await page.getByText("Server deleted.").waitFor();
        assert.equal(await router.services.store.findServer("brave"), null);

        await page.goto(`${router.url}/activity`);
        await page.getByRole("heading", { name: "Audit log" }).waitFor();
        const audit = await page.locator("#audit").textContent() ?? "";
        for (
          const action of ["server.create", "server.env.set", "server.update", "server.delete"]
        ) {
          assert.ok(audit.includes(action), `audit lacks ${action}`);
        }
        assert.ok(!audit.includes("brave-secret-value-123"));
        await shoot(page, "08-activity");

        await page.goto(`${router.url}/connect`);
        await page.getByRole("heading", { name: "Claude Desktop (stdio)" }).waitFor();
        assert.match(await page.locator("#mcp-url").textContent() ?? "", /\/mcp$/);
        // Creating a key shows it once (afterwards the UI requires a login).
        await page.getByLabel("New key name").fill("laptop");
        await page.getByRole("button", { name: "Create key" }).click();
        const key = await page.locator("#new-key").textContent();
        assert.match(key ?? "", /^mcpr_[0-9a-f]+$/);
        // Post/redirect/get: a one-time token in the URL, the key filled into the snippets once.
        assert.match(page.url(), /\/connect\?created=[0-9a-f]{32}$/);
        assert.ok(!page.url().includes(key!));
        assert.ok((await page.locator("#remote-command").textContent() ?? "").includes(key!));
        assert.ok((await page.locator("#remote-entry").textContent() ?? "").includes(key!));
        assert.ok(!(await page.locator("#stdio-command").textContent() ?? "").includes("_npx"));
        await shoot(page, "09-connect");
        // A reload neither shows the key again nor makes a second one.
        await page.reload();
        await page.locator("#key-spent").waitFor();
        assert.equal(await page.locator("#new-key").count(), 0);
        assert.ok(!(await page.content()).includes(key!));
        assert.equal((await router.services.store.listApiKeys()).length, 1);
        // A duplicate name is refused inline, the typed name kept.
        await page.getByLabel("New key name").fill("laptop");
        await page.getByRole("button", { name: "Create key" }).click();
        await page.locator("#f-name-error").getByText(/exists already/).waitFor();
        assert.equal(await page.getByLabel("New key name").inputValue(), "laptop");
        assert.equal((await router.services.store.listApiKeys()).length, 1);
        await shoot(page, "09b-connect-duplicate-key");
        assert.deepEqual(errors, []);
      });
    } finally {
      await router.close();
      await claude.close();
      await gh.close();
    }
  },
});

Deno.test({
  name: "UI - npx server-everything: add, Test, see tools, run echo through the router",
  ignore: !hasChromium || !hasPodman,
  ...opts,
  fn: async () => {
    const router = await startUiRouter({ podmanSocket });
    try {
      await withBrowser(async (browser) => {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors = watchErrors(page);
        page.setDefaultTimeout(60_000);
        await page.goto(`${router.url}/servers/new`);
        await page.getByLabel("Source").fill("npx:@modelcontextprotocol/server-everything");
        await page.getByRole("button", { name: "Analyze" }).click();
        await page.getByRole("heading", { name: "Review the plan" }).waitFor({ timeout: 600_000 });
        await page.getByRole("button", { name: "Save server" }).click();
        await page.getByText("Server created.").waitFor();

        await page.getByRole("button", { name: "Test", exact: true }).click();
        await page.locator("#test-result").getByText(/Test passed/).waitFor({ timeout: 600_000 });
        // The catalog refreshes itself after a test (htmx `tools-changed`).
        const echo = page.locator("details.tool[data-tool='echo']");
        await echo.waitFor();
        await echo.locator(":scope > summary").click();
        await echo.getByLabel(/message/).fill("hello <i>from</i> the UI");
        await echo.getByRole("button", { name: /Run/ }).click();
        const result = echo.locator(".tool-result");
        await result.waitFor({ timeout: 300_000 });
        assert.match(await result.textContent() ?? "", /Echo: hello <i>from<\/i> the UI/);
        await shoot(page, "10-server-tools-echo");
        await page.goto(`${router.url}/`);
        const row = page.locator("tr[data-server='everything']");
        assert.match(await row.textContent() ?? "", /ok/);
        await shoot(page, "11-servers-list-tested");
        assert.deepEqual(errors, []);
      });
    } finally {
      await router.close();
    }
  },
});
