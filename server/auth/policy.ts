/**
 * @module Auth policy: when requests must carry a bearer key.
 */
import { isLoopbackBind } from "../http/host_check.ts";

/**
 * Keys are required whenever the router listens beyond loopback or any key exists;
 * loopback-only with no keys stays open for local use.
 * @param host the bind address
 * @param activeKeys how many unrevoked keys exist
 */
export function authRequired(host: string, activeKeys: number): boolean {
  return !isLoopbackBind(host) || activeKeys > 0;
}
