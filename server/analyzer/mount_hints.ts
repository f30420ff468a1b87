/**
 * @module Mount hints: a plan whose arguments name host folders (a README's
 * `/Users/username/Desktop`, `/path/to/repo`, `--repository ~/code/x`) cannot work as is — the
 * container sees only mounted folders. The plan gets a warning per such argument saying which
 * mount to add and which container path to put in its place. Pure, no I/O.
 */
import type { Plan } from "../schemas/server.ts";

/** Placeholder or home-folder paths README examples pass to servers. */
const HOST_PATH_RE =
  /^(?:~(?:\/|$)|\$HOME\b|\/Users\/|\/home\/|[A-Za-z]:[\\/]|\/?path\/to\b|\/absolute\/|<[^>]*(?:path|dir|folder|repo)[^>]*>)/i;

/** One argument that names a host path, and the container path suggested for it. */
export interface HostPathArg {
  index: number;
  path: string;
  /** `/data/<last segment>` */
  target: string;
}

/**
 * The arguments (also the value part of `--flag=value`) that look like host paths.
 * @param args a plan's args
 */
export function hostPathArgs(args: readonly string[]): HostPathArg[] {
  const out: HostPathArg[] = [];
  args.forEach((arg, index) => {
    const path = arg.startsWith("-") && arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : arg;
    if (!HOST_PATH_RE.test(path)) return;
    const last = path.replace(/[<>]/g, "").split(/[\\/]/).filter(Boolean).at(-1) ?? "data";
    const name = last.replace(/[^A-Za-z0-9._-]/g, "") || "data";
    out.push({ index, path, target: `/data/${name === "~" ? "home" : name}` });
  });
  return out;
}

/**
 * The plan with a warning per host-path argument (at most 8), unless it already mounts folders.
 * @param plan an analyzed plan
 */
export function withMountHints(plan: Plan): Plan {
  if ((plan.mounts ?? []).length > 0) return plan;
  const found = hostPathArgs(plan.args).slice(0, 8);
  if (found.length === 0) return plan;
  const hints = found.map((f) =>
    `argument ${f.index + 1} (${f.path}) is a host path, but the container sees only mounted ` +
    `folders: add a mount (source: your folder, inside MCP_ROUTER_MOUNT_ROOTS; target: ` +
    `${f.target}) and put ${f.target} in the arguments instead`
  );
  return { ...plan, warnings: [...plan.warnings, ...hints] };
}
