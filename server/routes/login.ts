/**
 * @module Admin login: `/login` (password set with `main.ts admin set-password`, or an admin
 * API key; the page says so, and whether a password is set) and `/logout`. Sets the `HttpOnly; SameSite=Strict` session cookie.
 */
import type { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app/app_env.ts";
import type { Store } from "../store/store.ts";
import { checkAdminPassword, hasAdminPassword } from "../auth/admin_password.ts";
import { verifyApiKey } from "../auth/api_keys.ts";
import { recordAuthFailure } from "../observability/auth_metrics.ts";
import {
  createUiSession,
  deleteUiSession,
  SESSION_COOKIE,
  sessionCookie,
} from "../auth/ui_sessions.ts";
import type { FailureLimiter } from "../middleware/auth.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Headers of the login page: no scripts, no framing, forms only to this origin. */
const LOGIN_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};

function loginResponse(html: string, status = 200): Response {
  return new Response(html, { status, headers: LOGIN_HEADERS });
}

/** Where the admin password comes from, and why sign-in is asked at all. */
function passwordHelp(passwordSet: boolean | undefined): string {
  const set = passwordSet === false
    ? `<p class="hint" id="no-password"><strong>No admin password is set yet.</strong></p>`
    : "";
  return `${set}<div class="hint" id="password-help"><p>Sign-in is on once the first API key exists
(or when the router listens beyond 127.0.0.1); a loopback-only router without keys asks nobody.</p>
<p>The admin password is set on the router's host, never in the browser: run
<code>deno run -A main.ts admin set-password</code> (it reads the password from stdin, 8
characters or more; run it again to change it). Or sign in with a key made by
<code>main.ts keys create NAME --scope admin</code>; <code>mcp</code> keys cannot sign in.</p></div>`;
}

/** The login page (self-contained so it works before any other asset loads). */
export function loginPage(
  options: { error?: string; next: string; csrfToken?: string | null; passwordSet?: boolean },
): string {
  const csrf = options.csrfToken
    ? `<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">\n`
    : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · MCP Router</title>
<style>body{font:16px system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f5f6f8}
form{background:#fff;padding:2rem;border-radius:10px;box-shadow:0 1px 4px #0002;width:min(22rem,90vw)}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.6rem;font:inherit}
button{margin-top:1.2rem;width:100%;padding:.7rem;font:inherit;font-weight:600;background:#2457d6;color:#fff;border:0;border-radius:6px}
.err{color:#b00020}.hint{color:#555;font-size:.85rem;margin-top:1rem}.hint p{margin:.5rem 0}</style></head><body>
<form method="post" action="/login"><h1>MCP Router</h1>
${options.error ? `<p class="err" role="alert">${escapeHtml(options.error)}</p>` : ""}
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
${csrf}<label for="password">Admin password or admin API key</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
${passwordHelp(options.passwordSet)}</form></body></html>`;
}

/**
 * A same-origin path to go to after login, or `/`. Refuses `//host`, backslashes and control
 * characters: browsers strip tabs/newlines and read `\` as `/` (`/\t/evil.com` → `//evil.com`),
 * and CR/LF cannot go into a Location header at all.
 */
function safeNext(next: unknown): string {
  // deno-lint-ignore no-control-regex
  return typeof next === "string" && /^\/(?![/\\])[^\x00-\x1f\x7f\\]*$/.test(next) ? next : "/";
}

/** Mount `/login` and `/logout`. */
export function mountLogin(app: Hono<AppEnv>, store: Store, limiter: FailureLimiter): void {
  app.get("/login", async (c) =>
    loginResponse(
      loginPage({
        next: safeNext(c.req.query("next")),
        csrfToken: c.var.csrf?.token,
        passwordSet: await hasAdminPassword(store).catch(() => undefined),
      }),
    ));
  app.post("/login", async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(body.next);
    const secret = typeof body.password === "string" ? body.password : "";
    const client = c.get("client");
    if (limiter.blocked(client)) {
      recordAuthFailure("rate_limited");
      return loginResponse(
        loginPage({
          error: "Too many attempts; wait a minute.",
          next,
          csrfToken: c.var.csrf?.token,
        }),
        429,
      );
    }
    let actor: string | null = null;
    let keyId: string | null = null;
    let error = "Wrong password or key.";
    if (await checkAdminPassword(store, secret)) actor = "admin";
    else {
      const key = await verifyApiKey(store, secret);
      if (key && key.scope === "admin") {
        actor = `key:${key.name}`;
        keyId = key.id;
      } else if (key) error = "This API key has scope 'mcp': only admin keys may sign in.";
    }
    if (!actor) {
      recordAuthFailure("bad_login");
      limiter.fail(client);
      const passwordSet = await hasAdminPassword(store).catch(() => undefined);
      return loginResponse(
        loginPage({ error, next, csrfToken: c.var.csrf?.token, passwordSet }),
        401,
      );
    }
    const secure = new URL(c.req.url).protocol === "https:" ||
      c.req.header("x-forwarded-proto") === "https";
    c.header("set-cookie", sessionCookie(await createUiSession(store, actor, keyId), secure));
    await store.appendAudit({
      actor,
      action: "admin.login",
      details: keyId ? { key_id: keyId } : {},
    });
    return c.redirect(next, 303);
  });
  app.post("/logout", async (c) => {
    await deleteUiSession(store, getCookie(c, SESSION_COOKIE));
    c.header("set-cookie", sessionCookie("", false, 0));
    return c.redirect("/login", 303);
  });
}
