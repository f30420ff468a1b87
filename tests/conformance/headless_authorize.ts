/**
 * @module Headless authorization for tests: request an authorization URL as a browser would,
 * follow redirects (at most five, sending along cookies it was given) until one goes to a URL
 * carrying `code` or `error`, and return that URL's query — without requesting it.
 */

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
