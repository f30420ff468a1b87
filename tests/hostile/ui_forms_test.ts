/**
 * Hostile input - admin UI form posts (with a valid CSRF token) carrying hostile fields: no 5xx,
 * no injected or off-site redirect, no reflected markup, and rejected posts change nothing.
 * (`/connect/install` is left out: it writes the real Claude Desktop config of this machine.)
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { hostileRouter, snapshotDiff, snapshotStore, Tally } from "./helpers.ts";
import { csrfOf } from "../helpers.ts";
import { HOSTILE_STRINGS, hostileString } from "./schema_arb.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";

const XSS = "<script>alert(1)</script>";
const ROUTES = [
  "/servers/new",
  "/servers",
  "/servers/:id/edit",
  "/servers/:id/env",
  "/servers/:id/active",
  "/servers/:id/delete",
  "/servers/:id/test",
  "/servers/:id/tools/:tool/call",
  "/connect/keys/:id/revoke",
];
const FIELDS = [
  "source",
  "verify",
  "name",
  "display_name",
  "description",
  "runtime",
  "package",
  "image",
  "install",
  "command",
  "args",
  "transport",
  "url",
  "port",
  "path",
  "lifecycle",
  "namespace",
  "version",
  "job",
  "_action",
  "env.r1.key",
  "env.r1.value",
  "env.r1.secret",
  "env.r1.default",
  "env.../x.key",
  "value.API_KEY",
  "clear.API_KEY",
  "value.PLAIN",
  "active",
  "redirect",
  "arguments",
  "confirm",
];
const PLAUSIBLE: Record<string, string[]> = {
  runtime: ["npx", "uvx", "image", "remote", "source"],
  transport: ["stdio", "sse", "http"],
  lifecycle: ["session", "call", "shared"],
  _action: ["save", "add_env", "remove_env:r1", "remove_env:../../x"],
  redirect: [
    "/",
    "/servers",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\r\nX-Evil: 1",
    "/日本",
  ],
  active: ["true", "false"],
  name: ["ui-made", "seed-npx", "../x", "A B", "x".repeat(60)],
  command: ["npx", "$(id)", ""],
  url: ["http://127.0.0.1:9/mcp", "javascript:alert(1)", "file:///etc/passwd"],
};

function seedPlan(name: string) {
  return PlanSchema.parse(
    name === "seed-npx"
      ? {
        name,
        runtime: "npx",
        command: "npx",
        args: ["-y", "@example/pkg"],
        env: [{ key: "API_KEY", required: true, secret: true }, { key: "PLAIN" }],
      }
      : { name, runtime: "remote", url: "http://127.0.0.1:9/mcp" },
  );
}

Deno.test("Hostile - admin UI form posts with hostile fields", async () => {
  const github = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => Response.json({ message: "Not Found" }, { status: 404 }),
  );
  await using r = await hostileRouter({
    githubApiUrl: `http://127.0.0.1:${github.addr.port}`,
    anthropicBaseUrl: `http://127.0.0.1:${github.addr.port}`,
  });
  const tally = new Tally("admin UI form posts");
  try {
    const home = await r.app.request("/");
    if (home.status === 404) {
      await home.body?.cancel();
      console.log("admin UI not mounted: skipped");
      return;
    }
    const { cookie: csrfCookie, token } = await csrfOf(home);
    assert.ok(token, "the UI hands out a CSRF token");
    const store = r.services.store;
    const ensureSeeds = async () => {
      const ids = new Map<string, string>();
      for (const name of ["seed-npx", "seed-remote"]) {
        const found = await store.findServer(name) ?? await store.createServer(seedPlan(name));
        ids.set(name, found.id);
      }
      return ids;
    };
    const value = (field: string) =>
      PLAUSIBLE[field]
        ? fc.oneof(fc.constantFrom(...PLAUSIBLE[field]), hostileString)
        : fc.oneof(hostileString, fc.constant(XSS), fc.string({ maxLength: 20 }));
    const formArb = fc.uniqueArray(fc.constantFrom(...FIELDS), { minLength: 0, maxLength: 10 })
      .chain((fields) =>
        fc.tuple(...fields.map((f) => value(f).map((v) => [f, v] as [string, string])))
      );
    const target = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("$seed-npx", "seed-npx", "$seed-remote") },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        target,
        fc.constantFrom("echo", "../x", XSS),
        formArb,
        fc.boolean(),
        async (route, id, tool, fields, htmx) => {
          runs++;
          const ids = await ensureSeeds();
          const resolved = id.startsWith("$") ? ids.get(id.slice(1))! : id;
          const path = route.replace(":id", encodeURIComponent(resolved)).replace(
            ":tool",
            encodeURIComponent(tool),
          );
          const form = new URLSearchParams(fields);
          form.set("_csrf", token);
          const headers: Record<string, string> = {
            cookie: csrfCookie,
            "content-type": "application/x-www-form-urlencoded",
          };
          if (htmx) headers["hx-request"] = "true";
          const before = await snapshotStore(store.kv);
          const res = await r.app.request(path, { method: "POST", headers, body: form });
          const text = await res.text();
          const after = await snapshotStore(store.kv);
          tally.add(`POST ${route}`);
          const what = `POST ${path.slice(0, 100)} ${
            JSON.stringify(fields).slice(0, 300)
          } → ${res.status} ${text.slice(0, 200)}`;
          assert.ok(res.status < 500, what);
          for (const [name, v] of res.headers) {
            assert.ok(!/evil/i.test(v), `header ${name}: ${v} ← ${what}`);
            if (name === "location" || name === "hx-redirect") {
              assert.match(v, /^\/(?![/\\])/, `off-site redirect ${v} ← ${what}`);
            }
          }
          assert.ok(!text.includes(XSS), `unescaped markup reflected ← ${what}`);
          if (res.status >= 400) {
            assert.deepEqual(
              snapshotDiff(before, after),
              [],
              `rejected post changed the store ← ${what}`,
            );
          }
        },
      ),
      { numRuns: 250 },
    );
    console.log(`UI form posts: ${runs}`);
    // hostile API key names, last: the first key turns authentication on
    for (const name of [XSS, "\r\nX-Evil: 1", "x".repeat(10_000), "", "../../k"]) {
      const res = await r.app.request("/connect/keys", {
        method: "POST",
        headers: { cookie: csrfCookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ name, _csrf: token }),
      });
      const text = await res.text();
      tally.add("POST /connect/keys");
      assert.ok(res.status < 500, `${res.status} ${text.slice(0, 200)}`);
      assert.ok(!text.includes(XSS), "key name is escaped");
      for (const [, v] of res.headers) assert.ok(!/evil/i.test(v));
      if (res.status < 400) break; // created (303 to the one-time view): authentication is on
    }
    const { key } = await createApiKey(store, "fuzz", "admin");
    const authed = await r.app.request("/api/servers", {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(authed.status, 200, "the router still serves after the UI barrage");
    await authed.body?.cancel();
  } finally {
    await github.shutdown();
  }
  tally.print();
});
