/**
 * @module Headless authorization for tests: request an authorization URL as a browser would,
 * follow redirects (at most five, sending along cookies it was given) until one goes to a URL
 * carrying `code` or `error`, and return that URL's query — without requesting it; and approving
 * a router's own consent page (its embedded authorization server) the same way.
 */
import assert from "node:assert/strict";
import { csrfOf } from "../helpers.ts";

/**
 * Follow `url` to the redirect that carries the authorization response.
 * @param url the authorization URL
 * @param options `cookie`: a Cookie header to send (e.g. an admin sign-in)
 * @returns the callback's query (`code`, `state`, `iss`, or `error`)
 * @throws {Error} when no redirect carries a code or an error
 */
export async function followAuthorization(
  url: string,
  options: { cookie?: string } = {},
): Promise<URLSearchParams> {
  let next = new URL(url);
  for (let hop = 0; hop < 5; hop++) {
    const res = await fetch(next, {
      redirect: "manual",
      headers: options.cookie ? { cookie: options.cookie } : {},
    });
    await res.body?.cancel().catch(() => {});
    const location = res.headers.get("location");
    if (!location) {
      throw new Error(`no redirect from ${next.origin}${next.pathname} (${res.status})`);
    }
    const target = new URL(location, next);
    if (target.searchParams.has("code") || target.searchParams.has("error")) {
      return target.searchParams;
    }
    next = target;
  }
  throw new Error("too many redirects before the authorization response");
}

/**
 * Approve a router's consent page (its embedded authorization server) as its signed-in admin.
 * @param authorizeUrl the authorization request
 * @param cookie the admin's sign-in cookie there
 * @returns the redirect back to the client (its callback with `code`, `state`, `iss`)
 */
export async function approveOnRouter(authorizeUrl: string, cookie: string): Promise<URL> {
  const page = await fetch(authorizeUrl, { headers: { cookie }, redirect: "manual" });
  assert.equal(page.status, 200, "the downstream shows its consent page");
  const { token, cookie: nonce } = await csrfOf(page);
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  form.set("_csrf", token);
  form.set("decision", "approve");
  const res = await fetch(new URL("/oauth/authorize", authorizeUrl), {
    method: "POST",
    headers: {
      cookie: [cookie, nonce].filter(Boolean).join("; "),
      "content-type": "application/x-www-form-urlencoded",
      origin: new URL(authorizeUrl).origin,
    },
    body: form,
    redirect: "manual",
  });
  await res.body?.cancel();
  assert.equal(res.status, 303);
  return new URL(res.headers.get("location")!);
}
