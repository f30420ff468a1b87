/**
 * Connect page routes on the full `serve` app (auth, CSRF): key creation is post/redirect/get
 * with a single-use reveal, duplicate names are refused inline, the new key fills the remote
 * snippets once, the stdio command never points into the npx cache, remote setup uses the
 * public origin, the stdio client's presence shows, and the login page explains the password.
 */
import assert from "node:assert/strict";
import { csrfOf, tmpRouter } from "../helpers.ts";
import { setAdminPassword } from "../../server/auth/admin_password.ts";

const FORM = { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" };
const KEY = /mcpr_[0-9a-f]{48}/g;

type Router = Awaited<ReturnType<typeof tmpRouter>>;

/** Create the first key from the page; returns the redirect and the creator's session cookie. */
async function createFirstKey(r: Router, name: string) {
  const { cookie, token } = await csrfOf(await r.app.request("/connect"));
  const res = await r.app.request("/connect/keys", {
    method: "POST",
    headers: { ...FORM, cookie },
    body: new URLSearchParams({ name, scope: "mcp", _csrf: token }),
  });
  await res.body?.cancel();
  const session = /mcpr_session=[0-9a-f]{64}/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  assert.ok(session, "the creator stays signed in");
  return { res, session };
}

Deno.test("Connect - key creation is post/redirect/get; a reload neither shows nor makes a key", async () => {
  await using r = await tmpRouter();
  const { res, session } = await createFirstKey(r, "laptop");
  assert.equal(res.status, 303);
  const location = res.headers.get("location") ?? "";
  assert.match(location, /^\/connect\?created=[0-9a-f]{32}$/);
  assert.ok(!/mcpr_/.test(location), "never the key in the URL");

  const shown = await r.app.request(location, { headers: { cookie: session } });
  assert.equal(shown.status, 200);
  assert.equal(shown.headers.get("cache-control"), "no-store");
  const html = await shown.text();
  const keys = [...new Set(html.match(KEY))];
  assert.equal(keys.length, 1, "one key on the page");
  const key = keys[0];
  const block = (id: string) => new RegExp(`<pre id="${id}"[^>]*>([^<]*)</pre>`).exec(html)?.[1];
  assert.equal(block("new-key"), key);
  for (const id of ["remote-entry", "remote-command"]) {
    const text = block(id) ?? "";
    assert.equal(text.split(key).length - 1, 1, `${id} carries the key once`);
  }
  assert.match(
    block("remote-command")!,
    /npx -y mcp-remote \S+\/mcp --header &quot;Authorization: Bearer mcpr_/,
  );

  // A reload: the token is spent; no key, no second record, and a note saying why.
  const reload = await r.app.request(location, { headers: { cookie: session } });
  const again = await reload.text();
  assert.equal(reload.status, 200);
  assert.ok(!again.includes(key), "the key is shown once");
  assert.equal(again.match(KEY), null);
  assert.match(again, /shown once already/);
  assert.match(again, /Bearer \$\{KEY\}/, "the placeholder is back in the command");
  assert.equal((await r.services.store.listApiKeys()).length, 1);

  // Forged or malformed tokens show nothing either.
  for (const t of ["0".repeat(32), "zz", ""]) {
    const page = await (await r.app.request(`/connect?created=${t}`, {
      headers: { cookie: session },
    })).text();
    assert.equal(page.match(KEY), null);
  }
});

Deno.test("Connect - a duplicate key name is refused inline, typed values kept", async () => {
  await using r = await tmpRouter();
  const { session } = await createFirstKey(r, "laptop");
  const { token } = await csrfOf(await r.app.request("/connect", { headers: { cookie: session } }));
  const res = await r.app.request("/connect/keys", {
    method: "POST",
    headers: { ...FORM, cookie: session },
    body: new URLSearchParams({ name: "laptop", scope: "admin", _csrf: token }),
  });
  assert.equal(res.status, 409);
  const html = await res.text();
  assert.match(html, /An active key named “laptop” exists already/);
  assert.match(html, /aria-invalid="true"/);
  assert.match(html, /name="name"[^>]*value="laptop"|value="laptop"[^>]*name="name"/);
  assert.match(html, /value="admin" selected/);
  assert.equal(html.match(KEY), null);
  assert.equal((await r.services.store.listApiKeys()).length, 1);
});

Deno.test("Connect - the stdio command is stable and remote setup uses the public origin", async () => {
  await using r = await tmpRouter({ allowedHosts: ["mcp.example.com"] });
  const local = await (await r.app.request("/connect")).text();
  const stdio = /<pre id="stdio-entry"[^>]*>([^<]*)<\/pre>/.exec(local)?.[1] ?? "";
  assert.match(stdio, /&quot;stdio&quot;/);
  assert.ok(!stdio.includes("_npx"), stdio);
  assert.ok(!/<code[^>]*id="stdio-command"[^>]*>[^<]*_npx/.test(local));
  // Loopback request: the first allowed host names the public origin.
  assert.match(local, /npx -y mcp-remote https:\/\/mcp\.example\.com\/mcp --header/);
  assert.match(local, /reverse proxy/i);
  assert.match(local, /MCP_ROUTER_ALLOWED_HOSTS=mcp\.example\.com/);
  assert.match(local, /OAuth/);

  // Through the proxy: the request's own Host and scheme.
  const proxied = await (await r.app.request("http://mcp.example.com/connect", {
    headers: { host: "mcp.example.com", "x-forwarded-proto": "https" },
  })).text();
  assert.match(proxied, /https:\/\/mcp\.example\.com\/mcp/);
  assert.ok(!/mcp-remote http:\/\/127\.0\.0\.1/.test(proxied));
});

Deno.test("Connect - without a public name the remote steps show a placeholder, not 127.0.0.1", async () => {
  await using r = await tmpRouter();
  const html = await (await r.app.request("/connect")).text();
  assert.match(html, /mcp-remote https:\/\/YOUR-HOST\/mcp/);
  assert.ok(!/mcp-remote http:\/\/(127\.0\.0\.1|localhost)/.test(html));
  assert.match(html, /No Claude Desktop \(stdio\) client has connected yet/);
});

Deno.test("Connect - a live stdio client's heartbeat shows as connected; a stale one does not", async () => {
  await using r = await tmpRouter();
  const now = new Date().toISOString();
  await r.services.store.setMeta("stdio_presence", {
    id: "p1",
    client: { name: "claude-ai", version: "0.1.0" },
    started_at: now,
    seen_at: now,
    ended_at: null,
  });
  const live = await (await r.app.request("/connect")).text();
  assert.match(live, /Claude Desktop \(claude-ai 0\.1\.0\) connected \(last seen \d+ s ago\)/);
  const old = new Date(Date.now() - 10 * 60_000).toISOString();
  await r.services.store.setMeta("stdio_presence", {
    id: "p1",
    client: { name: "claude-ai", version: "0.1.0" },
    started_at: old,
    seen_at: old,
    ended_at: null,
  });
  const stale = await (await r.app.request("/connect")).text();
  assert.match(
    stale,
    /Not connected; Claude Desktop \(claude-ai 0\.1\.0\) was last seen 10 min ago/,
  );
});

Deno.test("Login - the page says where the admin password comes from and that keys turn it on", async () => {
  await using r = await tmpRouter();
  await createFirstKey(r, "laptop");
  const before = await (await r.app.request("/login")).text();
  assert.match(before, /No admin password is set yet/);
  assert.match(before, /main\.ts admin set-password/);
  assert.match(before, /first API key turns it on|once the first API key exists/);
  assert.match(before, /--scope admin/);
  await setAdminPassword(r.services.store, "a-long-password");
  const after = await (await r.app.request("/login")).text();
  assert.ok(!after.includes("No admin password is set yet"));
  assert.match(after, /main\.ts admin set-password/);
});
