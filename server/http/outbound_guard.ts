/**
 * @module Outbound guard: whether the router may connect to a user-supplied URL (remote MCP
 * servers), so a plan cannot turn the router into a proxy into its own network (SSRF).
 *
 * Rules, judged on every address the host name resolves to (the system resolver, which is what
 * `fetch` uses and reads `/etc/hosts`, plus DNS A/AAAA records):
 * - only `http:` and `https:`;
 * - never the router's own listener (a local address with the router's port, or one of the
 *   router's `MCP_ROUTER_ALLOWED_HOSTS` names);
 * - link-local (169.254.0.0/16, fe80::/10), cloud metadata (169.254.169.254, fd00:ec2::254,
 *   100.100.100.200, `metadata.google.internal`…), multicast and reserved addresses: always
 *   refused;
 * - loopback, unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7) and CGNAT
 *   (100.64/10) addresses: only while the router listens on loopback with no active API key
 *   (the default local mode), or when the host name, the address or a CIDR holding it is listed
 *   in `MCP_ROUTER_ALLOWED_REMOTE_HOSTS`;
 * - anything else (public addresses) is allowed.
 */
import { lookup } from "node:dns/promises";
import { AppError } from "../errors.ts";
import { authRequired } from "../auth/policy.ts";
import type { Settings } from "../settings.ts";
import {
  type AddressKind,
  ALWAYS_REFUSED_KINDS,
  type Cidr,
  cidrContains,
  classifyIp,
  formatIp,
  type IpAddress,
  LOCAL_KINDS,
  parseCidr,
  parseIp,
} from "./ip_address.ts";

/** The setting that lists extra loopback/private hosts remote servers may use. */
export const ALLOWED_REMOTE_HOSTS_ENV = "MCP_ROUTER_ALLOWED_REMOTE_HOSTS";

/** Host names of cloud metadata services, refused by name before any lookup. */
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** How long one DNS query may take before the system resolver's answer alone is used. */
const DNS_TIMEOUT_MS = 3_000;

/** A URL the guard approved, with the addresses it judged (for pinning the connection). */
export interface OutboundTarget {
  url: URL;
  /** Approved addresses, system-resolver order first; empty when unresolved at save time. */
  addresses: IpAddress[];
  /** Whether the host is an IP literal (nothing to pin). */
  literal: boolean;
}

/** Options of {@linkcode OutboundGuard.check}. */
export interface CheckOptions {
  /**
   * `connect` (default) refuses a host name that does not resolve; `save` lets it pass, since
   * it is checked again at connect time (a plan may be saved before its host exists, or with
   * `${VAR}` placeholders filled from env values later).
   */
  stage?: "save" | "connect";
}

/** Decides whether the router may connect to a URL. */
export interface OutboundGuard {
  /**
   * Check a URL and return what was approved.
   * @throws {OutboundRefusedError} (HTTP 400) naming the rule, and the setting when one helps
   */
  check(url: string | URL, options?: CheckOptions): Promise<OutboundTarget>;
}

/** A refused outbound URL: HTTP 400 `bad_request`, the message says why. */
export class OutboundRefusedError extends AppError {
  override name = "OutboundRefusedError";
  /** @param message why (never containing a resolved address) */
  constructor(message: string) {
    super("bad_request", 400, message, { details: { rule: "outbound" } });
  }
}

/** What the guard needs from the settings. */
export type OutboundSettings = Pick<Settings, "host" | "port" | "allowedRemoteHosts"> & {
  /** The router's own public host names (`MCP_ROUTER_ALLOWED_HOSTS`), never a target. */
  allowedHosts?: readonly string[];
};

/** I/O the guard uses; every field has a default. */
export interface OutboundGuardOptions {
  /** Active API keys right now (default: always 0). */
  activeKeyCount?: () => Promise<number>;
  /** Addresses of a host name (default: {@linkcode resolveHost}). */
  resolve?: (host: string) => Promise<string[]>;
  /** This machine's interface addresses (default: `Deno.networkInterfaces()`). */
  localAddresses?: () => string[];
}

/**
 * Every address of `host`: the system resolver's (what `fetch` connects to, `/etc/hosts`
 * included) first, then DNS A/AAAA answers not already listed. Failures yield no addresses.
 * @param host a host name (not an IP literal)
 */
export async function resolveHost(host: string): Promise<string[]> {
  const system = lookup(host, { all: true, verbatim: true })
    .then((list) => list.map((a) => a.address)).catch(() => [] as string[]);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), DNS_TIMEOUT_MS);
  const dns = (["A", "AAAA"] as const).map((type) =>
    Deno.resolveDns(host, type, { signal: abort.signal }).catch(() => [] as string[])
  );
  try {
    const [first, ...rest] = await Promise.all([system, ...dns]);
    return [...new Set([...first, ...rest.flat()])];
  } finally {
    clearTimeout(timer);
  }
}

/** How long a host name's addresses are reused (pinned http connections use exactly these). */
const RESOLVE_TTL_MS = 5_000;
const RESOLVE_CACHE_MAX = 256;

/** `resolve` with a short per-name cache, so each request of a session does not re-query DNS. */
function cachedResolver(
  resolve: (host: string) => Promise<string[]>,
): (host: string) => Promise<string[]> {
  const cache = new Map<string, { at: number; addresses: Promise<string[]> }>();
  return (host) => {
    const now = Date.now();
    const hit = cache.get(host);
    if (hit && now - hit.at < RESOLVE_TTL_MS) return hit.addresses;
    if (cache.size >= RESOLVE_CACHE_MAX) cache.clear();
    const addresses = resolve(host);
    cache.set(host, { at: now, addresses });
    // A failed lookup is not remembered: the name may exist a moment later.
    addresses.then((list) => list.length || cache.delete(host), () => cache.delete(host));
    return addresses;
  };
}

function machineAddresses(): string[] {
  try {
    return Deno.networkInterfaces().map((i) => i.address);
  } catch {
    return [];
  }
}

/** A lower-cased host name without brackets or trailing dots. */
function normalName(host: string): string {
  return host.toLowerCase().replace(/\.+$/, "");
}

/** The parsed `MCP_ROUTER_ALLOWED_REMOTE_HOSTS` list: names (`*.x` wildcards) and CIDRs. */
interface AllowList {
  names: string[];
  suffixes: string[];
  cidrs: Cidr[];
}

function parseAllowList(entries: readonly string[]): AllowList {
  const list: AllowList = { names: [], suffixes: [], cidrs: [] };
  for (const raw of entries) {
    const entry = raw.trim();
    const cidr = parseCidr(entry);
    if (cidr) list.cidrs.push(cidr);
    else if (entry.startsWith("*.")) list.suffixes.push(normalName(entry.slice(1)));
    else if (entry) list.names.push(normalName(entry));
  }
  return list;
}

function nameListed(list: AllowList, name: string): boolean {
  return list.names.includes(name) || list.suffixes.some((s) => name.endsWith(s));
}

const KIND_TEXT: Record<AddressKind, string> = {
  public: "a public address",
  link_local: "a link-local address (169.254.0.0/16, fe80::/10)",
  metadata: "a cloud metadata endpoint",
  reserved: "a multicast or reserved address",
  loopback: "a loopback address",
  unspecified: "an unspecified address (0.0.0.0, ::)",
  private: "a private network address",
  cgnat: "a carrier-grade NAT address (100.64.0.0/10)",
};

function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/**
 * Build the guard for the router's settings and auth state.
 * @param settings listener host/port, `allowedRemoteHosts`, the router's own `allowedHosts`
 * @param options key count, resolver and local addresses (defaults: 0 keys, system resolver)
 * @example
 * const guard = createOutboundGuard(settings, { activeKeyCount: async () => (await activeApiKeys(store)).length });
 * await guard.check("http://169.254.169.254/"); // throws OutboundRefusedError
 */
export function createOutboundGuard(
  settings: OutboundSettings,
  options: OutboundGuardOptions = {},
): OutboundGuard {
  const allow = parseAllowList(settings.allowedRemoteHosts);
  const ownNames = new Set(
    (settings.allowedHosts ?? []).map((h) => normalName(h.replace(/:\d+$/, ""))),
  );
  const keyCount = options.activeKeyCount ?? (() => Promise.resolve(0));
  const resolve = cachedResolver(options.resolve ?? resolveHost);
  const localAddresses = options.localAddresses ?? machineAddresses;
  const ownHost = parseIp(settings.host);

  const isOwnListener = (ip: IpAddress, port: number): boolean => {
    if (port !== settings.port) return false;
    const kind = classifyIp(ip);
    if (kind === "loopback" || kind === "unspecified") return true;
    const text = formatIp(ip);
    if (ownHost && formatIp(ownHost) === text) return true;
    return localAddresses().some((a) => {
      const local = parseIp(a);
      return local !== null && formatIp(local) === text;
    });
  };

  return {
    async check(input, checkOptions = {}) {
      let url: URL;
      try {
        url = new URL(input);
      } catch {
        throw new OutboundRefusedError(`not a valid URL: ${String(input).slice(0, 200)}`);
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new OutboundRefusedError(
          `remote MCP servers must use http: or https: URLs, not ${url.protocol}`,
        );
      }
      const name = normalName(url.hostname);
      const literal = parseIp(url.hostname);
      if (METADATA_NAMES.has(name)) {
        throw new OutboundRefusedError(
          `${url.host} is a cloud metadata endpoint; the router never connects there`,
        );
      }
      if (ownNames.has(name)) {
        throw new OutboundRefusedError(`${url.host} is the router itself`);
      }
      let addresses: IpAddress[];
      if (literal) addresses = [literal];
      else if (name === "localhost" || name.endsWith(".localhost")) {
        addresses = [parseIp("127.0.0.1")!, parseIp("::1")!];
      } else {
        const found = await resolve(name);
        addresses = found.map((a) => parseIp(a)).filter((a): a is IpAddress => a !== null);
        if (found.length !== addresses.length) {
          throw new OutboundRefusedError(`${url.host} resolves to an address that is not IP`);
        }
        if (addresses.length === 0) {
          if ((checkOptions.stage ?? "connect") === "save") {
            return { url, addresses: [], literal: false };
          }
          throw new OutboundRefusedError(`cannot resolve ${url.host}`);
        }
      }
      const port = defaultPort(url);
      const is = literal ? "is" : "resolves to";
      let localMode: boolean | null = null;
      for (const ip of addresses) {
        const kind = classifyIp(ip);
        if (ALWAYS_REFUSED_KINDS.has(kind)) {
          throw new OutboundRefusedError(
            `${url.host} ${is} ${KIND_TEXT[kind]}; the router never connects there`,
          );
        }
        if (isOwnListener(ip, port)) {
          throw new OutboundRefusedError(
            `${url.host} is the router's own listener; a remote server must be another service`,
          );
        }
        if (!LOCAL_KINDS.has(kind)) continue;
        if (nameListed(allow, name) || allow.cidrs.some((c) => cidrContains(c, ip))) continue;
        localMode ??= !authRequired(settings.host, await keyCount());
        if (localMode) continue;
        throw new OutboundRefusedError(
          `${url.host} ${is} ${KIND_TEXT[kind]}: remote servers may use one only ` +
            "while the router listens on loopback without API keys, or when the host is listed " +
            `in ${ALLOWED_REMOTE_HOSTS_ENV}`,
        );
      }
      return { url, addresses, literal: literal !== null };
    },
  };
}
