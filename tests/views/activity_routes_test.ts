/**
 * `/activity` in process: GET filters (actor, kind, outcome, server) narrow the audit log,
 * "Older" links keep them and page with `before`, bad parameters are ignored (never a 5xx),
 * and container stops the router asked for read "stopped".
 */
import assert from "node:assert/strict";
import { createApp } from "../../server/app/app.ts";
import { mountPages } from "../../server/pages/mount.ts";
import { memoryDeps } from "../helpers.ts";

async function setup() {
  const deps = await memoryDeps();
  const app = createApp(deps, { extend: (a) => void mountPages(a, deps) });
  const get = async (path: string) => {
    const res = await app.request(`http://localhost${path}`);
    return { status: res.status, html: await res.text() };
  };
  return { deps, get };
}

const actionsOf = (html: string) =>
  [...html.matchAll(/<code[^>]*>([a-z_.]+)<\/code>/g)].map((m) => m[1]);
const decode = (href: string) => href.replaceAll("&amp;", "&");

Deno.test("Activity route - filters narrow the log; Older keeps them and pages with before", async () => {
  const { deps, get } = await setup();
  await using _ = deps;
  for (let i = 0; i < 60; i++) {
    await deps.store.appendAudit({
      actor: i % 2 ? "admin" : "key:laptop",
      action: "tool.call",
      target: i % 3 ? "brave" : "github",
      outcome: i % 4 ? "ok" : "error",
      details: { tool: "search", ...(i % 4 ? {} : { error: `quota exceeded #${i}` }) },
    });
  }
  await deps.store.appendAudit({ actor: "local", action: "server.create", target: "brave" });
  const tools = await get("/activity?kind=tools");
  assert.equal(tools.status, 200);
  assert.equal(actionsOf(tools.html).length, 50);
  assert.ok(!actionsOf(tools.html).includes("server.create"));
  const older = /href="(\/activity\?kind=tools&amp;before=[^"]+)">Older entries/.exec(tools.html);
  assert.ok(older, "Older link keeps the filter");
  const page2 = await get(decode(older![1]));
  assert.equal(actionsOf(page2.html).length, 10);
  assert.ok(!page2.html.includes("Older entries"));
  assert.match(page2.html, /href="\/activity\?kind=tools">Newest/);

  const errors = await get("/activity?outcome=error");
  assert.equal(actionsOf(errors.html).length, 15);
  assert.match(errors.html, /<p class="audit-error">quota exceeded #\d+<\/p>/);
  assert.ok(!errors.html.includes('tag tag-ok">ok'));

  // `admin` and `local` are one person: either name finds both.
  const local = await get("/activity?actor=admin");
  assert.equal(actionsOf(local.html).length, 31);
  assert.match(local.html, /<option\s+value="local" selected>you \(local admin\)/);
  // Actors on the page (and API keys, OAuth clients) are offered.
  assert.match((await get("/activity")).html, /<option\s+value="key:laptop"\s*>key:laptop/);
  const key = await get("/activity?actor=key%3Alaptop&server=github");
  assert.equal(actionsOf(key.html).length, 10);
  assert.ok(!key.html.includes("you (local admin)</td>"));
});

Deno.test("Activity route - bad parameters are ignored, never a 5xx", async () => {
  const { deps, get } = await setup();
  await using _ = deps;
  await deps.store.appendAudit({ actor: "local", action: "server.create", target: "x" });
  for (
    const q of [
      "?kind=nope",
      "?outcome=maybe",
      "?before=../../etc",
      `?actor=${"a".repeat(5000)}`,
      "?kind=tools&kind=servers",
      "?sessions_before=%00",
      "?server=%3Cscript%3E",
    ]
  ) {
    const res = await get(`/activity${q}`);
    assert.equal(res.status, 200, q);
    assert.ok(!res.html.includes("<script>"), q);
  }
  const ignored = await get("/activity?kind=nope");
  assert.deepEqual(actionsOf(ignored.html), ["server.create"]);
});

Deno.test("Activity route - exit 143 after an idle stop reads stopped, exit 1 a failure", async () => {
  const { deps, get } = await setup();
  await using _ = deps;
  const base = {
    client_session: "c",
    server_id: "i",
    container_id: "abc",
    started_at: "2026-12-01T14:00:00Z",
    stopped_at: "2026-12-01T14:10:00Z",
    error: null,
  };
  await deps.store.putSession({
    ...base,
    id: "0000000001-aaaaaaaa",
    server_name: "idle-one",
    exit_code: 143,
    stop_reason: "idle",
  });
  await deps.store.putSession({
    ...base,
    id: "0000000002-aaaaaaaa",
    server_name: "broken-one",
    exit_code: 1,
    stop_reason: "crashed",
  });
  const { html } = await get("/activity");
  assert.match(
    html,
    /idle-one<\/th>.*?tag tag-ok">stopped<\/span><span class="muted small"> exit 143 \(SIGTERM, idle\)/s,
  );
  assert.match(
    html,
    /broken-one<\/th>.*?tag tag-bad">exited<\/span><span class="muted small"> exit 1</s,
  );
  assert.match(html, /<time datetime="2026-12-01T14:00:00Z"[^>]*>2026-12-01 14:00:00 UTC<\/time>/);
});
