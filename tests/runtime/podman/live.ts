/**
 * @module Live-Podman test helpers: the socket from `MCP_ROUTER_PODMAN_SOCKET` (tests are ignored
 * when it is unset or missing) and the base image to run.
 */
import type { ContainerSpec } from "../../../runtime/backend.ts";

/** Socket path of a live Podman API, or undefined. */
export const LIVE_SOCKET: string | undefined = (() => {
  const path = Deno.env.get("MCP_ROUTER_PODMAN_SOCKET");
  if (!path) return undefined;
  try {
    return Deno.statSync(path).isSocket ? path : undefined;
  } catch {
    return undefined;
  }
})();

/** True when live tests must be skipped. */
export const NO_PODMAN = LIVE_SOCKET === undefined;

/** Suffix for test names explaining the skip. */
export const LIVE_NOTE = NO_PODMAN
  ? " (ignored: MCP_ROUTER_PODMAN_SOCKET unset or not a socket; run runtime/setup.sh)"
  : "";

/** Base image used by live tests. */
export const BASE_IMAGE = Deno.env.get("MCP_ROUTER_BASE_IMAGE") ??
  "localhost/mcp-router-base:trixie";

/** A unique label value per test run. */
export const RUN_ID = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Options shared by live tests (their async streams outlive single ops). */
export const LIVE_OPTS = { sanitizeOps: false, sanitizeResources: false } as const;

/** A minimal container spec on the base image (no network, read-only root), with overrides. */
export function testContainerSpec(overrides: Partial<ContainerSpec>): ContainerSpec {
  return {
    image: BASE_IMAGE,
    command: ["true"],
    env: {},
    labels: { "mcp-router.test": RUN_ID },
    stdin: false,
    readOnlyMounts: [],
    tmpfs: [],
    volumes: [],
    publish: [],
    network: "none",
    limits: {},
    readOnlyRoot: true,
    ...overrides,
  };
}
