/**
 * Low findings on the admin UI, against a real router with authentication on: the CSRF token is
 * bound to the session (another session's token, or the old double-submit of a planted cookie,
 * fails); the UI cookie on `/api` needs the token for anything that changes state; `/login`
 * refuses cross-site posts and carries CSP with `frame-ancestors 'none'`.
 */
import assert from "node:assert/strict";
import { createKey } from "./cli.ts";
import { type RouterProcess, startRouter } from "../router_process.ts";
import { csrfOf, withTmpDir } from "../helpers.ts";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function signIn(
  router: RouterProcess,
  key: string,
): Promise<{ cookie: string; token: string }> {
  const pre = await csrfOf(await router.request("/login"));
  const res = await router.request("/login", {
    method: "POST",
    redirect: "manual",
    headers: { ...FORM, cookie: pre.cookie },
    body: new URLSearchParams({ password: key, next: "/", _csrf: pre.token }),
  });
  assert.equal(res.status, 303);
  await res.body?.cancel();
  const cookie = /mcpr_session=[0-9a-f]+/.exec(res.headers.get("set-cookie") ?? "")![0];
  const page = await router.request("/connect", { headers: { cookie } });
  assert.equal(page.status, 200);
  return { cookie, token: (await csrfOf(page)).token };
}

Deno.test("Security - CSRF tokens are bound to the session; the UI cookie on /api needs one", async () => {
  await using tmp = await withTmpDir();
  const key = await createKey(tmp.path, "ops", "admin");
  const router = await startRouter(tmp.path);
  try {
    const a = await signIn(router, key);
    const b = await signIn(router, key);
    assert.notEqual(a.token, b.token, "each session has its own token");
    const createKeyWith = (cookie: string, token: string | null, name: string) =>
      router.request("/connect/keys", {
        method: "POST",
        redirect: "manual",
        headers: { ...FORM, cookie },
        body: new URLSearchParams({ name, ...(token === null ? {} : { _csrf: token }) }),
      });
    for (
      const [label, res] of [
        ["no token", await createKeyWith(a.cookie, null, "k1")],
        ["another session's token", await createKeyWith(a.cookie, b.token, "k2")],
        // the old double-submit: a planted mcpr_csrf cookie and the same value as token
        [
          "planted cookie",
          await createKeyWith(`${a.cookie}; mcpr_csrf=${"ab".repeat(24)}`, "ab".repeat(24), "k3"),
        ],
      ] as const
    ) {
      assert.equal(res.status, 403, label);
      await res.body?.cancel();
    }
    const ok = await createKeyWith(a.cookie, a.token, "k4");
    assert.equal(ok.status, 303, "the session's own token works (key created, redirected)");
    assert.match(ok.headers.get("location") ?? "", /^\/connect\?created=/);
    await ok.body?.cancel();

    // the UI cookie on /api: reads work, changes need the token
    const read = await router.request("/api/servers", { headers: { cookie: a.cookie } });
    assert.equal(read.status, 200);
    await read.body?.cancel();
    const body = JSON.stringify({ name: "x", runtime: "npx", command: "npx", args: ["-y", "x"] });
    const noToken = await router.request("/api/servers", {
      method: "POST",
      headers: { cookie: a.cookie, "content-type": "application/json" },
      body,
    });
    assert.equal(noToken.status, 403);
    await noToken.body?.cancel();
    const withToken = await router.request("/api/servers", {
      method: "POST",
      headers: { cookie: a.cookie, "content-type": "application/json", "x-csrf-token": a.token },
      body,
    });
    assert.equal(withToken.status, 201, await withToken.clone().text());
    await withToken.body?.cancel();
  } finally {
    await router.stop();
  }
});

Deno.test("Security - /login refuses cross-site posts and cannot be framed", async () => {
  await using tmp = await withTmpDir();
  const key = await createKey(tmp.path, "ops", "admin");
  const router = await startRouter(tmp.path);
  try {
    const page = await router.request("/login");
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'none'/);
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    const { cookie, token } = await csrfOf(page);
    assert.match(await (await router.request("/login")).text(), /admin set-password/);
    const attacks: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of attacks) {
      const res = await router.request("/login", {
        method: "POST",
        redirect: "manual",
        headers: { ...FORM, cookie, ...headers },
        body: new URLSearchParams({ password: key, next: "/", _csrf: token }),
      });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(res.headers.get("set-cookie"), null, "no session was made");
      await res.body?.cancel();
    }
  } finally {
    await router.stop();
  }
});
