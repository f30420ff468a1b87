/**
 * @module Helpers of the OAuth tests: PKCE pairs, DCR, the authorization request, the consent
 * form, and the token endpoint, all through `app.request()`.
 */
import assert from "node:assert/strict";
import type { RouterApp } from "../../../server/app/router_app.ts";
import { s256 } from "../../../server/oauth/pkce.ts";
import { csrfOf } from "../../helpers.ts";

/** The canonical URI of the in-process router (`app.request` uses `http://localhost`). */
export const RESOURCE = "http://localhost/mcp";
/** The issuer of the in-process router. */
export const ISSUER = "http://localhost";
/** A loopback redirect URI. */
export const REDIRECT = "http://127.0.0.1:4567/callback";

/** A fresh PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const verifier = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
  return { verifier, challenge: s256(verifier) };
}

/** Register a client through DCR. */
export async function registerClient(
  app: RouterApp,
  meta: Record<string, unknown> = {},
): Promise<{ client_id: string; client_secret?: string }> {
  const res = await app.request("/oauth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Test Client", redirect_uris: [REDIRECT], ...meta }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return await res.json();
}

/** The query of an authorization request. */
export function authorizeQuery(
  clientId: string,
  challenge: string,
  extra: Record<string, string> = {},
): string {
  return new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "st4te",
    resource: RESOURCE,
    ...extra,
  }).toString();
}

/**
 * Run the consent step: GET the authorization endpoint (as `cookie`), approve on the page.
 * @returns the redirect back to the client
 */
export async function approveConsent(
  app: RouterApp,
  query: string,
  cookie: string,
  decision = "approve",
): Promise<URL> {
  const page = await app.request(`/oauth/authorize?${query}`, { headers: { cookie } });
  assert.equal(page.status, 200, "the consent page is shown");
  const html = await page.clone().text();
  assert.match(html, /Approve/);
  const { token, cookie: nonce } = await csrfOf(page);
  const form = new URLSearchParams(query);
  form.set("_csrf", token);
  form.set("decision", decision);
  const cookies = [cookie, nonce].filter(Boolean).join("; ");
  const res = await app.request("/oauth/authorize", {
    method: "POST",
    headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  assert.equal(res.status, 303, await res.clone().text());
  return new URL(res.headers.get("location") ?? "");
}

/** POST a form to the token (or revocation) endpoint. */
export async function postForm(
  app: RouterApp,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return await app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
}
