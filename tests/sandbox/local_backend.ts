/**
 * @module A ContainerBackend double that runs the sandbox kernel as a local `python3` process
 * (no container): lets the SandboxManager's session, timeout and flood handling be unit-tested
 * on any machine with Python 3. Each "container" gets its own temp work dir.
 */
import type {
  AttachedStreams,
  ContainerBackend,
  ContainerSpec,
  ContainerState,
  EngineInfo,
} from "../../runtime/backend.ts";

/** The kernel package in the repo (run as a folder: `python3 sandbox/kernel`). */
export const KERNEL_SOURCE = new URL("../../sandbox/kernel", import.meta.url).pathname;

/** The Python used by the sandbox unit tests (`MCP_ROUTER_TEST_PYTHON`, default `python3`). */
export function testPython(): string {
  return Deno.env.get("MCP_ROUTER_TEST_PYTHON") ?? "python3";
}

/** Whether the test Python runs and has the given modules. */
export async function pythonHas(modules: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(testPython(), {
      args: ["-c", modules.map((m) => `import ${m}`).join("; ") || "pass"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

interface LocalContainer {
  id: string;
  spec: ContainerSpec;
  dir: string;
  child: Deno.ChildProcess | null;
  exitCode: number | null;
  streams: {
    stdout: TransformStream<Uint8Array, Uint8Array>;
    stderr: TransformStream<Uint8Array, Uint8Array>;
    stdin: TransformStream<Uint8Array, Uint8Array>;
  };
}

/** Runs kernel "containers" as local processes. */
export class LocalKernelBackend implements ContainerBackend {
  readonly containers = new Map<string, LocalContainer>();
  /** Every spec passed to create (for assertions). */
  readonly created: ContainerSpec[] = [];
  #seq = 0;

  info(): Promise<EngineInfo> {
    return Promise.resolve({
      version: "local",
      rootless: true,
      cgroupVersion: "none",
      limits: "unsupported: local processes",
      enforcedLimits: ["memory"],
    });
  }

  imageExists(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async create(spec: ContainerSpec): Promise<string> {
    const id = `local-${++this.#seq}`;
    this.created.push(spec);
    const dir = await Deno.makeTempDir({ prefix: "sandbox-kernel-" });
    this.containers.set(id, {
      id,
      spec,
      dir,
      child: null,
      exitCode: null,
      streams: {
        stdout: new TransformStream(),
        stderr: new TransformStream(),
        stdin: new TransformStream(),
      },
    });
    return id;
  }

  start(id: string): Promise<void> {
    const c = this.#get(id);
    const args = c.spec.command.slice(1).map((a) =>
      a.startsWith("/opt/sandbox/") ? KERNEL_SOURCE : a
    );
    const child = new Deno.Command(testPython(), {
      args,
      env: { ...c.spec.env, KERNEL_WORKDIR: c.dir, TMPDIR: c.dir, HOME: c.dir },
      cwd: c.dir,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    c.child = child;
    child.stdout.pipeTo(c.streams.stdout.writable).catch(() => {});
    child.stderr.pipeTo(c.streams.stderr.writable).catch(() => {});
    c.streams.stdin.readable.pipeTo(child.stdin).catch(() => {});
    child.status.then((s) => (c.exitCode = s.code));
    return Promise.resolve();
  }

  attach(id: string): Promise<AttachedStreams> {
    const c = this.#get(id);
    return Promise.resolve({
      stdout: c.streams.stdout.readable,
      stderr: c.streams.stderr.readable,
      stdin: c.streams.stdin.writable,
      close: () => {},
    });
  }

  inspect(id: string): Promise<ContainerState> {
    const c = this.#get(id);
    return Promise.resolve(this.#state(c));
  }

  async stop(id: string): Promise<void> {
    await this.remove(id);
  }

  async remove(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    this.containers.delete(id);
    if (c.child) {
      try {
        c.child.kill("SIGKILL");
      } catch {
        // already exited
      }
      await c.child.status;
    }
    await Deno.remove(c.dir, { recursive: true }).catch(() => {});
  }

  list(labels: Record<string, string>): Promise<ContainerState[]> {
    const match = [...this.containers.values()].filter((c) =>
      Object.entries(labels).every(([k, v]) => c.spec.labels[k] === v)
    );
    return Promise.resolve(match.map((c) => this.#state(c)));
  }

  logs(): Promise<string[]> {
    return Promise.resolve([]);
  }

  /** Kill every process (test cleanup). */
  async dispose(): Promise<void> {
    await Promise.all([...this.containers.keys()].map((id) => this.remove(id)));
  }

  #get(id: string): LocalContainer {
    const c = this.containers.get(id);
    if (!c) throw new Error(`no such container ${id}`);
    return c;
  }

  #state(c: LocalContainer): ContainerState {
    return {
      id: c.id,
      running: c.child !== null && c.exitCode === null,
      exitCode: c.exitCode,
      ports: {},
      labels: c.spec.labels,
      pid: c.child !== null && c.exitCode === null ? c.child.pid : null,
    };
  }
}
