/**
 * @module CSRF protection for the admin pages (double-submit token): every state-changing form
 * and htmx request must carry the `mcpr_csrf` cookie's value as `_csrf` field or `X-CSRF-Token`
 * header. HTML responses get the token injected into every form and into htmx's headers, so pages
 * need not know about it.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app_env.ts";
import { AppError } from "../errors.ts";

/** Cookie holding the CSRF token. */
export const CSRF_COOKIE = "mcpr_csrf";
const EXEMPT = [/^\/mcp$/, /^\/sse$/, /^\/messages$/, /^\/api\//, /^\/metrics$/];
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

function newToken(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(24)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** Put the token into every form and into htmx's request headers of an HTML page. */
export function injectToken(html: string, token: string): string {
  const field = `<input type="hidden" name="_csrf" value="${token}">`;
  let out = html.replace(/<\/form>/gi, `${field}</form>`);
  out = out.replace(
    /<body([^>]*)>/i,
    (_m, attrs: string) =>
      attrs.includes("hx-headers")
        ? `<body${attrs}>`
        : `<body${attrs} hx-headers='{"X-CSRF-Token":"${token}"}'>`,
  );
  return out;
}

/** The CSRF middleware (admin pages only; API, MCP and metrics are exempt). */
export function csrfMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (EXEMPT.some((p) => p.test(c.req.path))) return await next();
    const cookie = getCookie(c, CSRF_COOKIE);
    if (!SAFE.has(c.req.method)) {
      let presented = c.req.header("x-csrf-token");
      if (!presented) {
        const type = c.req.header("content-type") ?? "";
        if (type.includes("form")) {
          // Read a clone: the route reads the body itself afterwards.
          const form = await c.req.raw.clone().formData().catch(() => null);
          const value = form?.get("_csrf");
          presented = typeof value === "string" ? value : undefined;
        }
      }
      if (!cookie || !presented || presented !== cookie) {
        throw new AppError(
          "forbidden",
          403,
          "missing or invalid CSRF token; reload the page and retry",
        );
      }
    }
    await next();
    const type = c.res.headers.get("content-type") ?? "";
    if (!type.includes("text/html")) return;
    const token = cookie ?? newToken();
    const html = await c.res.text();
    const headers = new Headers(c.res.headers);
    headers.delete("content-length");
    if (!cookie) {
      const secure = new URL(c.req.url).protocol === "https:" ||
        c.req.header("x-forwarded-proto") === "https";
      headers.append(
        "set-cookie",
        `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`,
      );
    }
    c.res = new Response(injectToken(html, token), { status: c.res.status, headers });
  };
}
