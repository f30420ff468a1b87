/**
 * Placeholder arguments end to end: a README launch with `--password your_password` and
 * `--username=YOUR_USERNAME` (through the fake GitHub REST API and the real analyzer) gives a
 * review form with one field per value (required; the password masked); saving appends them to
 * the args (`--username=alice`, `--password ${ARG_PASSWORD}` with the password a secret env
 * value); a required field left empty is a 400 that keeps what was typed; and `POST /api/servers`
 * does the same with `arg_values`.
 */
import assert from "node:assert/strict";
import { createApp } from "../../server/app/app.ts";
import { mountPages } from "../../server/pages/mount.ts";
import { createAnalyzeFn } from "../../server/services/analyze_service.ts";
import { startFakeGithub } from "../fakes/github.ts";
import { PLACEHOLDER_ARGS_REPO, PLACEHOLDER_ARGS_URL } from "../fakes/placeholder_args_repo.ts";
import { memoryDeps } from "../helpers.ts";
import { form } from "./pages_harness.ts";

const BASE = "http://localhost";
const SECRET = "hunter2-very-secret";

async function setup() {
  const github = startFakeGithub([PLACEHOLDER_ARGS_REPO]);
  const deps = await memoryDeps({
    githubApiUrl: github.url,
    npmRegistryUrl: "off",
    pypiUrl: "off",
  });
  deps.analyze = createAnalyzeFn(deps.settings, deps.store, deps.runtime);
  const app = createApp(deps, { extend: (a) => void mountPages(a, deps) });
  const req = (path: string, init?: RequestInit) => app.request(`${BASE}${path}`, init);
  return {
    deps,
    req,
    async [Symbol.asyncDispose]() {
      await deps[Symbol.asyncDispose]();
      await github.close();
    },
  };
}

/** The hidden and visible fields of a rendered form, as a submission would send them. */
function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    const name = m[0].match(/\bname="([^"]+)"/)?.[1];
    if (!name || /type="(checkbox|submit)"/.test(m[0])) continue;
    out[name] = (m[0].match(/\bvalue="([^"]*)"/)?.[1] ?? "").replace(/&#36;/g, "$");
  }
  for (const m of html.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) {
    out[m[1]] = m[2];
  }
  for (const m of html.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    out[m[1]] = m[2].match(/<option[^>]*value="([^"]*)"[^>]*selected/)?.[1] ?? "";
  }
  for (const m of html.matchAll(/<input\b[^>]*type="checkbox"[^>]*>/g)) {
    const name = m[0].match(/\bname="([^"]+)"/)?.[1];
    if (name && /\bchecked\b/.test(m[0])) out[name] = "on";
  }
  delete out._action;
  return out;
}

async function reviewPage(req: (p: string, i?: RequestInit) => Response | Promise<Response>) {
  const started = await req("/servers/new", {
    method: "POST",
    body: form({ source: PLACEHOLDER_ARGS_URL }),
  });
  assert.equal(started.status, 303);
  const jobUrl = started.headers.get("location")!;
  let page = "";
  for (let i = 0; i < 100 && !page.includes("Review the plan"); i++) {
    await new Promise((r) => setTimeout(r, 20));
    page = await (await req(jobUrl)).text();
  }
  assert.match(page, /Review the plan/);
  return page;
}

Deno.test("Arg fields - review form shows placeholder arguments as fields; saved into args", async () => {
  await using t = await setup();
  const page = await reviewPage(t.req);
  assert.match(page, /<legend>Command-line values<\/legend>/);
  const password = page.match(/<input[^>]*name="argfield\.1\.value"[^>]*>/)?.[0] ?? "";
  assert.match(password, /type="password"/);
  assert.match(password, /\brequired\b/);
  assert.match(page, /<label for="f-argfield-1">[\s\S]*?--password/);
  const username = page.match(/<input[^>]*name="argfield\.0\.value"[^>]*>/)?.[0] ?? "";
  assert.match(username, /type="text"/);
  assert.match(username, /\brequired\b/);
  const fields = formFields(page);
  assert.equal(fields["argfield.0.flag"], "--username");
  assert.equal(fields["argfield.0.equals"], "1");
  assert.equal(fields["argfield.1.flag"], "--password");
  assert.ok(!fields.args.includes("your_password"), fields.args);

  // A required value left empty: 400, what was typed kept (the password sealed, never shown).
  const empty = await t.req("/servers", {
    method: "POST",
    body: form({
      ...fields,
      display_name: "Demo typed",
      "argfield.0.value": "",
      "argfield.1.value": SECRET,
    }),
  });
  assert.equal(empty.status, 400);
  const html = await empty.text();
  assert.match(html, /Enter your value for --username/);
  assert.match(html, /id="f-argfield-0-error">required/);
  assert.match(html, /value="Demo typed"/);
  assert.ok(!html.includes(SECRET));
  assert.match(html, /name="argfield\.1\.sealed" value="[^"]+"/);
  assert.equal((await t.deps.store.listServers()).length, 0);

  // Saved with the username typed and the sealed password: both land in the args, in order.
  const again = formFields(html);
  const saved = await t.req("/servers", {
    method: "POST",
    body: form({ ...again, "argfield.0.value": "alice" }),
  });
  assert.equal(saved.status, 303, await saved.clone().text());
  const [server] = await t.deps.store.listServers();
  assert.equal(server.display_name, "Demo typed");
  assert.deepEqual(server.args.slice(-3), ["--username=alice", "--password", "${ARG_PASSWORD}"]);
  assert.ok(!JSON.stringify(server).includes(SECRET));
  assert.ok(server.env.some((e) => e.key === "ARG_PASSWORD" && e.secret && e.required));
  assert.equal((await t.deps.store.getEnvValues(server.id)).ARG_PASSWORD, SECRET);
  assert.ok(!JSON.stringify(await t.deps.store.listAudit()).includes(SECRET));
  const listing = await (await t.req("/api/servers")).text();
  assert.ok(!listing.includes(SECRET));
  const view = await (await t.req(`/servers/${server.id}`)).text();
  assert.ok(!view.includes(SECRET));
});

Deno.test("Arg fields - POST /api/servers fills arg_fields from arg_values, or names what is missing", async () => {
  await using t = await setup();
  const analyzed = await t.req("/api/servers/analyze", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ source: PLACEHOLDER_ARGS_URL }),
  });
  assert.equal(analyzed.status, 200);
  const plan = await analyzed.json();
  assert.deepEqual(
    plan.arg_fields.map((f: { flag: string; secret: boolean; equals: boolean }) => [
      f.flag,
      f.secret,
      f.equals,
    ]),
    [["--username", false, true], ["--password", true, false]],
  );
  const post = (body: unknown) =>
    t.req("/api/servers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  // The analyzed plan is accepted as is: each value not given waits in a required env value,
  // and the server is `needs_setup` until the user sets it.
  const asIs = await post({ ...plan, name: "placeholder-as-is" });
  assert.equal(asIs.status, 201, await asIs.clone().text());
  const pending = await asIs.json();
  assert.deepEqual(pending.args.slice(-3), [
    "--username=${ARG_USERNAME}",
    "--password",
    "${ARG_PASSWORD}",
  ]);
  assert.equal(pending.health.status, "needs_setup");
  assert.deepEqual([...pending.health.missing].sort(), ["ARG_PASSWORD", "ARG_USERNAME"]);
  const partly = await post({
    ...plan,
    name: "placeholder-partly",
    arg_values: { "--username": "bob" },
  });
  assert.equal(partly.status, 201);
  const half = await partly.json();
  assert.ok(half.args.includes("--username=bob"));
  assert.deepEqual(half.health.missing, ["ARG_PASSWORD"]);

  const created = await post({
    ...plan,
    arg_values: { "--username": "bob", "--password": SECRET },
  });
  assert.equal(created.status, 201, await created.clone().text());
  const text = await created.text();
  assert.ok(!text.includes(SECRET));
  const body = JSON.parse(text);
  assert.deepEqual(body.args.slice(-3), ["--username=bob", "--password", "${ARG_PASSWORD}"]);
  assert.equal(body.arg_fields, undefined);
  assert.equal((await t.deps.store.getEnvValues(body.id)).ARG_PASSWORD, SECRET);
  assert.notEqual(body.health.status, "needs_setup");
});
