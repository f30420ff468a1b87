/**
 * Accessibility of every admin page: axe-core (pinned in `deno.json`) injected into Chromium,
 * WCAG 2.1 A and AA rules (`wcag2a`, `wcag2aa`, `wcag21a`, `wcag21aa`), in the light and the dark
 * colour scheme at 1280 px, and at 390 px. Pages: servers (empty and listed), new server, analysis
 * (also a plan with command-line values to fill, refused for an empty one), the server page with
 * each capability tab (a Try-it result with an image, an elicitation form, a resource read, a
 * prompt get, the history), env values, delete, connect, activity, login, OAuth consent and
 * grants, and a not-found page. The servers are the conformance fixture as a remote MCP server,
 * so no container is needed.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { PlanSchema } from "../../server/schemas/server.ts";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import { CHROMIUM, hasChromium, startUiRouter, withBrowser } from "./browser.ts";
import { startFakeGithub } from "../fakes/github.ts";
import { PLACEHOLDER_ARGS_REPO, PLACEHOLDER_ARGS_URL } from "../fakes/placeholder_args_repo.ts";

if (!hasChromium) console.warn(`axe UI test skipped: no Chromium at ${CHROMIUM}`);

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE_SOURCE = (axe as unknown as { source: string }).source;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Run axe on the page as it is; one line per violation (rule, impact, first nodes). */
async function audit(page: Page, name: string): Promise<string[]> {
  const found: string[] = [];
  const runs = [["light", 1280], ["dark", 1280], ["light", 390]] as const;
  for (const [scheme, width] of runs) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(AXE_SOURCE);
    const { violations, passes } = await page.evaluate(async (tags) => {
      const w = globalThis as unknown as {
        axe: {
          run(ctx: unknown, o: unknown): Promise<{ violations: Violation[]; passes: unknown[] }>;
        };
      };
      const result = await w.axe.run(document, { runOnly: { type: "tag", values: tags } });
      const violations = result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => ({
          target: n.target,
          failureSummary: n.failureSummary,
        })),
      }));
      return { violations, passes: result.passes.length };
    }, TAGS) as { violations: Violation[]; passes: number };
    assert.ok(passes > 10, `axe checked next to nothing on ${name}`);
    for (const v of violations) {
      found.push(
        `${name} [${scheme} ${width}px]: ${v.id} (${v.impact}) ${v.help} — ${
          v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`).join(" | ")
        }`,
      );
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 900 });
  return found;
}

/** Wait until a UI call in `scope` is done. */
async function waitCallDone(page: Page, scope: string): Promise<void> {
  await page.locator(`${scope} .call-done`).first().waitFor({ timeout: 30_000 });
}

Deno.test({
  name: "UI - axe-core finds no WCAG 2.1 AA violation on any admin page (light, dark, 390 px)",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const fixture = await serveConformanceHttp({ port: 0 });
    const github = startFakeGithub([PLACEHOLDER_ARGS_REPO]);
    const router = await startUiRouter({ githubApiUrl: github.url });
    const violations: string[] = [];
    try {
      await withBrowser(async (browser) => {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 900 },
          bypassCSP: true,
        });
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        const visit = async (path: string, name: string) => {
          await page.goto(`${router.url}${path}`);
          violations.push(...await audit(page, name));
        };

        await visit("/", "servers (empty)");
        await visit("/servers/new", "new server");
        await page.getByLabel("Source").fill("not a source");
        await page.getByRole("button", { name: "Analyze" }).click();
        await page.locator(".error, [role=alert]").first().waitFor();
        violations.push(...await audit(page, "new server (refused source)"));
        await page.goto(`${router.url}/servers/new`);
        await page.getByLabel("Source").fill("npx:@modelcontextprotocol/server-everything");
        const verify = page.getByLabel(/verify/i);
        if (await verify.count()) await verify.first().uncheck();
        await page.getByRole("button", { name: "Analyze" }).click();
        await page.getByRole("heading", { name: "Review the plan" }).waitFor({ timeout: 120_000 });
        violations.push(...await audit(page, "analysis / review plan"));
        // A plan with command-line values to fill (one masked), then refused for an empty one.
        await page.goto(`${router.url}/servers/new`);
        await page.getByLabel("Source").fill(PLACEHOLDER_ARGS_URL);
        if (await verify.count()) await verify.first().uncheck();
        await page.getByRole("button", { name: "Analyze" }).click();
        await page.getByRole("heading", { name: "Review the plan" }).waitFor({ timeout: 120_000 });
        await page.getByLabel("--password").fill("hunter2");
        await page.getByRole("button", { name: "Save server" }).click();
        await page.locator("#f-argfield-0-error").waitFor();
        violations.push(...await audit(page, "review plan (command-line value missing)"));

        const server = await router.services.store.createServer(PlanSchema.parse({
          name: "conf",
          display_name: "Conformance fixture",
          runtime: "remote",
          transport: "http",
          url: fixture.url,
          env: [
            { key: "REGION", description: "Where to run", required: false },
            { key: "TOKEN", description: "A token", required: false, secret: true },
          ],
        }));
        const base = `/servers/${server.id}`;
        await page.goto(`${router.url}${base}`);
        await page.getByRole("button", { name: "Test", exact: true }).click();
        await page.locator("#test-result").getByText(/Test passed/).waitFor();
        violations.push(...await audit(page, "server page (tested)"));
        await visit("/", "servers (listed)");

        // Tools tab: a result with an image, a refused call, an elicitation waiting.
        await page.goto(`${router.url}${base}`);
        const image = page.locator("details.tool[data-tool='test_image_content']");
        await image.locator(":scope > summary").click();
        await image.getByRole("button", { name: /Run/ }).click();
        await waitCallDone(page, "details.tool[data-tool='test_image_content']");
        const elicit = page.locator("details.tool[data-tool='test_elicitation']");
        await elicit.locator(":scope > summary").click();
        await elicit.locator("form.try-it").evaluate((
          f,
        ) => ((f as HTMLFormElement).noValidate = true));
        await elicit.getByRole("button", { name: /Run/ }).click();
        await elicit.getByText(/Nothing was sent/).waitFor();
        violations.push(...await audit(page, "try-it (result, refused call)"));
        await elicit.locator("[name='arg.message']").fill("Who are you?");
        await elicit.getByRole("button", { name: /Run/ }).click();
        await elicit.locator("form.input-elicitation").waitFor();
        violations.push(...await audit(page, "try-it (elicitation form)"));
        await elicit.locator("form.input-elicitation [name='arg.username']").fill("ada");
        await elicit.locator("form.input-elicitation [name='arg.email']").fill("a@b.org");
        await elicit.getByRole("button", { name: "Submit" }).click();
        await waitCallDone(page, "details.tool[data-tool='test_elicitation']");
        const sampling = page.locator("details.tool[data-tool='test_sampling']");
        await sampling.locator(":scope > summary").click();
        await sampling.locator("[name='arg.prompt']").fill("2+2?");
        await sampling.getByRole("button", { name: /Run/ }).click();
        await sampling.locator("form.input-sampling").waitFor();
        violations.push(...await audit(page, "try-it (sampling form)"));
        await sampling.getByLabel(/Your reply/).fill("4");
        await sampling.getByRole("button", { name: "Send reply" }).click();
        await waitCallDone(page, "details.tool[data-tool='test_sampling']");
        await page.locator(".call-done details.raw-messages > summary").first().click();
        violations.push(...await audit(page, "try-it (raw view open)"));

        await page.goto(`${router.url}${base}?tab=resources`);
        await page.locator(".resource-item").first().getByRole("button", { name: /Read/ }).click();
        await waitCallDone(page, "#resource-result");
        violations.push(...await audit(page, "resources tab (read)"));
        await page.goto(`${router.url}${base}?tab=prompts`);
        const prompt = page.locator("details.prompt[data-prompt='test_prompt_with_arguments']");
        await prompt.locator(":scope > summary").click();
        await prompt.locator("[name='arg.arg1']").fill("a");
        await prompt.locator("[name='arg.arg2']").fill("b");
        await prompt.getByRole("button", { name: /Get/ }).click();
        await waitCallDone(page, "details.prompt[data-prompt='test_prompt_with_arguments']");
        violations.push(...await audit(page, "prompts tab (get)"));
        await visit(`${base}?tab=history`, "history tab");
        await visit(`${base}#env`, "env values");
        await visit(`${base}/delete`, "delete");
        await visit("/connect", "connect");
        await visit("/activity", "activity");
        await visit("/servers/nope", "not found");
        await visit("/oauth/grants", "grants");

        // OAuth consent: a client registered by DCR asks for access.
        const reg = await fetch(`${router.url}/oauth/register`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            client_name: "Axe Client",
            redirect_uris: ["http://127.0.0.1:4567/callback"],
          }),
        });
        const { client_id } = await reg.json() as { client_id: string };
        const query = new URLSearchParams({
          response_type: "code",
          client_id,
          redirect_uri: "http://127.0.0.1:4567/callback",
          code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
          code_challenge_method: "S256",
          state: "st4te",
          resource: `${router.url}/mcp`,
        });
        await page.goto(`${router.url}/oauth/authorize?${query}`);
        assert.match(await page.content(), /Approve/);
        violations.push(...await audit(page, "oauth consent"));
        await visit("/login", "login");
        // Last: a key turns on sign-in for the pages.
        await page.goto(`${router.url}/connect`);
        await page.getByLabel("New key name").fill("laptop");
        await page.getByRole("button", { name: "Create key" }).click();
        await page.locator("#new-key").waitFor();
        violations.push(...await audit(page, "connect (key created)"));
        await context.close();
      });
    } finally {
      await router.close();
      await fixture.shutdown();
      await github.close();
    }
    assert.deepEqual(violations, [], violations.join("\n"));
  },
});
