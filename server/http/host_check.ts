/**
 * @module Which `Host` and `Origin` values the router answers to (DNS-rebinding and cross-site
 * protection). A host name is parsed strictly — `127.attacker.example` is a domain name, not a
 * loopback address — and accepted when it is a loopback literal (`localhost`, an IPv4 address in
 * 127.0.0.0/8, `[::1]`), an address the router listens on, or listed in
 * `MCP_ROUTER_ALLOWED_HOSTS`.
 */

/** What the host decision needs from the settings. */
export interface HostPolicy {
  /** The address `serve` listens on (`127.0.0.1`, `0.0.0.0`, a name…). */
  host: string;
  /** Extra accepted `Host` values (`name` or `name:port`). */
  allowedHosts: readonly string[];
  /** Extra accepted `Origin` values (`scheme://host[:port]`). */
  allowedOrigins: readonly string[];
}

/** A parsed `Host` header: lower-cased name (IPv6 in brackets) and optional port. */
export interface ParsedHost {
  name: string;
  port: string | null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

/**
 * Parse a `Host` header value (`name`, `name:port`, `[v6]`, `[v6]:port`), or null when it is
 * not a well-formed host.
 */
export function parseHost(value: string): ParsedHost | null {
  const text = value.trim().toLowerCase();
  let name: string;
  let port: string | null = null;
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0) return null;
    name = text.slice(0, end + 1);
    const rest = text.slice(end + 1);
    if (rest !== "") {
      if (!/^:\d{1,5}$/.test(rest)) return null;
      port = rest.slice(1);
    }
    if (!/^\[[0-9a-f:.]+\]$/.test(name)) return null;
  } else {
    const colon = text.lastIndexOf(":");
    if (colon >= 0) {
      port = text.slice(colon + 1);
      name = text.slice(0, colon);
      if (!/^\d{1,5}$/.test(port)) return null;
    } else name = text;
    if (!IPV4.test(name) && !DNS_NAME.test(name)) return null;
  }
  if (port !== null && Number(port) > 65535) return null;
  return { name: name.replace(/\.$/, ""), port };
}

/** Whether a parsed host name is a loopback literal: `localhost`, 127.0.0.0/8, `[::1]`. */
export function isLoopbackName(name: string): boolean {
  if (name === "localhost" || name === "[::1]" || name === "::1") return true;
  return IPV4.test(name) && name.startsWith("127.");
}

/** Whether a bind address only accepts local connections (a loopback literal). */
export function isLoopbackBind(host: string): boolean {
  const parsed = parseHost(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
  return parsed !== null && isLoopbackName(parsed.name);
}

/** Host names of this machine's interfaces (for a router bound to every address). */
function interfaceNames(): Set<string> {
  const names = new Set<string>();
  try {
    for (const i of Deno.networkInterfaces()) {
      names.add(i.family === "IPv6" ? `[${i.address.split("%")[0]}]` : i.address);
    }
  } catch {
    // no permission or no interfaces: only the explicit lists count
  }
  return names;
}

let cachedInterfaces: { at: number; names: Set<string> } | null = null;

function listenNames(bind: string): Set<string> {
  const parsed = parseHost(bind.includes(":") && !bind.startsWith("[") ? `[${bind}]` : bind);
  const names = new Set<string>();
  if (!parsed) return names;
  if (parsed.name === "0.0.0.0" || parsed.name === "[::]") {
    if (!cachedInterfaces || Date.now() - cachedInterfaces.at > 30_000) {
      cachedInterfaces = { at: Date.now(), names: interfaceNames() };
    }
    return cachedInterfaces.names;
  }
  names.add(parsed.name);
  return names;
}

/**
 * Why a `Host` header is refused, or null when the router answers to it.
 * @param hostHeader the request's `Host` (or its URL's host when the header is absent)
 * @param policy bind address and allow-list
 */
export function hostViolation(hostHeader: string, policy: HostPolicy): string | null {
  const parsed = parseHost(hostHeader);
  if (!parsed) return `Host '${hostHeader.slice(0, 100)}' is not a valid host`;
  if (isLoopbackName(parsed.name)) return null;
  if (listenNames(policy.host).has(parsed.name)) return null;
  for (const allowed of policy.allowedHosts) {
    const entry = parseHost(allowed);
    if (!entry || entry.name !== parsed.name) continue;
    if (entry.port === null || entry.port === parsed.port) return null;
  }
  return `Host '${hostHeader.slice(0, 100)}' is not allowed (add it to MCP_ROUTER_ALLOWED_HOSTS)`;
}

/**
 * Whether a request is cross-site: an `Origin` that is neither this request's own host nor
 * listed in `MCP_ROUTER_ALLOWED_ORIGINS` (`null` counts as cross-site), or
 * `Sec-Fetch-Site: cross-site`. Non-browser clients send neither header and are not.
 * @param headers the request headers
 * @param ownHost the request's `Host`
 * @param policy allow-lists
 * @returns the reason, or null when the request is same-site or not from a browser
 */
export function crossSiteReason(
  headers: Headers,
  ownHost: string,
  policy: HostPolicy,
): string | null {
  const origin = headers.get("origin");
  if (origin !== null) {
    if (policy.allowedOrigins.includes(origin)) return null;
    let host: string | null = null;
    try {
      const url = new URL(origin);
      if (url.protocol === "http:" || url.protocol === "https:") host = url.host;
    } catch {
      // not a URL (e.g. `null`)
    }
    if (host === null || host.toLowerCase() !== ownHost.trim().toLowerCase()) {
      return `cross-site request from Origin '${origin.slice(0, 100)}'`;
    }
    return null;
  }
  if (headers.get("sec-fetch-site") === "cross-site") return "cross-site request";
  return null;
}
