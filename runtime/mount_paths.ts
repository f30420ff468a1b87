/**
 * @module Mount paths: the pure path rules of host-folder mounts — the shape of a clean absolute
 * POSIX path (the record schema checks it too), paths compared by segments (so `/home/al` is not
 * inside `/home/alice`), and where in a router container a mount may land. No I/O; host-side
 * resolution is in `runtime/mounts.ts`.
 */
import {
  CA_MOUNT,
  CONTAINER_HOME,
  NPM_PREFIX,
  SOURCE_DIR,
  UV_BIN_DIR,
  UV_TOOL_DIR,
} from "./container_layout.ts";

/** Most mounts one server may have. */
export const MAX_MOUNTS = 16;

/** Longest accepted mount path (host or container). */
export const MAX_MOUNT_PATH = 1024;

/**
 * Why `path` is not a clean absolute POSIX path, or null when it is one. Clean: starts with `/`,
 * no empty, `.` or `..` segments, no trailing `/` (except `/` itself), no control characters.
 * @param path the path as given
 */
export function absolutePathProblem(path: string): string | null {
  if (path === "") return "must not be empty";
  if (path.length > MAX_MOUNT_PATH) return `must be at most ${MAX_MOUNT_PATH} characters`;
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return "must not contain control characters";
  if (!path.startsWith("/")) return "must be an absolute path (starting with /)";
  if (path === "/") return null;
  const segments = path.slice(1).split("/");
  if (segments.some((s) => s === "..")) return "must not contain '..' segments";
  if (segments.some((s) => s === ".")) return "must not contain '.' segments";
  if (segments.some((s) => s === "")) {
    return "must not contain empty segments ('//' or a trailing '/')";
  }
  return null;
}

/**
 * `/a//b/` → `/a/b`: collapses repeated slashes and drops a trailing one; other segments kept.
 * @param path an absolute path
 */
export function tidyPath(path: string): string {
  const tidy = path.replace(/\/{2,}/g, "/");
  return tidy.length > 1 && tidy.endsWith("/") ? tidy.slice(0, -1) : tidy;
}

/**
 * Container paths no mount may cover or land in: the system trees, the router's install
 * prefixes, the container user's home (a tmpfs), the CA bundle and the engine's `/run`
 * (secret files live there).
 */
export const RESERVED_TARGETS: readonly string[] = [
  "/proc",
  "/sys",
  "/dev",
  "/etc",
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/boot",
  "/run",
  "/var/run",
  "/opt/uv",
  NPM_PREFIX,
  SOURCE_DIR,
  UV_BIN_DIR,
  UV_TOOL_DIR,
  CONTAINER_HOME,
  CA_MOUNT,
];

/** Container paths a mount may not replace (it may go below them): the `/tmp` tmpfs. */
const RESERVED_EXACT_TARGETS: readonly string[] = ["/tmp"];

/**
 * Whether `path` is `parent` or lies below it, compared segment by segment.
 * @param path a clean absolute path
 * @param parent a clean absolute path
 * @example isWithin("/home/alice/x", "/home/alice") // true; isWithin("/home/alice", "/home/al") // false
 */
export function isWithin(path: string, parent: string): boolean {
  if (parent === "/") return path.startsWith("/");
  return path === parent || path.startsWith(`${parent}/`);
}

/**
 * Why a container path cannot take a mount, or null when it can.
 * @param target the mount's container path
 */
export function targetProblem(target: string): string | null {
  const shape = absolutePathProblem(target);
  if (shape) return shape;
  if (target === "/") return "must not be / (the container's root)";
  for (const reserved of RESERVED_TARGETS) {
    if (isWithin(target, reserved)) return `must not be in ${reserved} (used by the container)`;
    if (isWithin(reserved, target)) return `must not cover ${reserved} (used by the container)`;
  }
  if (RESERVED_EXACT_TARGETS.includes(target)) {
    return `must not replace ${target} (mount below it, e.g. ${target}/data)`;
  }
  return null;
}
