/**
 * The plan form sized to the plan: the chosen runtime's and transport's launch fields up front,
 * everything else under a closed "Advanced" (still in the form, so still submitted); no empty
 * env row; secret rows as password fields; the error summary takes focus; plain words for where
 * the plan came from.
 */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { PlanForm } from "../../views/partials/PlanForm.tsx";
import { planSourceWords } from "../../views/pages/AnalysisPage.tsx";
import { EnvRow } from "../../views/partials/EnvRow.tsx";
import { parsePlanForm, planToFormValues } from "../../server/pages/forms.ts";
import { emptyEnvRow, type FieldErrors } from "../../views/types.ts";

/** Every plain field the form must submit, whatever is folded. */
const ALL_FIELDS = [
  "name",
  "display_name",
  "description",
  "runtime",
  "transport",
  "package",
  "image",
  "install",
  "command",
  "args",
  "url",
  "headers",
  "port",
  "path",
  "lifecycle",
  "namespace",
  "network",
];

/** The form for `plan`, split at the "Advanced" fold. */
function render(plan: Record<string, unknown>, errors: FieldErrors = {}) {
  const values = planToFormValues({ name: "demo", ...plan });
  const html = renderToString(PlanForm({ mode: "create", action: "/servers", values, errors }));
  const at = html.indexOf('<details class="advanced"');
  assert.ok(at > 0, "has an Advanced section");
  const end = html.indexOf("</details>", at);
  return { html, upFront: html.slice(0, at), advanced: html.slice(at, end) };
}

const has = (part: string, name: string) => new RegExp(`name="${name}"`).test(part);

function assertSplit(
  part: { upFront: string; advanced: string },
  upFront: string[],
  where: string,
) {
  for (const name of ALL_FIELDS) {
    const front = has(part.upFront, name);
    const folded = has(part.advanced, name);
    assert.ok(front !== folded, `${where}: ${name} is in exactly one place`);
    assert.equal(
      front,
      ["name", "display_name", "description", "runtime", "transport", ...upFront].includes(name),
      `${where}: ${name} ${front ? "should be under Advanced" : "should be up front"}`,
    );
  }
}

Deno.test("Plan form - an npx plan shows package, command and args up front", () => {
  const part = render({
    runtime: "npx",
    package: "@modelcontextprotocol/server-everything",
    command: "npx",
    args: ["-y", "@modelcontextprotocol/server-everything"],
  });
  assertSplit(part, ["package", "command", "args"], "npx");
  // Host folders are folded too, and "Advanced" starts closed.
  assert.ok(has(part.advanced, "mount\\.0\\.source"));
  assert.match(part.advanced, /^<details class="advanced"\s*>/);
  // Field values survive in the fold.
  assert.match(part.advanced, /<option\s+value="session" selected/);
});

Deno.test("Plan form - uvx and source plans show their own fields", () => {
  assertSplit(render({ runtime: "uvx", package: "mcp-server-fetch" }), [
    "package",
    "command",
    "args",
  ], "uvx");
  assertSplit(render({ runtime: "source", install: ["pip install ."] }), [
    "install",
    "command",
    "args",
  ], "source");
});

Deno.test("Plan form - a remote plan shows URL and headers up front", () => {
  const part = render({
    runtime: "remote",
    transport: "http",
    url: "https://mcp.example.com/mcp",
    headers: { Authorization: "Bearer ${TOKEN}" },
  });
  assertSplit(part, ["url", "headers"], "remote");
  assert.match(part.upFront, /value="https:\/\/mcp\.example\.com\/mcp"/);
});

Deno.test("Plan form - an image plan over http shows image, args, port and path", () => {
  const part = render({ runtime: "image", image: "ghcr.io/a/b:1", transport: "http", port: 8080 });
  assertSplit(part, ["image", "args", "port", "path"], "image http");
  assertSplit(render({ runtime: "image", image: "ghcr.io/a/b:1" }), ["image", "args"], "image");
});

Deno.test("Plan form - fields carry their runtimes for the client-side regrouping", () => {
  const { html } = render({ runtime: "npx" });
  assert.match(html, /data-launch="port"[^>]*data-runtimes="npx uvx image source"/);
  assert.match(html, /data-launch="port"[^>]*data-transports="http sse"/);
  assert.match(html, /data-launch-main/);
  assert.match(html, /data-launch-more/);
});

Deno.test("Plan form - an error in a folded field opens Advanced; the summary takes focus", () => {
  const part = render({ runtime: "npx" }, { lifecycle: "bad lifecycle" });
  assert.match(part.advanced, /^<details class="advanced" open/);
  assert.match(part.advanced, /bad lifecycle/);
  assert.match(part.html, /id="plan-errors"[^>]*tabindex="-1"[^>]*autofocus/);
  const mounts = render({ runtime: "npx" }, { "mounts.0.source": "outside the roots" });
  assert.match(mounts.advanced, /^<details class="advanced" open/);
  // An up-front error leaves the fold closed; without errors there is no summary to focus.
  assert.match(
    render({ runtime: "npx" }, { name: "bad" }).advanced,
    /^<details class="advanced"\s*>/,
  );
  assert.ok(!render({ runtime: "npx" }).html.includes("plan-errors"));
});

Deno.test("Plan form - a plan without env has no empty row; Add variable still works without JS", () => {
  const { html } = render({ runtime: "npx" });
  assert.ok(!html.includes('class="env-row"'));
  assert.match(html, /class="hint env-none"/);
  assert.match(html, /<tbody id="env-rows"><\/tbody>/);
  assert.match(html, /type="submit"[^>]*name="_action" value="add_env"/);
});

Deno.test("Plan form - secret rows render a password value field, others text", () => {
  const secret = renderToString(
    EnvRow({
      rowId: "0",
      values: { ...emptyEnvRow(), key: "API_KEY", secret: true, value: "typed-secret" },
      withValue: true,
    }),
  );
  assert.match(secret, /name="env\.0\.value" type="password"/);
  assert.ok(!secret.includes("typed-secret"));
  const plain = renderToString(
    EnvRow({ rowId: "1", values: { ...emptyEnvRow(), key: "REGION" }, withValue: true }),
  );
  assert.match(plain, /name="env\.1\.value" type="text"/);
});

Deno.test("Plan form - plan sources in plain words", () => {
  assert.equal(planSourceWords("claude"), "Planned by Claude from the README.");
  assert.match(planSourceWords("heuristic"), /^Read from the README .*without Claude/);
  assert.match(planSourceWords("mixed"), /^Planned by Claude/);
  assert.match(planSourceWords("deterministic"), /you entered/);
  assert.equal(planSourceWords("user"), "Entered by hand.");
  assert.equal(planSourceWords("other"), "Plan from: other");
});

Deno.test("Plan form - without JavaScript a button re-renders the fields of a changed runtime", () => {
  const { upFront } = render({ runtime: "npx" });
  assert.match(upFront, /<p data-nojs-only><button type="submit"[^>]*name="_action" value="rows"/);
  const form = new FormData();
  form.append("runtime", "image");
  form.append("_action", "rows");
  assert.equal(parsePlanForm(form).action, "rows", "re-rendered, not saved");
});
