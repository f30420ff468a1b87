/**
 * @module The authorization endpoint. `GET /oauth/authorize` checks the request, then asks the
 * signed-in admin (the UI login; nobody in open local mode) to approve the client on the consent
 * page — unless this client's consent for these scopes is remembered, or it is the test mode's
 * client. `POST /oauth/authorize` is the consent form (CSRF-checked by the middleware). Approval
 * redirects to the client with `code`, `state` and `iss`; denial with `error=access_denied`.
 */
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app/app_env.ts";
import type { Settings } from "../settings.ts";
import type { Store } from "../store/store.ts";
import { authRequired } from "../auth/policy.ts";
import { activeApiKeys } from "../auth/api_keys.ts";
import { SESSION_COOKIE, uiSession } from "../auth/ui_sessions.ts";
import { renderPage } from "../../views/render.ts";
import { MessagePage } from "../../views/pages/MessagePage.tsx";
import { ConsentPage } from "../../views/pages/ConsentPage.tsx";
import type { ClientDeps } from "./clients.ts";
import {
  type AuthorizeRequest,
  checkAuthorizeRequest,
  clientRedirect,
} from "./authorize_request.ts";
import { canonicalResource, issuerOf } from "./issuer.ts";
import { issueCode } from "./token_service.ts";
import { OAUTH_PATHS } from "./paths.ts";

/** What the authorization endpoint needs. */
export interface AuthorizeDeps {
  settings: Settings;
  store: Store;
  clients: ClientDeps;
}

/** Marks the one same-site reload of a cross-site arrival (so the Strict cookie is sent). */
const BOUNCE = "_same";

/** The signed-in admin (`local` in open local mode), or null. */
async function signedInActor(c: Context<AppEnv>, deps: AuthorizeDeps): Promise<string | null> {
  const session = await uiSession(deps.store, getCookie(c, SESSION_COOKIE));
  if (session) {
    if (session.keyId === null) return session.actor;
    if ((await activeApiKeys(deps.store)).some((k) => k.id === session.keyId)) {
      return session.actor;
    }
  }
  const keys = (await deps.store.hasActiveApiKeys()) ? 1 : 0;
  return authRequired(deps.settings.host, keys) ? null : "local";
}

function messagePage(c: Context<AppEnv>, message: string, status = 400): Response {
  return renderPage(
    c.req.raw,
    MessagePage({ title: "Authorization failed", message, link: { href: "/", label: "Home" } }),
    { title: "Authorization failed", status, csrfToken: c.var.csrf?.token },
  );
}

async function approve(
  c: Context<AppEnv>,
  deps: AuthorizeDeps,
  request: AuthorizeRequest,
  actor: string,
): Promise<Response> {
  const code = await issueCode(deps.store.oauth, {
    client_id: request.client.client_id,
    redirect_uri: request.redirectUri,
    code_challenge: request.codeChallenge,
    resource: request.resource,
    scopes: request.scopes,
    approved_by: actor,
  });
  await deps.store.appendAudit({
    actor,
    action: "oauth.approve",
    details: { client_id: request.client.client_id, scopes: request.scopes },
  });
  const to = clientRedirect(request.redirectUri, issuerOf(c.req.raw), request.state, { code });
  return c.redirect(to, c.req.method === "POST" ? 303 : 302);
}

/** The consent page's CSP must let the form's redirect reach the client. */
function formTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol;
}

function consentPage(c: Context<AppEnv>, request: AuthorizeRequest, actor: string): Response {
  const target = formTarget(request.redirectUri);
  return renderPage(
    c.req.raw,
    ConsentPage({
      clientName: request.client.client_name,
      clientId: request.client.client_id,
      redirectHost: target,
      scopes: request.scopes,
      params: request.params,
      actor,
    }),
    {
      title: "Authorize a client",
      csrfToken: c.var.csrf?.token,
      headers: {
        "content-security-policy":
          "default-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; " +
          `base-uri 'none'; frame-ancestors 'none'; form-action 'self' ${target}`,
      },
    },
  );
}

/** Sign-in first: back to this request afterwards (once reloaded same-site, see BOUNCE). */
function toLogin(c: Context<AppEnv>): Response {
  const url = new URL(c.req.url);
  const crossSite = c.req.header("sec-fetch-site") === "cross-site";
  if (crossSite && !getCookie(c, SESSION_COOKIE) && !url.searchParams.has(BOUNCE)) {
    url.searchParams.set(BOUNCE, "1");
    const self = `${url.pathname}${url.search}`.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    return new Response(
      `<!doctype html><meta http-equiv="refresh" content="0;url=${self}"><title>…</title>`,
      {
        headers: {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
        },
      },
    );
  }
  url.searchParams.delete(BOUNCE);
  return c.redirect(`/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`, 303);
}

async function handle(
  c: Context<AppEnv>,
  deps: AuthorizeDeps,
  input: (name: string) => string | undefined,
  decision: string | undefined,
): Promise<Response> {
  const issuer = issuerOf(c.req.raw);
  const check = await checkAuthorizeRequest(deps.clients, input, canonicalResource(c.req.raw));
  if (check.kind === "fatal") return messagePage(c, check.message);
  if (check.kind === "error") {
    return c.redirect(
      clientRedirect(check.redirectUri, issuer, check.state, {
        error: check.error.code,
        error_description: check.error.message,
      }),
      302,
    );
  }
  const request = check.request;
  if (request.client.kind === "test") return await approve(c, deps, request, "test");
  const actor = await signedInActor(c, deps);
  if (!actor) return decision === undefined ? toLogin(c) : messagePage(c, "Sign in first.", 401);
  const clientId = request.client.client_id;
  if (decision === "deny") {
    return c.redirect(
      clientRedirect(request.redirectUri, issuer, request.state, {
        error: "access_denied",
        error_description: "the administrator denied the request",
      }),
      303,
    );
  }
  const remembered = await deps.store.oauth.getConsent(clientId);
  if (decision === "approve") {
    const scopes = [...new Set([...(remembered?.scopes ?? []), ...request.scopes])];
    await deps.store.oauth.putConsent({
      client_id: clientId,
      scopes,
      at: new Date().toISOString(),
    });
    return await approve(c, deps, request, actor);
  }
  if (remembered && request.scopes.every((s) => remembered.scopes.includes(s))) {
    return await approve(c, deps, request, actor);
  }
  return consentPage(c, request, actor);
}

/** Mount `GET` and `POST /oauth/authorize`. */
export function mountAuthorize(app: Hono<AppEnv>, deps: AuthorizeDeps): void {
  app.get(OAUTH_PATHS.authorize, (c) => handle(c, deps, (name) => c.req.query(name), undefined));
  app.post(OAUTH_PATHS.authorize, async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) =>
      typeof form[name] === "string" ? form[name] as string : undefined;
    const decision = field("decision") === "approve" ? "approve" : "deny";
    return await handle(c, deps, field, decision);
  });
}
