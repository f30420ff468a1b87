/**
 * @module Redirect URI rules (OAuth 2.1 §2.3, §4.1.1; RFC 8252 §7): an absolute URI without a
 * fragment; `https`, or `http` only to a loopback host, or a private-use scheme of a native app
 * (never `javascript:`, `data:`, `file:` …). Matching is exact string comparison, except that a
 * loopback `http` redirect may use any port (native apps pick one at run time).
 */

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const FORBIDDEN_SCHEMES = new Set([
  "javascript:",
  "data:",
  "vbscript:",
  "file:",
  "blob:",
  "about:",
  "ws:",
  "wss:",
  "ftp:",
]);

/** Whether a URL is `http` to a loopback host. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Why a redirect URI may not be registered, or null when it may.
 * @param uri the redirect URI as the client sent it
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > 2000) return "redirect URI too long";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "redirect URI is not an absolute URI";
  }
  if (uri.includes("#")) return "redirect URI must not contain a fragment";
  if (url.protocol === "https:") return url.hostname ? null : "redirect URI has no host";
  if (url.protocol === "http:") {
    return isLoopbackHttp(url) ? null : "http redirect URIs are allowed only to loopback hosts";
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `redirect URI scheme ${url.protocol} refused`;
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? null : "redirect URI scheme invalid";
}

/**
 * Whether `presented` is one of the registered redirect URIs.
 * @param registered the client's redirect URIs
 * @param presented the `redirect_uri` of the request
 */
export function redirectUriMatches(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  let url: URL;
  try {
    url = new URL(presented);
  } catch {
    return false;
  }
  if (!isLoopbackHttp(url) || presented.includes("#")) return false;
  return registered.some((r) => {
    try {
      const reg = new URL(r);
      if (!isLoopbackHttp(reg)) return false;
      reg.port = url.port;
      return reg.href === url.href;
    } catch {
      return false;
    }
  });
}
