/**
 * @module Resource limits: which limits the container engine can enforce on this host, and how
 * to express a {@linkcode ContainerSpec}'s limits as libpod SpecGenerator fields.
 *
 * Rootless Podman on cgroups v1 cannot apply memory/pids/cpu limits (it drops them with a
 * warning); on cgroups v2 it can when those controllers are delegated to the user. Ulimits
 * (`nofile`, `nproc`) are plain rlimits and always hold. `RLIMIT_NPROC` counts the processes of
 * one host uid: with `userns=auto` (see `runtime/userns.ts`) every container has its own, so the
 * limit is per container; without, all containers share one budget.
 */
import type { ContainerSpec, EngineInfo } from "./backend.ts";

/** The limit kinds enforced through cgroups. */
export const CGROUP_LIMITS = ["memory", "pids", "cpu"] as const;

/** Engine facts the decision needs (a subset of `/libpod/info`). */
export interface HostFacts {
  version: string;
  rootless: boolean;
  /** `v1` or `v2`. */
  cgroupVersion: string;
  /** Controllers available to the engine (v2: delegated ones). */
  cgroupControllers: string[];
}

/** The message for rootless Podman on cgroups v1. */
export const ROOTLESS_V1_REASON =
  "rootless Podman on cgroups v1 cannot apply memory/pids/cpu limits (use a rootful socket or cgroups v2)";

/** Decide which cgroup limits the engine enforces on this host. */
export function decideLimits(facts: HostFacts): EngineInfo {
  const base = {
    version: facts.version,
    rootless: facts.rootless,
    cgroupVersion: facts.cgroupVersion,
  };
  if (facts.cgroupVersion === "v1") {
    if (facts.rootless) {
      return { ...base, limits: `unsupported: ${ROOTLESS_V1_REASON}`, enforcedLimits: [] };
    }
    return { ...base, limits: "enforced", enforcedLimits: [...CGROUP_LIMITS] };
  }
  if (facts.cgroupVersion === "v2") {
    const enforced = CGROUP_LIMITS.filter((c) => facts.cgroupControllers.includes(c));
    const missing = CGROUP_LIMITS.filter((c) => !enforced.includes(c));
    if (missing.length === 0) return { ...base, limits: "enforced", enforcedLimits: enforced };
    return {
      ...base,
      limits: `unsupported: cgroups v2 controllers not delegated to ${
        facts.rootless ? "the Podman user" : "Podman"
      }: ${missing.join(", ")} (enable cgroup delegation, e.g. systemd Delegate=yes)`,
      enforcedLimits: enforced,
    };
  }
  return {
    ...base,
    limits: `unsupported: unknown cgroup version ${JSON.stringify(facts.cgroupVersion)}`,
    enforcedLimits: [],
  };
}

/** Limit values health states next to each limit (the settings' per-container figures). */
export interface LimitFigures {
  /** Per-container process limit (`settings.containerPids`). */
  containerPids?: number;
}

/**
 * What actually bounds every container on this engine, for health: the cgroup limits that hold,
 * then the rlimits that always apply (and stand in for the pids cgroup where it does not hold),
 * the user namespace and the egress policy — each only as far as it is in force.
 * @param engine the engine's limit decision
 * @param figures per-container values to state (optional)
 */
export function limitsInForce(engine: EngineInfo, figures: LimitFigures = {}): string[] {
  const out = engine.enforcedLimits.map((kind) => `${kind} (cgroup)`);
  out.push("nofile (rlimit)");
  const n = figures.containerPids;
  if (engine.userns?.mode === "auto") {
    out.push(
      `nproc ${n ? `${n} ` : ""}per container (rlimit; own uid range, userns=auto, ` +
        `room for ${engine.userns.capacity} containers)`,
    );
  } else if (!engine.enforcedLimits.includes("pids")) {
    const budget = n ? `${sharedNprocBudget(n)} ` : "";
    const why = engine.userns?.mode === "shared" ? `; ${engine.userns.reason}` : "";
    out.push(`nproc ${budget}(rlimit, one budget shared by all containers${why})`);
  }
  if (engine.egress) {
    out.push(
      engine.egress.hostBlocked
        ? `egress servers: host addresses refused (${engine.egress.detail})`
        : `egress servers: host loopback refused only; ${engine.egress.detail}`,
    );
  }
  return out;
}

/** How many containers' worth of processes the shared RLIMIT_NPROC budget allows. */
export const NPROC_SHARED_FACTOR = 16;
/** Lowest shared RLIMIT_NPROC budget. */
export const NPROC_FLOOR = 4096;

/** SpecGenerator resource fields for a spec's limits on an engine. */
export interface LimitFields {
  resource_limits?: {
    memory?: { limit: number; swap: number };
    pids?: { limit: number };
    cpu?: { quota: number; period: number };
  };
  r_limits?: { type: string; soft: number; hard: number }[];
}

/** The shared RLIMIT_NPROC budget for a per-container process limit (no userns=auto). */
export function sharedNprocBudget(pids: number): number {
  return Math.max(pids * NPROC_SHARED_FACTOR, NPROC_FLOOR);
}

/**
 * Translate limits into SpecGenerator fields, keeping only those the engine enforces.
 * cgroup limits go to `resource_limits`; `nofile` and `nproc` (from `pids`) become rlimits.
 * With `userns=auto`, `nproc` is the per-container value (each container counts its own host
 * uid). Otherwise, where the pids cgroup does not hold, `nproc` becomes a budget shared by every
 * container (on rootless hosts it counts every process of the mapped user, across containers).
 */
export function limitFields(limits: ContainerSpec["limits"], engine: EngineInfo): LimitFields {
  const out: LimitFields = {};
  const rl: NonNullable<LimitFields["resource_limits"]> = {};
  const holds = (kind: string) => engine.enforcedLimits.includes(kind);
  if (limits.memoryBytes && holds("memory")) {
    rl.memory = { limit: limits.memoryBytes, swap: limits.memoryBytes };
  }
  if (limits.pids && holds("pids")) rl.pids = { limit: limits.pids };
  if (limits.cpus && holds("cpu")) {
    const period = 100_000;
    rl.cpu = { quota: Math.max(1000, Math.round(limits.cpus * period)), period };
  }
  if (Object.keys(rl).length) out.resource_limits = rl;
  const rlimits: { type: string; soft: number; hard: number }[] = [];
  if (limits.nofile) rlimits.push({ type: "nofile", soft: limits.nofile, hard: limits.nofile });
  if (limits.pids && engine.userns?.mode === "auto") {
    // Own host uid range: RLIMIT_NPROC counts this container's processes only.
    rlimits.push({ type: "nproc", soft: limits.pids, hard: limits.pids });
  } else if (limits.pids && !holds("pids")) {
    // Without a pids cgroup, RLIMIT_NPROC is the only fork-bomb guard, but it counts every
    // process and thread of the mapped host user — across ALL containers on rootless hosts. A
    // per-container value would make busy neighbours fail each other's thread creation, so the
    // budget is shared: room for the per-container value times the container cap.
    const shared = sharedNprocBudget(limits.pids);
    rlimits.push({ type: "nproc", soft: shared, hard: shared });
  }
  if (rlimits.length) out.r_limits = rlimits;
  return out;
}
