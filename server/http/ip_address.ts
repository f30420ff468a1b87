/**
 * @module IP addresses for the outbound guard: parse IPv4/IPv6 literals (with `ipaddr.js`), say
 * what kind of network an address belongs to (loopback, private, link-local, metadata, …) and
 * match CIDR blocks.
 *
 * IPv6 forms that carry an IPv4 address (`::ffff:a.b.c.d` mapped, `::ffff:0:a.b.c.d`
 * translated, `::a.b.c.d` compatible, `64:ff9b::/96` NAT64, `2002::/16` 6to4) are judged by that
 * IPv4 address, so `[::ffff:169.254.169.254]` is link-local like `169.254.169.254`. Numeric host
 * forms such as `2130706433` or `0x7f.1` are normalised by the WHATWG URL parser before they get
 * here; this module itself accepts only canonical dotted-quad IPv4.
 */
import ipaddr from "ipaddr.js";

/** A parsed address. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** What kind of network an address belongs to. */
export type AddressKind =
  | "public"
  | "loopback"
  | "unspecified"
  | "private"
  | "cgnat"
  | "link_local"
  | "metadata"
  | "reserved";

/** Kinds the router never connects to, whatever the settings say. */
export const ALWAYS_REFUSED_KINDS: ReadonlySet<AddressKind> = new Set([
  "link_local",
  "metadata",
  "reserved",
]);

/** Kinds reachable only in local mode or when listed in `MCP_ROUTER_ALLOWED_REMOTE_HOSTS`. */
export const LOCAL_KINDS: ReadonlySet<AddressKind> = new Set([
  "loopback",
  "unspecified",
  "private",
  "cgnat",
]);

/** A CIDR block: an address and a prefix length. */
export type Cidr = [IpAddress, number];

/**
 * Parse an IP literal as URLs and resolvers spell it (`127.0.0.1`, `::1`, `[::ffff:7f00:1]`,
 * `fe80::1%eth0`).
 * @param text dotted-quad IPv4, or IPv6 with or without brackets and zone
 * @returns the address, or null when `text` is not an IP literal (a host name)
 */
export function parseIp(text: string): IpAddress | null {
  const bare = (text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text)
    .split("%")[0];
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (bare.includes(":") && ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return null;
}

/**
 * Parse `10.0.0.0/8`, `fd00::/8`, or a bare address (a /32 or /128).
 * @returns the block, or null when `text` is neither
 */
export function parseCidr(text: string): Cidr | null {
  const trimmed = text.trim();
  if (!trimmed.includes("/")) {
    const ip = parseIp(trimmed);
    return ip ? [ip, ip.kind() === "ipv4" ? 32 : 128] : null;
  }
  const [addr, prefix] = trimmed.split("/");
  const ip = parseIp(addr);
  if (!ip || !/^\d{1,3}$/.test(prefix)) return null;
  const bits = Number(prefix);
  return bits <= (ip.kind() === "ipv4" ? 32 : 128) ? [ip, bits] : null;
}

/**
 * The IPv4 address an IPv6 address carries (mapped, translated, compatible, NAT64, 6to4), else
 * null.
 * @param ip any address
 */
export function embeddedIpv4(ip: IpAddress): ipaddr.IPv4 | null {
  if (ip.kind() !== "ipv6") return null;
  const p = (ip as ipaddr.IPv6).parts;
  const zero = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  const fromParts = (hi: number, lo: number) =>
    new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  if (zero(0, 5) && p[5] === 0xffff) return fromParts(p[6], p[7]); // ::ffff:a.b.c.d
  if (zero(0, 4) && p[4] === 0xffff && p[5] === 0) return fromParts(p[6], p[7]); // ::ffff:0:a.b.c.d
  if (zero(0, 6) && !(p[6] === 0 && p[7] <= 1)) return fromParts(p[6], p[7]); // ::a.b.c.d
  if (p[0] === 0x64 && p[1] === 0xff9b && zero(2, 6)) return fromParts(p[6], p[7]); // NAT64
  if (p[0] === 0x2002) return fromParts(p[1], p[2]); // 6to4
  return null;
}

/** Whether `ip` lies inside `cidr`; an IPv4 block also matches IPv4-carrying IPv6 forms. */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  const target = cidr[0].kind() === ip.kind() ? ip : embeddedIpv4(ip);
  return target !== null && target.kind() === cidr[0].kind() && target.match(cidr);
}

function blocks(list: string[]): Cidr[] {
  return list.map((c) =>
    ipaddr.parseCIDR(c.includes("/") ? c : `${c}/${c.includes(":") ? 128 : 32}`)
  );
}

/** Cloud instance-metadata endpoints (AWS/GCP/Azure/OCI, AWS IPv6, Alibaba, Oracle classic). */
const METADATA = blocks(["169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192"]);

/** Ordered: the first matching row decides; no match is `public`. */
const V4_TABLE: [AddressKind, Cidr[]][] = [
  ["metadata", METADATA.filter((c) => c[0].kind() === "ipv4")],
  ["unspecified", blocks(["0.0.0.0/8"])],
  ["loopback", blocks(["127.0.0.0/8"])],
  ["link_local", blocks(["169.254.0.0/16"])],
  ["private", blocks(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "192.0.0.0/24"])],
  ["private", blocks(["198.18.0.0/15"])],
  ["cgnat", blocks(["100.64.0.0/10"])],
  ["reserved", blocks(["224.0.0.0/4", "240.0.0.0/4"])],
];

const V6_TABLE: [AddressKind, Cidr[]][] = [
  ["metadata", METADATA.filter((c) => c[0].kind() === "ipv6")],
  ["unspecified", blocks(["::/128"])],
  ["loopback", blocks(["::1/128"])],
  ["link_local", blocks(["fe80::/10"])],
  ["private", blocks(["fc00::/7", "fec0::/10", "64:ff9b:1::/48"])],
  // multicast, discard-only, Teredo (its IPv4 part is obfuscated), ORCHID
  ["reserved", blocks(["ff00::/8", "100::/64", "2001::/32", "2001:10::/28", "2001:20::/28"])],
];

/**
 * What kind of network `ip` belongs to; IPv4-carrying IPv6 forms are judged by their IPv4.
 * @param ip a parsed address
 */
export function classifyIp(ip: IpAddress): AddressKind {
  const v4 = embeddedIpv4(ip);
  if (v4) return classifyIp(v4);
  const table = ip.kind() === "ipv4" ? V4_TABLE : V6_TABLE;
  for (const [kind, cidrs] of table) {
    if (cidrs.some((c) => cidrContains(c, ip))) return kind;
  }
  return "public";
}

/** The canonical text of an address (`127.0.0.1`, `::ffff:7f00:1`), for comparisons. */
export function formatIp(ip: IpAddress): string {
  return ip.kind() === "ipv4" ? ip.toString() : (ip as ipaddr.IPv6).toRFC5952String();
}
