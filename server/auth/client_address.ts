/**
 * @module The client's address for rate limiting: the connection's peer, or — only when that
 * peer is one of `MCP_ROUTER_TRUSTED_PROXIES` — the right-most `X-Forwarded-For` entry that is
 * not itself a trusted proxy. A client-set `X-Forwarded-For` is never believed otherwise.
 */
import { type Cidr, cidrContains, formatIp, parseCidr, parseIp } from "../http/ip_address.ts";

/** Parsed trusted-proxy list; entries that are not an IP or CIDR are reported. */
export class TrustedProxies {
  readonly #ranges: Cidr[] = [];
  /** Entries that could not be parsed. */
  readonly invalid: string[] = [];

  /** @param entries IPs (`10.0.0.5`) or CIDRs (`10.0.0.0/8`, `::1/128`) */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const cidr = parseCidr(entry);
      if (cidr) this.#ranges.push(cidr);
      else this.invalid.push(entry);
    }
  }

  /** Whether `address` is one of the trusted proxies. */
  trusts(address: string): boolean {
    const ip = parseIp(address.trim());
    return ip !== null && this.#ranges.some((range) => cidrContains(range, ip));
  }

  /**
   * The client address of a request.
   * @param peer the TCP peer's address (undefined for in-process requests)
   * @param forwardedFor the `X-Forwarded-For` header
   */
  clientOf(peer: string | undefined, forwardedFor: string | undefined): string {
    const direct = peer ?? "local";
    if (!peer || !forwardedFor || !this.trusts(peer)) return direct;
    const hops = forwardedFor.split(",").map((h) => h.trim()).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parseIp(hops[i]);
      if (!hop) return direct;
      if (!this.trusts(hops[i]) || i === 0) return formatIp(hop);
    }
    return direct;
  }
}
