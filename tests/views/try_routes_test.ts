/**
 * Try-it at Inspector level, in process (`app.request`) through a real router session against
 * the conformance fixture as a remote MCP server: required fields refused before anything is
 * sent, elicitation and sampling answered in forms, progress and raw messages kept per call, a
 * short history, resources read (listed and templated), prompts got with arguments, one error
 * prefix.
 */
import assert from "node:assert/strict";
import { startPagesWithFixture } from "./pages_harness.ts";

async function setup() {
  const t = await startPagesWithFixture();
  const tested = await t.post("/test");
  assert.match(await tested.text(), /Test passed/);
  return t;
}

const opts = { sanitizeOps: false, sanitizeResources: false };

/** The call id and answer key of an input form in `html`. */
function pending(html: string): { call: string; key: string } {
  const call = /\/calls\/([0-9a-f-]{36})\/answer/.exec(html)?.[1];
  const key = /name="key" value="([0-9a-f-]{36})"/.exec(html)?.[1];
  assert.ok(call && key, html.slice(0, 2000));
  return { call: call!, key: key! };
}

Deno.test({
  name: "Try-it - an empty required field or a wrong type is refused and nothing is sent",
  ...opts,
  fn: async () => {
    await using t = await setup();
    const before = (await t.store.listAudit()).length;
    const html = await (await t.post("/tools/test_elicitation/call", { "arg.message": "" }))
      .text();
    assert.match(html, /Nothing was sent: message: required/);
    // The form comes back out of band, the message next to its field.
    assert.match(
      html,
      /id="try-form-\d+"[^>]*hx-swap-oob="true"|hx-swap-oob="true"[^>]*id="try-form/,
    );
    assert.match(html, /aria-invalid="true"/);
    assert.match(html, /<span class="error" id="t\d+-message-err">required<\/span>/);
    // The field is `required` for the browser too.
    assert.match(html, /name="arg\.message"[^>]*required|required[^>]*name="arg\.message"/);
    // Raw JSON is checked against the schema as well.
    const typed = await (await t.post("/tools/test_elicitation/call", { _json: '{"message": 5}' }))
      .text();
    assert.match(typed, /Nothing was sent: message: must be string/);
    // Without JS: the page again with the error, 400.
    const page = await t.post("/tools/test_elicitation/call", { "arg.message": "  " }, false);
    assert.equal(page.status, 400);
    assert.match(await page.text(), /<html[\s\S]*required/);
    assert.equal((await t.store.listAudit()).length, before, "a refused call reached the router");
  },
});

Deno.test({
  name: "Try-it - elicitation is answered in a form generated from its schema",
  ...opts,
  fn: async () => {
    await using t = await setup();
    const asked = await (await t.post("/tools/test_elicitation/call", { "arg.message": "Who?" }))
      .text();
    assert.match(asked, /The server asks for input/);
    assert.match(asked, /Who\?/);
    assert.match(asked, /name="arg\.username"/);
    const { call, key } = pending(asked);
    // A required answer field left empty is refused; nothing goes back to the server.
    const refused = await (await t.post(`/calls/${call}/answer`, {
      key,
      action: "accept",
      "arg.username": "ada",
      "arg.email": "",
    })).text();
    assert.match(
      refused,
      /name="arg\.email"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="arg\.email"/,
    );
    const done = await (await t.post(`/calls/${call}/answer`, {
      key,
      action: "accept",
      "arg.username": "ada",
      "arg.email": "ada@example.org",
    })).text();
    assert.match(done, /User response: action=accept/);
    assert.match(done, /ada@example\.org/);
    assert.match(done, /Raw request and response/);
    assert.match(done, /elicitation\/create/);
    assert.ok(!done.includes("dev.mcp-router/ui-call"), "the UI's tag leaked");

    // Declining is an answer too.
    const again = pending(
      await (await t.post("/tools/test_elicitation/call", { "arg.message": "Again?" })).text(),
    );
    const declined = await (await t.post(`/calls/${again.call}/answer`, {
      key: again.key,
      action: "decline",
    })).text();
    assert.match(declined, /action=decline/);
  },
});

Deno.test({
  name: "Try-it - sampling requests are shown and answered or declined; no-JS posts work",
  ...opts,
  fn: async () => {
    await using t = await setup();
    const asked = await (await t.post("/tools/test_sampling/call", { "arg.prompt": "2+2?" }))
      .text();
    assert.match(asked, /asks for a model reply/);
    assert.match(asked, /2\+2\?/);
    const { call, key } = pending(asked);
    const done = await (await t.post(`/calls/${call}/answer`, {
      key,
      action: "accept",
      reply: "four",
    })).text();
    assert.match(done, /LLM response: four/);

    // Without JavaScript: the page comes back with the form, then with the result.
    const page = await (await t.post("/tools/test_sampling/call", { "arg.prompt": "3+3?" }, false))
      .text();
    assert.match(page, /<html[\s\S]*asks for a model reply/);
    const second = pending(page);
    const declined = await (await t.post(`/calls/${second.call}/answer`, {
      key: second.key,
      action: "decline",
    }, false)).text();
    assert.match(declined, /<html[\s\S]*tool-result/);
    assert.match(declined, /declined the sampling request/);
    assert.ok(!/MCP error -?\d+: MCP error/.test(declined), "error prefix doubled");
  },
});

Deno.test({
  name: "Try-it - progress and raw messages are kept per call; history lists the last calls",
  ...opts,
  fn: async () => {
    await using t = await setup();
    const html = await (await t.post("/tools/test_tool_with_progress/call")).text();
    assert.match(html, /Progress tool completed/);
    assert.match(html, /notifications\/progress/);
    const call = /data-call="([0-9a-f-]{36})"/.exec(html)?.[1];
    assert.ok(call);
    // Polling a call (htmx) and its own page (no JS).
    const polled = await (await t.req(`/servers/${t.server.id}/calls/${call}`, {
      headers: { "hx-request": "true" },
    })).text();
    assert.match(polled, /Progress tool completed/);
    const own = await (await t.req(`/servers/${t.server.id}/calls/${call}`)).text();
    assert.match(own, /<html[\s\S]*Progress tool completed/);
    assert.equal((await t.req(`/servers/${t.server.id}/calls/nope`)).status, 404);

    const history = await (await t.req(`/servers/${t.server.id}/panel/history`, {
      headers: { "hx-request": "true" },
    })).text();
    assert.match(history, /test_tool_with_progress/);
    assert.match(history, /tools\/call/);
    assert.match(
      history,
      /aria-current="page"[^>]*data-tab="history"|data-tab="history"[^>]*aria-current/,
    );
    const tab = await (await t.req(`/servers/${t.server.id}?tab=history`)).text();
    assert.match(tab, /<html[\s\S]*test_tool_with_progress/);
  },
});

Deno.test({
  name: "Try-it - resources are listed and read (also from a template); prompts got with arguments",
  ...opts,
  fn: async () => {
    await using t = await setup();
    const panel = await (await t.req(`/servers/${t.server.id}/panel/resources`, {
      headers: { "hx-request": "true" },
    })).text();
    assert.match(panel, /test:\/\/static-text/);
    assert.match(panel, /test:\/\/template\/\{id\}\/data/);
    const text = await (await t.post("/resources/read", { uri: "test://static-text" })).text();
    assert.match(text, /Contents of/);
    assert.match(text, /test:\/\/static-text/);
    const image = await (await t.post("/resources/read", { uri: "test://static-binary" })).text();
    assert.match(image, /src="data:image\/png;base64,/);
    const templated = await (await t.post("/resources/read", {
      template: "test://template/{id}/data",
      "arg.id": "42",
    })).text();
    assert.match(templated, /test:\/\/template\/42\/data/);
    const missing = await (await t.post("/resources/read", {
      template: "test://template/{id}/data",
      "arg.id": "",
    })).text();
    assert.match(missing, /Nothing was sent: id: required/);
    // A protocol error the server answers with reads with one prefix.
    const unknown = await (await t.post("/resources/read", { uri: "test://nope" })).text();
    assert.match(unknown, /MCP error -?\d+: /);
    assert.ok(!/MCP error -?\d+: MCP error/.test(unknown), unknown);

    const prompts = await (await t.req(`/servers/${t.server.id}?tab=prompts`)).text();
    assert.match(prompts, /test_prompt_with_arguments/);
    const refused = await (await t.post("/prompts/test_prompt_with_arguments/get", {
      "arg.arg1": "a",
      "arg.arg2": "",
    })).text();
    assert.match(refused, /Nothing was sent: arg2: required/);
    const got = await (await t.post("/prompts/test_prompt_with_arguments/get", {
      "arg.arg1": "alpha",
      "arg.arg2": "beta",
    })).text();
    assert.match(got, /Messages of/);
    assert.match(got, /alpha/);
    assert.match(got, /beta/);
    assert.match(got, /<span class="tag">user<\/span>/);
    const noJs = await (await t.post("/prompts/test_prompt_with_arguments/get", {
      "arg.arg1": "x",
      "arg.arg2": "y",
    }, false)).text();
    assert.match(noJs, /<html[\s\S]*Messages of/);
  },
});
