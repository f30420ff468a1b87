/**
 * @module Auth policy: when requests must carry a bearer key.
 */

/** Whether `host` only accepts local connections. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
}

/**
 * Keys are required whenever the router listens beyond loopback or any key exists;
 * loopback-only with no keys stays open for local use.
 */
export function authRequired(host: string, activeKeys: number): boolean {
  return !isLoopbackHost(host) || activeKeys > 0;
}
