/**
 * @module Host-folder mounts: turn a plan's `mounts` into bind mounts the engine may make, or
 * refuse them. Every source is resolved on the host (symlinks followed) and must then lie, by
 * path segments, inside one of the allowed roots; system trees (`/proc`, `/sys`, `/dev`, `/run`,
 * `/`) and the router's private paths (passed in: its data dir, the Podman socket and its
 * folder) are refused whatever the roots say — also when they lie inside the source.
 *
 * Ownership: containers run as uid 1000 in their own user namespace (`userns=auto`), which is
 * never the host owner of a user's files; inside, those files belong to `nobody` and only their
 * "others" permission bits count. So a source must be readable by others (folders `o+rx`, files
 * `o+r`), and the Podman user must be able to reach it (it makes the bind mount). Call this when
 * a plan is saved and again right before each launch (the filesystem may have changed).
 */
import {
  absolutePathProblem,
  isWithin,
  MAX_MOUNTS,
  targetProblem,
  tidyPath,
} from "./mount_paths.ts";

/** A mount as a plan states it. */
export interface MountRequest {
  /** Host path (absolute). */
  source: string;
  /** Container path (absolute). */
  target: string;
  /** Default true. */
  readonly?: boolean;
}

/** A mount the engine may make: `source` is the resolved host path. */
export interface ResolvedMount {
  /** The host path after resolving symlinks (what is bind-mounted). */
  source: string;
  /** The container path. */
  target: string;
  readonly: boolean;
}

/** A host path the router keeps to itself. */
export interface PrivatePath {
  /** Absolute host path (resolved here when it exists). */
  path: string;
  /** What it is, for messages (`the router's data dir`). */
  what: string;
}

/** What {@linkcode resolveMounts} judges sources against. */
export interface MountPolicy {
  /** Host folders sources must lie in (empty: every mount is refused). */
  roots: readonly string[];
  /** Name of the setting that holds the roots, for messages. */
  rootsSetting: string;
  /** Paths refused as a source, inside a source, or around a source. */
  privatePaths: readonly PrivatePath[];
  /** uid/gid of the Podman user (the socket's owner), to check it can reach a source. */
  podmanUser?: { uid: number; gid: number } | null;
}

/** Why a mount was refused. */
export type MountRefusal =
  | "too_many"
  | "bad_source"
  | "bad_target"
  | "duplicate_target"
  | "no_roots"
  | "missing"
  | "forbidden"
  | "outside_roots"
  | "unreadable";

/** A refused mount: `index` and `field` say which (`mounts.<index>.<field>`). */
export class MountRefusedError extends Error {
  override name = "MountRefusedError";
  /**
   * @param reason the rule that refused it
   * @param message one line naming the path and the rule (never file contents)
   * @param where the mount's index and field
   */
  constructor(
    readonly reason: MountRefusal,
    message: string,
    readonly where: { index: number; field: "source" | "target" | "" },
  ) {
    super(message);
  }
}

/** The host filesystem calls resolution needs (a seam for tests). */
export interface MountFs {
  realPath(path: string): Promise<string>;
  stat(path: string): Promise<
    {
      isFile: boolean;
      isDirectory: boolean;
      mode: number | null;
      uid: number | null;
      gid: number | null;
    }
  >;
}

const denoFs: MountFs = { realPath: (p) => Deno.realPath(p), stat: (p) => Deno.stat(p) };

/** Host trees no mount may come from (`/` only as itself). */
export const SYSTEM_SOURCES: readonly string[] = ["/proc", "/sys", "/dev", "/run"];

/**
 * Check a plan's mount list without touching the filesystem: count, path shapes, targets,
 * duplicate targets.
 * @throws {MountRefusedError} naming the first bad mount
 */
export function checkMountShapes(mounts: readonly MountRequest[]): void {
  if (mounts.length > MAX_MOUNTS) {
    throw new MountRefusedError("too_many", `at most ${MAX_MOUNTS} mounts`, {
      index: MAX_MOUNTS,
      field: "",
    });
  }
  const targets = new Set<string>();
  mounts.forEach((m, index) => {
    const source = absolutePathProblem(tidyPath(m.source));
    if (source) {
      throw new MountRefusedError("bad_source", `source ${show(m.source)} ${source}`, {
        index,
        field: "source",
      });
    }
    const target = targetProblem(m.target);
    if (target) {
      throw new MountRefusedError("bad_target", `target ${show(m.target)} ${target}`, {
        index,
        field: "target",
      });
    }
    if (targets.has(m.target)) {
      throw new MountRefusedError("duplicate_target", `target ${m.target} is used twice`, {
        index,
        field: "target",
      });
    }
    targets.add(m.target);
  });
}

/**
 * Resolve and judge every mount of a plan.
 * @param mounts the plan's mounts
 * @param policy roots, private paths and the Podman user
 * @param fs filesystem calls (default: Deno's)
 * @returns the mounts with resolved sources, in order
 * @throws {MountRefusedError} naming the first refused mount and the rule
 */
export async function resolveMounts(
  mounts: readonly MountRequest[],
  policy: MountPolicy,
  fs: MountFs = denoFs,
): Promise<ResolvedMount[]> {
  checkMountShapes(mounts);
  if (mounts.length === 0) return [];
  const where = (index: number) => ({ index, field: "source" as const });
  if (policy.roots.length === 0) {
    throw new MountRefusedError(
      "no_roots",
      `host folder mounts are off: set ${policy.rootsSetting} to the colon-separated host ` +
        "folders mounts may come from",
      where(0),
    );
  }
  const roots = await resolvedAll(policy.roots, fs);
  const privatePaths = (await Promise.all(
    policy.privatePaths.filter((p) => p.path.startsWith("/")).map(async (p) =>
      (await resolvedAll([p.path], fs)).map((path) => ({ path, what: p.what }))
    ),
  )).flat();
  const out: ResolvedMount[] = [];
  for (const [index, mount] of mounts.entries()) {
    const given = tidyPath(mount.source);
    refuseForbidden(given, mount.source, privatePaths, index);
    let real: string;
    try {
      real = await fs.realPath(given);
    } catch (error) {
      const denied = error instanceof Deno.errors.PermissionDenied;
      throw new MountRefusedError(
        denied ? "unreadable" : "missing",
        denied
          ? `source ${given} cannot be read by the router (permission denied)`
          : `source ${given} does not exist`,
        where(index),
      );
    }
    refuseForbidden(real, mount.source, privatePaths, index);
    const info = await fs.stat(real);
    if (!info.isDirectory && !info.isFile) {
      throw new MountRefusedError(
        "bad_source",
        `source ${given} must be a folder or a regular file (not a socket, device or pipe)`,
        where(index),
      );
    }
    if (!roots.some((root) => isWithin(real, root))) {
      throw new MountRefusedError(
        "outside_roots",
        `source ${given}${real === given ? "" : ` (resolves to ${real})`} is outside ` +
          `${policy.rootsSetting} (${policy.roots.join(":")})`,
        where(index),
      );
    }
    await refuseUnreachable(real, info, policy, fs, index);
    out.push({ source: real, target: mount.target, readonly: mount.readonly ?? true });
  }
  return out;
}

/** Each path resolved when it exists, else as given (tidied); duplicates dropped. */
async function resolvedAll(paths: readonly string[], fs: MountFs): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) {
    const tidy = tidyPath(p);
    out.add(tidy);
    const real = await fs.realPath(tidy).catch(() => null);
    if (real) out.add(real);
  }
  return [...out];
}

function refuseForbidden(
  path: string,
  given: string,
  privatePaths: readonly PrivatePath[],
  index: number,
): void {
  const shown = path === tidyPath(given) ? path : `${tidyPath(given)} (resolves to ${path})`;
  const refuse = (why: string) => {
    throw new MountRefusedError("forbidden", `source ${shown} ${why}`, { index, field: "source" });
  };
  if (path === "/") refuse("is the host's root folder");
  for (const system of SYSTEM_SOURCES) {
    if (isWithin(path, system)) refuse(`is in ${system}, a system folder`);
  }
  for (const p of privatePaths) {
    if (isWithin(path, p.path)) refuse(`is ${p.what} or inside it`);
    if (isWithin(p.path, path)) refuse(`contains ${p.what}`);
  }
}

/** Refuse a source the container's user cannot read, or the Podman user cannot reach. */
async function refuseUnreachable(
  real: string,
  info: Awaited<ReturnType<MountFs["stat"]>>,
  policy: MountPolicy,
  fs: MountFs,
  index: number,
): Promise<void> {
  const needed = info.isDirectory ? 0o005 : 0o004;
  const mode = (info.mode ?? 0) & 0o777;
  if ((mode & needed) !== needed) {
    throw new MountRefusedError(
      "unreadable",
      `source ${real} is mode ${octal(mode)}: the container's user (uid 1000, not its owner on ` +
        `the host) can use only what others may — allow it with chmod o+${
          info.isDirectory ? "rx" : "r"
        } ${real}`,
      { index, field: "source" },
    );
  }
  const user = policy.podmanUser;
  if (!user || user.uid === 0) return;
  const segments = real.split("/").filter(Boolean);
  for (let i = 0; i < segments.length; i++) {
    const dir = `/${segments.slice(0, i).join("/")}`;
    const st = await fs.stat(dir);
    const m = (st.mode ?? 0) & 0o777;
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((m & bit) === 0) {
      throw new MountRefusedError(
        "unreadable",
        `source ${real} cannot be reached by the Podman user (uid ${user.uid}): ${dir} is mode ` +
          `${octal(m)} — allow it with chmod o+x ${dir}, or pick a folder it can reach`,
        { index, field: "source" },
      );
    }
  }
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, "0")}`;

/** A path for a message: as given, cut and JSON-quoted when odd. */
function show(path: string): string {
  const cut = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return /^[\x21-\x7e]*$/.test(cut) && cut !== "" ? cut : JSON.stringify(cut);
}
