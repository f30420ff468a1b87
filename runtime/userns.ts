/**
 * @module User namespaces: whether every router container can get its own host uid range
 * (Podman `userns=auto`), and how large each range is.
 *
 * With a private range per container, container uid 1000 is a different host uid in every
 * container, so `RLIMIT_NPROC` (counted per host uid) becomes a per-container limit and one
 * container's processes cannot use up another's. Rootless Podman carves the ranges out of the
 * Podman user's subordinate ids (`/etc/subuid`, `/etc/subgid`): `capacity` containers fit.
 */

/** One line of an id mapping (`/libpod/info` `host.idMappings`). */
export interface IdMap {
  container_id: number;
  host_id: number;
  size: number;
}

/** Host uids/gids each container gets: room for uid/gid 1000 and for image files up to 2047. */
export const USERNS_AUTO_SIZE = 2048;

/** How router containers are given user ids on this engine. */
export type UsernsMode =
  | {
    /** A private range of `size` ids per container (`userns=auto`). */
    mode: "auto";
    size: number;
    /** How many containers can hold a range at once. */
    capacity: number;
  }
  | {
    /** Every container shares the Podman user's mapping (container uid 1000 = one host uid). */
    mode: "shared";
    /** Why `userns=auto` is not used. */
    reason: string;
  };

/** Engine facts the decision needs. */
export interface UsernsFacts {
  rootless: boolean;
  /** The rootless user namespace's uid mapping (entry 0 is the Podman user itself). */
  uidmap: IdMap[];
  gidmap: IdMap[];
}

/** Subordinate ids a rootless engine can hand out (every mapping line but the user's own). */
function subordinateIds(map: IdMap[]): number {
  return map.filter((m) => m.container_id >= 1).reduce((sum, m) => sum + m.size, 0);
}

/**
 * Decide whether containers get `userns=auto`.
 * @param facts rootless flag and the engine's id mappings
 * @returns `auto` with its capacity, or `shared` with the reason
 */
export function decideUserns(facts: UsernsFacts): UsernsMode {
  if (!facts.rootless) {
    return {
      mode: "shared",
      reason: "rootful Podman: userns=auto is not used (the pids cgroup bounds each container)",
    };
  }
  const ids = Math.min(subordinateIds(facts.uidmap), subordinateIds(facts.gidmap));
  const capacity = Math.floor(ids / USERNS_AUTO_SIZE);
  if (capacity < 1) {
    return {
      mode: "shared",
      reason: `the Podman user has ${ids} subordinate ids, fewer than the ${USERNS_AUTO_SIZE} ` +
        "a private range needs: give it a range in /etc/subuid and /etc/subgid " +
        "(runtime/setup.sh) and run `podman system migrate`",
    };
  }
  return { mode: "auto", size: USERNS_AUTO_SIZE, capacity };
}

/**
 * SpecGenerator fields for a mode (none for `shared`: the engine default). The REST API does not
 * parse `userns` values as the CLI does (`auto:size=N`): the size goes in `idmappings`.
 */
export function usernsField(mode: UsernsMode | undefined): Record<string, unknown> {
  if (mode?.mode !== "auto") return {};
  return {
    userns: { nsmode: "auto" },
    idmappings: { AutoUserNs: true, AutoUserNsOpts: { Size: mode.size } },
  };
}

/** Whether a create error says the engine ran out of free id ranges for `userns=auto`. */
export function isUsernsExhausted(message: string): boolean {
  return /not find enough available IDs/i.test(message);
}
