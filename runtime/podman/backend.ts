/**
 * @module PodmanBackend: the {@linkcode ContainerBackend} over rootless Podman's REST socket.
 */
import type { RuntimeSettings } from "../settings.ts";
import type {
  AttachedStreams,
  ContainerBackend,
  ContainerSpec,
  ContainerState,
  EngineInfo,
} from "../backend.ts";
import { decideLimits } from "../limits.ts";
import { detectEgressHook } from "../egress.ts";
import { decideUserns, isUsernsExhausted, USERNS_AUTO_SIZE } from "../userns.ts";
import { PodmanClient, type PodmanClientOptions } from "./client.ts";
import { PodmanError } from "./errors.ts";
import type { InspectReply, ListEntry } from "./schemas.ts";
import { toSpecGenerator } from "./spec.ts";

/** Engine info from a `/libpod/info` reply (limits, user namespaces, slirp4netns). */
export function engineInfoFrom(info: Awaited<ReturnType<PodmanClient["info"]>>): EngineInfo {
  const rootless = info.host.security.rootless ?? false;
  return {
    ...decideLimits({
      version: info.version.Version,
      rootless,
      cgroupVersion: info.host.cgroupVersion,
      cgroupControllers: info.host.cgroupControllers,
    }),
    userns: decideUserns({
      rootless,
      uidmap: info.host.idMappings.uidmap,
      gidmap: info.host.idMappings.gidmap,
    }),
    slirp4netns: Boolean(info.host.slirp4netns?.executable),
  };
}

/** State from an inspect reply. */
export function stateFromInspect(reply: InspectReply): ContainerState {
  const ports: Record<number, number> = {};
  for (const [key, bindings] of Object.entries(reply.NetworkSettings?.Ports ?? {})) {
    const port = Number.parseInt(key, 10);
    const host = bindings?.[0]?.HostPort;
    if (Number.isInteger(port) && host) ports[port] = Number(host);
  }
  const started = reply.State.Status !== "created" && reply.State.Status !== "configured";
  return {
    id: reply.Id,
    running: reply.State.Running,
    exitCode: reply.State.Running || !started ? null : reply.State.ExitCode ?? null,
    ports,
    labels: reply.Config.Labels ?? {},
    pid: reply.State.Running && reply.State.Pid ? reply.State.Pid : null,
  };
}

/** State from a list entry. */
export function stateFromList(entry: ListEntry): ContainerState {
  const ports: Record<number, number> = {};
  for (const p of entry.Ports ?? []) {
    for (let i = 0; i < (p.range ?? 1); i++) ports[p.container_port + i] = p.host_port + i;
  }
  const running = entry.State === "running";
  const exited = entry.State === "exited" || entry.State === "stopped";
  return {
    id: entry.Id,
    running,
    exitCode: exited ? entry.ExitCode ?? null : null,
    ports,
    labels: entry.Labels ?? {},
  };
}

/** Label listing the engine secrets a container owns (names only, never values). */
export const SECRETS_LABEL = "mcp-router.secrets";
/** Secret files are mounted as `/run/secrets/<prefix><KEY>`. */
export const SECRET_FILE_PREFIX = "mcpr_env_";

/**
 * Wrap a command so secret files become environment variables before it runs; an argument
 * holding `${KEY}` (`--password=${ARG_PASSWORD}`) of a loaded secret gets its value there, in
 * the container, so the value never appears in the container's command line as the engine
 * stores it. Other `${…}` text is passed on as it is.
 * @param command the command to run
 * @param dir where the secret files are mounted (default `/run/secrets`; tests use a temp dir)
 */
export function withSecretLoader(command: string[], dir = "/run/secrets"): string[] {
  const file = `${dir}/${SECRET_FILE_PREFIX}`;
  const script = `for f in ${file}*; do [ -e "$f" ] || continue; ` +
    `k="\${f##*/${SECRET_FILE_PREFIX}}"; v="$(cat "$f"; printf x)"; export "$k=\${v%x}"; done; ` +
    // Rebuild "$@", filling one `${KEY}` per argument from its secret file (no eval).
    'n=$#; while [ "$n" -gt 0 ]; do a=$1; shift; n=$((n-1)); ' +
    "case $a in *'${'*'}'*) p=${a%%'${'*}; r=${a#*'${'}; k=${r%%'}'*}; s=${r#*'}'}; " +
    `case $k in ''|*[!A-Za-z0-9_]*) ;; *) if [ -e "${file}$k" ]; then ` +
    `v="$(cat "${file}$k"; printf x)"; a="$p\${v%x}$s"; fi;; esac;; esac; ` +
    'set -- "$@" "$a"; done; exec "$@"';
  return ["/bin/sh", "-c", script, "mcp-router-env", ...command];
}

/** Rootless Podman behind its REST API. */
export class PodmanBackend implements ContainerBackend {
  readonly client: PodmanClient;
  #engine: Promise<EngineInfo> | undefined;

  /** @param client a client bound to the Podman socket */
  constructor(client: PodmanClient) {
    this.client = client;
  }

  /** A backend for `settings.podmanSocket`. */
  static fromSettings(
    settings: Pick<RuntimeSettings, "podmanSocket">,
    options: PodmanClientOptions = {},
  ): PodmanBackend {
    return new PodmanBackend(new PodmanClient(settings.podmanSocket, options));
  }

  /** Release the HTTP client. */
  close(): void {
    this.client.close();
  }

  /** Engine facts (fetched once, then cached; a failure is not cached). */
  info(): Promise<EngineInfo> {
    if (!this.#engine) {
      this.#engine = this.client.info().then((reply) => ({
        ...engineInfoFrom(reply),
        egress: detectEgressHook(),
      }));
      this.#engine.catch(() => (this.#engine = undefined));
    }
    return this.#engine;
  }

  /** Whether an image is present locally. */
  imageExists(ref: string): Promise<boolean> {
    return this.client.imageExists(ref);
  }

  /**
   * Create a container; limits the host cannot enforce are left out.
   * @throws {PodmanError} with a hint when no free uid range is left for `userns=auto`
   */
  async create(spec: ContainerSpec): Promise<string> {
    const engine = await this.info();
    try {
      return await this.#create(spec, engine);
    } catch (err) {
      if (!(err instanceof PodmanError) || !isUsernsExhausted(err.message)) throw err;
      const capacity = engine.userns?.mode === "auto" ? engine.userns.capacity : 0;
      throw new PodmanError(
        `no free uid range for another container: all ${capacity} private ranges ` +
          `(${USERNS_AUTO_SIZE} ids each, userns=auto) are in use; give the Podman user more ` +
          "subordinate ids (runtime/setup.sh) or lower MCP_ROUTER_MAX_CONTAINERS",
        { kind: err.kind, status: err.status, operation: err.operation, cause: err },
      );
    }
  }

  async #create(spec: ContainerSpec, engine: EngineInfo): Promise<string> {
    const secrets = Object.entries(spec.secretEnv ?? {});
    if (secrets.length === 0) {
      return await this.client.createContainer(toSpecGenerator(spec, engine));
    }
    const names: string[] = [];
    try {
      const mounted: Record<string, unknown>[] = [];
      const [uid, gid] = (spec.user ?? "0:0").split(":").map((n) => Number(n) || 0);
      for (const [key, value] of secrets) {
        const name = `mcpr-${crypto.randomUUID().slice(0, 12)}-${key.toLowerCase()}`;
        await this.client.createSecret(name, value);
        names.push(name);
        mounted.push({
          Source: name,
          Target: `${SECRET_FILE_PREFIX}${key}`,
          UID: uid,
          GID: gid ?? uid,
          Mode: 0o400,
        });
      }
      const generator = toSpecGenerator(
        {
          ...spec,
          command: withSecretLoader(spec.command),
          // The root is read-only: give the secret files a place to be mounted.
          tmpfs: [...spec.tmpfs, "/run/secrets:rw,nosuid,nodev,noexec,size=1m"],
          labels: { ...spec.labels, [SECRETS_LABEL]: names.join(",") },
        },
        engine,
      );
      generator.secrets = mounted;
      return await this.client.createContainer(generator);
    } catch (err) {
      await Promise.allSettled(names.map((n) => this.client.removeSecret(n)));
      throw err;
    }
  }

  /** Start a created container. */
  start(id: string): Promise<void> {
    return this.client.startContainer(id);
  }

  /** Attach stdin/stdout/stderr (works before start: attach, then start). */
  attach(id: string): Promise<AttachedStreams> {
    return this.client.attach(id);
  }

  /** Current state. */
  async inspect(id: string): Promise<ContainerState> {
    return stateFromInspect(await this.client.inspectContainer(id));
  }

  /** Stop: SIGTERM, then SIGKILL after `timeoutS` (default 5). Missing containers are fine. */
  async stop(id: string, options: { timeoutS?: number } = {}): Promise<void> {
    try {
      await this.client.stopContainer(id, { timeoutS: options.timeoutS ?? 5 });
    } catch (err) {
      if (!(err instanceof PodmanError && err.notFound)) throw err;
    }
  }

  /** Remove (force kills a running container by default). Missing containers are fine. */
  async remove(id: string, options: { force?: boolean } = {}): Promise<void> {
    let secrets: string[] = [];
    try {
      const state = await this.inspect(id);
      secrets = (state.labels[SECRETS_LABEL] ?? "").split(",").filter(Boolean);
    } catch {
      // gone already: nothing to read
    }
    try {
      await this.client.removeContainer(id, { force: options.force ?? true });
    } catch (err) {
      if (!(err instanceof PodmanError && err.notFound)) throw err;
    }
    await Promise.allSettled(secrets.map((n) => this.client.removeSecret(n)));
  }

  /** Containers carrying all the given labels. */
  async list(labels: Record<string, string>): Promise<ContainerState[]> {
    return (await this.client.listContainers(labels)).map(stateFromList);
  }

  /** Last log lines (stdout and stderr interleaved). */
  async logs(id: string, options: { tail?: number } = {}): Promise<string[]> {
    const lines = await this.client.logs(id, { tail: options.tail ?? 100 });
    return lines.map((l) => l.line);
  }
}
