/**
 * @module ContainerSpec → libpod SpecGenerator translation (pure).
 *
 * Hardening is always on: every capability dropped, no-new-privileges, an init process
 * (catatonit) as PID 1 so signals and zombies are handled; the root filesystem is read-only when
 * the spec asks. Published ports bind to 127.0.0.1 only. Where the engine can, each container
 * gets its own host uid range (`userns=auto`), and the network follows the spec's egress mode.
 */
import type { ContainerSpec, EngineInfo } from "../backend.ts";
import { networkFields } from "../egress.ts";
import { limitFields } from "../limits.ts";
import { usernsField } from "../userns.ts";

/** Default tmpfs options: exec (npm/uv caches hold native binaries), image content copied up, owned by the container user (`U`). */
export const TMPFS_OPTIONS = ["rw", "nosuid", "nodev", "exec", "tmpcopyup", "U"];

/** Maximum size of a container's log file before Podman rotates it. */
export const LOG_MAX_BYTES = 8 * 1024 * 1024;

/** Parse a tmpfs entry: `/path` or `/path:opt1,opt2`. */
export function parseTmpfs(entry: string): { destination: string; options: string[] } {
  const idx = entry.indexOf(":");
  if (idx < 0) return { destination: entry, options: [...TMPFS_OPTIONS] };
  return {
    destination: entry.slice(0, idx),
    options: entry.slice(idx + 1).split(",").map((o) => o.trim()).filter(Boolean),
  };
}

/**
 * Options of a host-folder bind mount: only the folder itself (`bind`, not `rbind`: mounts
 * below it on the host stay out), no device files, no set-uid, read-only unless asked.
 */
export function bindMountOptions(readonly: boolean): string[] {
  return ["bind", "nodev", "nosuid", readonly ? "ro" : "rw"];
}

function bindMountField(
  m: NonNullable<ContainerSpec["bindMounts"]>[number],
): Record<string, unknown> {
  return {
    type: "bind",
    source: m.source,
    destination: m.destination,
    options: bindMountOptions(m.readonly),
  };
}

/** Build the SpecGenerator JSON body for `POST /libpod/containers/create`. */
export function toSpecGenerator(spec: ContainerSpec, engine: EngineInfo): Record<string, unknown> {
  const mounts: Record<string, unknown>[] = [];
  for (const m of spec.readOnlyMounts) {
    mounts.push({
      type: "bind",
      source: m.source,
      destination: m.destination,
      options: ["ro", "rbind"],
    });
  }
  for (const m of spec.bindMounts ?? []) mounts.push(bindMountField(m));
  for (const entry of spec.tmpfs) {
    const t = parseTmpfs(entry);
    mounts.push({ type: "tmpfs", source: "tmpfs", destination: t.destination, options: t.options });
  }
  const out: Record<string, unknown> = {
    image: spec.image,
    command: spec.command,
    env: spec.env,
    labels: spec.labels,
    stdin: spec.stdin,
    terminal: false,
    init: true,
    cap_drop: ["ALL"],
    no_new_privileges: true,
    read_only_filesystem: spec.readOnlyRoot,
    mounts,
    volumes: spec.volumes.map((v) => ({ Name: v.name, Dest: v.destination, Options: [] })),
    portmappings: spec.publish.map((p) => ({
      host_ip: "127.0.0.1",
      container_port: p.containerPort,
      host_port: p.hostPort,
      protocol: "tcp",
    })),
    // Bounded k8s-file log (logs() reads it whole).
    log_configuration: { driver: "k8s-file", size: LOG_MAX_BYTES },
    ...limitFields(spec.limits, engine),
    ...usernsField(engine.userns),
    ...networkFields(spec.network, {
      rootless: engine.rootless,
      slirp4netns: engine.slirp4netns ?? false,
    }),
  };
  if (spec.name) out.name = spec.name;
  if (spec.workdir) out.work_dir = spec.workdir;
  if (spec.user) out.user = spec.user;
  return out;
}
