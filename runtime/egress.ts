/**
 * @module Egress policy: what a container's network may reach, as libpod SpecGenerator fields.
 *
 * - `none`: no network namespace access at all (loopback only).
 * - `egress` (plans' default): the internet, but not the host's services. slirp4netns runs with
 *   `allow_host_loopback=false` (10.0.2.2 does not lead to the host's loopback), and the OCI hook
 *   `runtime/egress-hook.sh` (installed by `runtime/setup.sh`) adds `prohibit` routes in the
 *   container's network namespace for every address of the host and for link-local
 *   169.254.0.0/16 (cloud metadata), so services bound to the host's other interfaces are refused
 *   too. Without the hook, those stay reachable through the NAT: health says so.
 * - `default` (a plan's `host-services`, and the sandbox when its network is on): the engine's
 *   default network, as before (host loopback still closed by slirp4netns' default).
 */

/** A container's network mode: none, `egress` (no host services) or the engine default. */
export type ContainerNetwork = "none" | "egress" | "default";

/** Annotation that asks the egress hook to block the host's addresses. */
export const EGRESS_ANNOTATION = "io.mcp-router.egress";
/** Value of {@linkcode EGRESS_ANNOTATION} for `egress` containers. */
export const EGRESS_NO_HOST = "no-host";
/** Where `runtime/setup.sh` installs the hook's configuration (Podman's hooks directories). */
export const EGRESS_HOOK_CONFIGS = [
  "/usr/share/containers/oci/hooks.d/mcp-router-egress.json",
  "/etc/containers/oci/hooks.d/mcp-router-egress.json",
];

/** Whether `egress` containers are kept from the host's non-loopback addresses on this host. */
export interface EgressSupport {
  /** The hook is installed: the host's addresses are refused inside `egress` containers. */
  hostBlocked: boolean;
  /** Which hook configuration was found, or what to install. */
  detail: string;
}

/** Engine facts the network fields depend on. */
export interface NetworkFacts {
  rootless: boolean;
  /** slirp4netns is installed (rootless Podman reports its executable). */
  slirp4netns: boolean;
}

/**
 * Look for the egress hook's configuration.
 * @param exists file check (default: `Deno.statSync`)
 */
export function detectEgressHook(exists: (path: string) => boolean = fileExists): EgressSupport {
  const found = EGRESS_HOOK_CONFIGS.find((p) => exists(p));
  if (found) return { hostBlocked: true, detail: `OCI hook ${found}` };
  return {
    hostBlocked: false,
    detail: "egress hook not installed (run runtime/setup.sh): the host's non-loopback " +
      "addresses stay reachable from egress containers",
  };
}

/**
 * SpecGenerator fields for a spec's network mode.
 * @param network the container's network mode
 * @param facts rootless flag and slirp4netns presence
 */
export function networkFields(
  network: ContainerNetwork,
  facts: NetworkFacts,
): Record<string, unknown> {
  if (network === "none") return { netns: { nsmode: "none" } };
  if (network === "default") return {};
  const out: Record<string, unknown> = { annotations: { [EGRESS_ANNOTATION]: EGRESS_NO_HOST } };
  if (facts.rootless && facts.slirp4netns) {
    out.netns = { nsmode: "slirp4netns" };
    out.network_options = { slirp4netns: ["allow_host_loopback=false"] };
  }
  return out;
}

function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
