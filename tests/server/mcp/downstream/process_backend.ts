/**
 * @module Test helper: a `ContainerBackend` whose "containers" are local processes (the Deno echo
 * fixture), so the pool can be tested with injected I/O and no container engine.
 *
 * The fixture mode is the last word of the spec's command (`stdio`, `http` or `sse`); published
 * ports get a free local port passed to the process as `$PORT`.
 */
import type {
  AttachedStreams,
  ContainerBackend,
  ContainerSpec,
  ContainerState,
  EngineInfo,
} from "../../../../runtime/backend.ts";
import { echoFixtureCommand } from "./process_streams.ts";
import { type ServerRecord, ServerRecordSchema } from "../../../../server/schemas/server.ts";

interface FakeContainer {
  id: string;
  spec: ContainerSpec;
  child: Deno.ChildProcess | null;
  exitCode: number | null;
  exited: Promise<void>;
  ports: Record<number, number>;
  attachedStreams: AttachedStreams | null;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Process-backed fake engine; records every call for assertions. */
export class ProcessBackend implements ContainerBackend {
  readonly containers = new Map<string, FakeContainer>();
  readonly created: ContainerSpec[] = [];
  /** Delay added to `create` (to widen race windows). */
  createDelayMs = 0;
  #next = 1;

  info(): Promise<EngineInfo> {
    return Promise.resolve({
      version: "fake",
      rootless: true,
      cgroupVersion: "v2",
      limits: "unsupported: fake",
      enforcedLimits: [],
    });
  }

  imageExists(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async create(spec: ContainerSpec): Promise<string> {
    if (this.createDelayMs) await new Promise((r) => setTimeout(r, this.createDelayMs));
    const id = `fake${String(this.#next++).padStart(8, "0")}`;
    this.created.push(spec);
    const ports: Record<number, number> = {};
    for (const p of spec.publish) ports[p.containerPort] = freePort();
    this.containers.set(id, {
      id,
      spec,
      child: null,
      exitCode: null,
      exited: Promise.resolve(),
      ports,
      attachedStreams: null,
    });
    return id;
  }

  #spawn(c: FakeContainer): void {
    if (c.child) return;
    const mode = c.spec.command.at(-1) as "stdio" | "stdio-strict" | "http" | "sse";
    const cmd = echoFixtureCommand(mode);
    const port = Object.values(c.ports)[0];
    const env: Record<string, string> = { ...Deno.env.toObject(), ...c.spec.env };
    env.HOME = Deno.env.get("HOME") ?? "/root";
    if (port) env.PORT = String(port);
    c.child = new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      env,
      stdin: c.spec.stdin ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    c.exited = c.child.status.then((s) => {
      c.exitCode = s.code;
    });
  }

  attach(id: string): Promise<AttachedStreams> {
    const c = this.#get(id);
    this.#spawn(c);
    const child = c.child!;
    const streams: AttachedStreams = {
      stdout: child.stdout,
      stderr: child.stderr,
      stdin: c.spec.stdin ? child.stdin : new WritableStream(),
      close() {},
    };
    c.attachedStreams = streams;
    return Promise.resolve(streams);
  }

  start(id: string): Promise<void> {
    const c = this.#get(id);
    if (!c.child) {
      this.#spawn(c);
      // Drain unattached output.
      c.child!.stdout.cancel().catch(() => {});
      c.child!.stderr.cancel().catch(() => {});
    }
    return Promise.resolve();
  }

  inspect(id: string): Promise<ContainerState> {
    const c = this.#get(id);
    return Promise.resolve({
      id,
      running: c.child !== null && c.exitCode === null,
      exitCode: c.exitCode,
      ports: c.ports,
      labels: c.spec.labels,
    });
  }

  async stop(id: string, options: { timeoutS?: number } = {}): Promise<void> {
    const c = this.#get(id);
    if (!c.child || c.exitCode !== null) return;
    try {
      c.child.kill("SIGTERM");
    } catch {
      // gone
    }
    const timer = new Promise((r) => setTimeout(r, (options.timeoutS ?? 10) * 1000));
    await Promise.race([c.exited, timer]);
    if (c.exitCode === null) {
      try {
        c.child.kill("SIGKILL");
      } catch {
        // gone
      }
      await c.exited;
    }
  }

  async remove(id: string): Promise<void> {
    const c = this.#get(id);
    if (c.child && c.exitCode === null) {
      try {
        c.child.kill("SIGKILL");
      } catch {
        // gone
      }
      await c.exited;
    }
    this.containers.delete(id);
  }

  /** Kill a "container" from outside (simulates a crash). */
  async kill(id: string): Promise<void> {
    const c = this.#get(id);
    c.child?.kill("SIGKILL");
    await c.exited;
  }

  list(labels: Record<string, string>): Promise<ContainerState[]> {
    const out: ContainerState[] = [];
    for (const c of this.containers.values()) {
      if (Object.entries(labels).every(([k, v]) => c.spec.labels[k] === v)) {
        out.push({
          id: c.id,
          running: c.child !== null && c.exitCode === null,
          exitCode: c.exitCode,
          ports: c.ports,
          labels: c.spec.labels,
        });
      }
    }
    return Promise.resolve(out);
  }

  logs(): Promise<string[]> {
    return Promise.resolve([]);
  }

  /** Put a labelled "container" in the list without a process (an orphan from a past run). */
  addOrphan(labels: Record<string, string>): string {
    const id = `orphan${this.#next++}`;
    this.containers.set(id, {
      id,
      spec: { labels } as ContainerSpec,
      child: null,
      exitCode: 0,
      exited: Promise.resolve(),
      ports: {},
      attachedStreams: null,
    });
    return id;
  }

  #get(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw Object.assign(new Error(`no such container ${id}`), { status: 404 });
    return c;
  }
}

/**
 * A stored record of the echo fixture as an image server ({@linkcode ProcessBackend} runs it as
 * a process); `overrides` change any field (`name` also sets the id).
 */
export function echoRecord(overrides: Record<string, unknown> = {}): ServerRecord {
  const name = (overrides.name as string) ?? "echo";
  return ServerRecordSchema.parse({
    id: `srv-${name}`,
    name,
    display_name: name,
    description: "",
    source: { kind: "image", ref: "fake" },
    runtime: "image",
    image: "localhost/fake",
    command: "echo-fixture",
    args: ["stdio"],
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...overrides,
  });
}
