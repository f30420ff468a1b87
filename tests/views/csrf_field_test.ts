import assert from "node:assert/strict";
import { renderDocument, renderFragment, renderPage } from "../../views/render.ts";
import { DeletePage } from "../../views/pages/DeletePage.tsx";
import { ActiveToggle } from "../../views/partials/ActiveToggle.tsx";

const TOKEN = "ab".repeat(32);
const FIELD = `<input type="hidden" name="_csrf" value="${TOKEN}">`;

Deno.test("Views - the CSRF token reaches every form and htmx's headers", async () => {
  const html = renderDocument(DeletePage({ id: "s1", name: "one" }), {
    title: "Delete",
    csrfToken: TOKEN,
  });
  assert.equal(html.split("<form").length - 1, html.split(FIELD).length - 1);
  assert.ok(html.includes(FIELD));
  const body = /<body[^>]*>/.exec(html)![0];
  const headers = /hx-headers="([^"]*)"/.exec(body)![1].replaceAll("&quot;", '"');
  assert.deepEqual(JSON.parse(headers), { "X-CSRF-Token": TOKEN });

  const fragment = await renderFragment(ActiveToggle({ id: "s1", name: "one", active: true }), {
    csrfToken: TOKEN,
  }).text();
  assert.ok(fragment.includes(FIELD), fragment);

  const htmx = new Request("http://x/", { headers: { "hx-request": "true" } });
  const partial = await renderPage(htmx, DeletePage({ id: "s1", name: "one" }), {
    title: "Delete",
    csrfToken: TOKEN,
  }).text();
  assert.ok(partial.includes(FIELD) && !partial.includes("<body"), partial);
});

Deno.test("Views - without a token no CSRF field or header is rendered", () => {
  const html = renderDocument(DeletePage({ id: "s1", name: "one" }), { title: "Delete" });
  assert.ok(!html.includes("_csrf") && !html.includes("hx-headers"), html);
});
