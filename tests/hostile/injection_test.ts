/**
 * Hostile input - path traversal in server names and env keys, CR/LF header injection (login
 * redirect, Location headers, the Claude Desktop config), over the REST API and the login form.
 */
import assert from "node:assert/strict";
import { hostileRouter, snapshotDiff, snapshotStore, Tally } from "./helpers.ts";
import { csrfOf } from "../helpers.ts";
import { setAdminPassword } from "../../server/auth/admin_password.ts";

const JSON_HEADERS = { "content-type": "application/json" };
const BAD_NAMES = [
  "../x",
  "..%2fx",
  "..",
  "a/b",
  "a\\b",
  "/etc/passwd",
  "%2e%2e",
  "x\u0000",
  "x\r\nSet-Cookie: a=b",
  "UPPER",
  "-leading-dash",
  "sp ace",
  "ünïcode",
  "x".repeat(49),
  "",
];
const BAD_KEYS = [
  "A/B",
  "../KEY",
  "..",
  "A=B",
  "A B",
  "1ABC",
  "A\r\nB",
  "A\u0000",
  "Ä",
  "K".repeat(129),
  "",
];

Deno.test("Hostile - traversal and control characters in server names and env keys are refused", async () => {
  await using r = await hostileRouter();
  const tally = new Tally("names and keys");
  const request = async (path: string, init?: RequestInit) => {
    const res = await r.app.request(path, init);
    return { status: res.status, text: await res.text() };
  };
  const seed = await request("/api/servers", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ name: "seed", runtime: "npx", command: "npx", args: ["x"] }),
  });
  assert.equal(seed.status, 201, seed.text);
  for (const name of BAD_NAMES) {
    const before = await snapshotStore(r.services.store.kv);
    const created = await request("/api/servers", {
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ name, runtime: "npx", command: "npx", args: ["x"] }),
    });
    assert.equal(created.status, 400, `create ${JSON.stringify(name)}: ${created.text}`);
    const renamed = await request("/api/servers/seed", {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ name }),
    });
    assert.equal(renamed.status, 400, `rename to ${JSON.stringify(name)}: ${renamed.text}`);
    for (const path of [`/api/servers/${encodeURIComponent(name)}`, `/api/servers/${name}`]) {
      const got = await request(path);
      assert.ok(got.status < 500 && got.status !== 200, `GET ${path}: ${got.status}`);
      assert.ok(!got.text.includes("root:x:0:0"), path);
      tally.add("lookups by hostile name");
    }
    assert.deepEqual(snapshotDiff(before, await snapshotStore(r.services.store.kv)), []);
    tally.add("hostile names (create + rename)", 2);
  }
  for (const key of BAD_KEYS) {
    const before = await snapshotStore(r.services.store.kv);
    for (
      const path of [
        `/api/servers/seed/env/${encodeURIComponent(key)}`,
        `/api/servers/seed/env/${key}`,
      ]
    ) {
      // URL parsing drops CR/LF/tab from an unencoded path: what arrives may be a valid key
      const seen = new URL(path, "http://x").pathname.split("/env/")[1] ?? "";
      if (/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(seen)) continue;
      const set = await request(path, {
        method: "PUT",
        headers: JSON_HEADERS,
        body: JSON.stringify({ value: "v" }),
      });
      assert.ok(
        set.status >= 400 && set.status < 500,
        `PUT env ${JSON.stringify(key)}: ${set.status}`,
      );
      tally.add("hostile env keys (PUT)");
    }
    const spec = await request("/api/servers/seed", {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({ env: [{ key }] }),
    });
    assert.equal(spec.status, 400, `env spec ${JSON.stringify(key)}: ${spec.text}`);
    tally.add("hostile env keys (spec)");
    assert.deepEqual(snapshotDiff(before, await snapshotStore(r.services.store.kv)), []);
  }
  // values are data, never structure: CR/LF and NUL in a value are stored as given
  const value = "line1\r\nline2\u0000${HOME}$(id)";
  const set = await request("/api/servers/seed/env/PLAIN", {
    method: "PUT",
    headers: JSON_HEADERS,
    body: JSON.stringify({ value, secret: false }),
  });
  assert.equal(set.status, 200, set.text);
  const got = await request("/api/servers/seed");
  const env = (JSON.parse(got.text) as { env_values: { key: string; value: string }[] }).env_values;
  assert.equal(env.find((e) => e.key === "PLAIN")?.value, value);
  tally.print();
});

Deno.test("Hostile - CR/LF never reaches a response header; redirects stay on this origin", async () => {
  await using r = await hostileRouter();
  const tally = new Tally("header injection");
  await setAdminPassword(r.services.store, "correct horse battery");
  const page = await r.app.request("/login");
  const { cookie: csrf, token } = await csrfOf(page);
  const nexts = [
    "/\r\nSet-Cookie: evil=1",
    "/\nX-Evil: 1",
    "/\t/evil.example",
    "/\\evil.example",
    "//evil.example",
    "https://evil.example/",
    "/\u0000",
    "/日本",
    "javascript:alert(1)",
  ];
  for (const next of nexts) {
    const res = await r.app.request("/login", {
      method: "POST",
      headers: { cookie: csrf, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: "correct horse battery", next, _csrf: token }),
    });
    await res.body?.cancel();
    tally.add("login next");
    assert.equal(res.status, 303, `next ${JSON.stringify(next)}`);
    const location = res.headers.get("location") ?? "";
    assert.match(
      location,
      /^\/(?![/\\])[\x21-\x7e]*$/,
      `next ${JSON.stringify(next)} → ${location}`,
    );
    for (const [name, v] of res.headers) assert.ok(!/evil/i.test(name + v), `${name}: ${v}`);
    // the login form reflects `next` escaped, never as markup
    const form = await r.app.request(`/login?next=${encodeURIComponent(next)}`);
    const html = await form.text();
    assert.ok(!/<script|evil\.example"/.test(html.replace(/value="[^"]*"/g, "")), html);
    tally.add("login page next");
  }
  // the Claude Desktop config snippet: the URL comes from the request, the rest is fixed
  for (const mode of ["stdio", "remote"]) {
    const res = await r.app.request(`/api/config/claude-desktop?mode=${mode}`);
    const body = await res.json() as { url: string; mcpServers: Record<string, unknown> };
    tally.add("config snippet");
    assert.equal(res.status, 200);
    assert.ok(!/[\r\n]/.test(JSON.stringify(body.mcpServers).replaceAll("\\n", "")));
    assert.match(body.url, /^http:\/\/[^/\s]+\/mcp$/);
  }
  tally.print();
});
