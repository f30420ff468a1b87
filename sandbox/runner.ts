/**
 * @module Sandbox manager: one hardened `python_sandbox` container per MCP client session.
 *
 * The first call of a session starts a container running the kernel package; later calls reuse
 * its interpreter (globals persist, notebook-like). Calls of one session run one at a time. A
 * call's wall-clock limit is enforced twice: softly inside the kernel (the code is interrupted,
 * state kept) and hard by the router a few seconds later (the container is killed; the next call
 * gets a fresh interpreter and the result says state was lost). The memory of each sandbox's
 * whole process tree is watched (`sandbox/memory_guard.ts`): over `settings.sandboxMemoryMb` the
 * container is killed and the call says so. Idle sessions are removed after
 * `settings.sessionIdleTimeoutMs`.
 *
 * Every sandbox container holds one of the router's container slots (`ContainerSlots`, shared
 * with the MCP servers' containers) from launch until it is removed; when none is free, the
 * least recently used idle sandbox session gives its slot up, else the call waits a little and
 * then fails with the same limit message MCP servers get.
 */
import { ContainerSlots, slotLimitMessage, type SlotRelease } from "../runtime/sessions.ts";
import type { ContainerBackend, ContainerSpec } from "../runtime/backend.ts";
import { createLogger } from "../runtime/foundation/log.ts";
import type { TreeMemoryWatchdog } from "../runtime/tree_watchdog.ts";
import { SandboxError, sandboxIssues } from "./errors.ts";
import { KernelFailure, KernelProcess, type KernelRequest } from "./kernel_process.ts";
import { type SandboxResult, type SandboxRunInput, SandboxRunInputSchema } from "./schemas.ts";
import { emptyResult, failureResult, fromKernel, tail } from "./result.ts";
import type { SandboxSettings } from "./settings.ts";
import { buildSandboxSpec, SANDBOX_SERVER_NAME } from "./spec.ts";
import { guardKernelMemory } from "./memory_guard.ts";

export { SANDBOX_LABEL } from "./spec.ts";

const log = createLogger("sandbox");

/** Seconds between the kernel's soft timeout and the router's hard kill. */
export const HARD_KILL_GRACE_S = 5;

/** The key sandbox containers are counted under in the shared container slots. */
export const SANDBOX_SLOT_KEY = "builtin:python_sandbox";

/** What {@linkcode SandboxManager} needs. */
export interface SandboxDeps {
  backend: ContainerBackend;
  settings: SandboxSettings;
  /** Make sure the sandbox image exists; returns its tag (see `createSandboxImageEnsurer`). */
  ensureImage: () => Promise<string>;
  /**
   * The router's container slots, shared with the MCP servers' containers (default: slots of
   * this manager's own, `settings.maxContainers` / `settings.maxContainersPerServer`).
   */
  slots?: ContainerSlots;
}

/** Options of {@linkcode SandboxManager}. */
export interface SandboxManagerOptions {
  /** Command run in the container (default: `python3 -u /opt/sandbox/kernel`; the engine adds an init). */
  command?: string[];
  /** Extra environment for the kernel (e.g. cap overrides in tests). */
  env?: Record<string, string>;
  /** Most concurrent sandbox sessions (default settings.maxContainers). */
  maxSessions?: number;
  /** Process-tree memory watchdog (default: the router's shared one). */
  watchdog?: TreeMemoryWatchdog;
  /** How long a start waits for a free container slot (default 5 s, as for MCP servers). */
  slotWaitMs?: number;
}

interface Session {
  id: string;
  kernel: KernelProcess | null;
  /** Tail of the per-session call queue. */
  queue: Promise<unknown>;
  busy: number;
  lastUsed: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether a kernel ever ran for this session (a new one then means lost state). */
  hadKernel: boolean;
}

/** Runs Python for MCP client sessions in per-session sandbox containers. */
export class SandboxManager {
  readonly #deps: SandboxDeps;
  readonly #options: SandboxManagerOptions;
  readonly #slots: ContainerSlots;
  readonly #sessions = new Map<string, Session>();
  /** Container removals in flight (their sessions already forgotten); shutdown waits for them. */
  readonly #ending = new Set<Promise<void>>();
  #enforced: Promise<string[]> | null = null;
  #seq = 0;
  #closed = false;

  /**
   * @param deps backend, settings, image ensure function and the shared container slots
   * @param options command/env overrides, session cap, watchdog, slot wait
   */
  constructor(deps: SandboxDeps, options: SandboxManagerOptions = {}) {
    this.#deps = deps;
    this.#options = options;
    this.#slots = deps.slots ??
      new ContainerSlots(deps.settings.maxContainers, deps.settings.maxContainersPerServer);
  }

  /**
   * Run code in the session's interpreter, starting one if needed.
   * @param sessionId MCP client session id
   * @param input tool arguments (validated here)
   * @throws {SandboxError} `invalid_input` for bad input, `conflict` when the session ended while
   *   its interpreter started, `unavailable` when no sandbox could be started
   */
  async run(sessionId: string, input: unknown): Promise<SandboxResult> {
    if (this.#closed) throw new SandboxError("unavailable", "sandbox is shut down");
    const parsed = SandboxRunInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new SandboxError("invalid_input", "invalid python_sandbox arguments", {
        details: sandboxIssues(parsed.error.issues),
      });
    }
    const session = this.#session(sessionId);
    session.busy++;
    this.#clearIdle(session);
    const task = session.queue.then(() => this.#runInSession(session, parsed.data));
    session.queue = task.catch(() => {});
    try {
      return await task;
    } finally {
      session.busy--;
      session.lastUsed = Date.now();
      if (session.busy === 0 && this.#sessions.get(sessionId) === session) this.#armIdle(session);
    }
  }

  /** Remove a session's container (client disconnected). */
  async endSession(sessionId: string): Promise<void> {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    this.#clearIdle(session);
    const kernel = session.kernel;
    session.kernel = null;
    await this.#kill(kernel);
    log.info("sandbox session ended", { sessionId });
  }

  /** Remove every sandbox container this manager started and refuse further calls. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([
      ...[...this.#sessions.keys()].map((id) => this.endSession(id)),
      ...this.#ending,
    ]);
  }

  /** Kill a kernel and remove its container, tracked so that shutdown waits for it. */
  async #kill(kernel: KernelProcess | null): Promise<void> {
    if (!kernel) return;
    const ending = kernel.kill();
    this.#ending.add(ending);
    try {
      await ending;
    } finally {
      this.#ending.delete(ending);
    }
  }

  #session(sessionId: string): Session {
    let session = this.#sessions.get(sessionId);
    if (!session) {
      session = {
        id: sessionId,
        kernel: null,
        queue: Promise.resolve(),
        busy: 0,
        lastUsed: Date.now(),
        idleTimer: undefined,
        hadKernel: false,
      };
      this.#sessions.set(sessionId, session);
      const max = this.#options.maxSessions ?? this.#deps.settings.maxContainers;
      if (this.#sessions.size > max && this.#evictIdle(sessionId)) {
        log.info("evicting idle sandbox session (session cap reached)", { max });
      }
    }
    return session;
  }

  /**
   * End the least recently used idle session other than `keep` (only one holding a container,
   * when `withKernel`); returns whether one was found.
   */
  #evictIdle(keep: string, options: { withKernel?: boolean } = {}): boolean {
    const idle = [...this.#sessions.values()]
      .filter((s) => s.id !== keep && s.busy === 0 && (!options.withKernel || s.kernel))
      .sort((a, b) => a.lastUsed - b.lastUsed);
    const victim = idle[0];
    if (!victim) return false;
    this.endSession(victim.id).catch(() => {});
    return true;
  }

  #clearIdle(session: Session): void {
    if (session.idleTimer !== undefined) clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
  }

  #armIdle(session: Session): void {
    this.#clearIdle(session);
    const timer = setTimeout(() => {
      session.idleTimer = undefined;
      if (session.busy > 0 || this.#sessions.get(session.id) !== session) return;
      log.info("sandbox session idle; removing its container", { sessionId: session.id });
      this.endSession(session.id).catch(() => {});
    }, this.#deps.settings.sessionIdleTimeoutMs);
    Deno.unrefTimer(timer);
    session.idleTimer = timer;
  }

  async #runInSession(session: Session, input: SandboxRunInput): Promise<SandboxResult> {
    const { settings } = this.#deps;
    const notes: string[] = [];
    let stateLost = false;
    if (input.reset && session.kernel) {
      const old = session.kernel;
      session.kernel = null;
      await this.#kill(old);
      stateLost = true;
      notes.push("interpreter reset: all previous state was discarded");
    }
    if (session.kernel?.dead) {
      const failure = session.kernel.failure;
      if (failure?.kind === "memory") notes.push(`after the previous call, ${failure.message}`);
      session.kernel = null;
    }
    if (!session.kernel) {
      if (session.hadKernel && !stateLost) {
        stateLost = true;
        notes.push("a new interpreter was started: variables from earlier calls are gone");
      }
      const kernel = await this.#startKernel(session.id);
      if (this.#closed || this.#sessions.get(session.id) !== session) {
        await this.#kill(kernel); // the session ended (or the manager shut down) while starting
        throw new SandboxError("conflict", "the sandbox session ended while starting");
      }
      session.kernel = kernel;
      session.hadKernel = true;
    }
    let timeoutS = input.timeout_s ?? settings.sandboxTimeoutS;
    if (timeoutS > settings.sandboxMaxTimeoutS) {
      notes.push(`timeout_s clamped to the maximum of ${settings.sandboxMaxTimeoutS} s`);
      timeoutS = settings.sandboxMaxTimeoutS;
    }
    if (input.code.trim() === "" && !input.files?.length) {
      return emptyResult({ stateLost, notes });
    }
    const req: KernelRequest = {
      id: `r${++this.#seq}`,
      code: input.code,
      timeout_s: timeoutS,
      files: input.files,
    };
    const kernel = session.kernel;
    const started = Date.now();
    try {
      const res = await kernel.request(req, {
        hardTimeoutMs: (timeoutS + HARD_KILL_GRACE_S) * 1000,
      });
      return fromKernel(res, { stateLost, notes });
    } catch (cause) {
      if (!(cause instanceof KernelFailure)) throw cause;
      session.kernel = null;
      const elapsed = Date.now() - started;
      log.warn("sandbox interpreter lost", { sessionId: session.id, kind: cause.kind, elapsed });
      return failureResult(cause, { timeoutS, elapsedMs: elapsed, notes });
    }
  }

  /**
   * A container slot for a new sandbox: free now, or freed by evicting the least recently used
   * idle sandbox, or within the slot wait.
   * @throws {SandboxError} `unavailable` with the shared limit message when none frees in time
   */
  async #acquireSlot(sessionId: string): Promise<SlotRelease> {
    let release = this.#slots.tryAcquire(SANDBOX_SLOT_KEY);
    if (!release) {
      if (this.#evictIdle(sessionId, { withKernel: true })) {
        log.info("evicting idle sandbox session (container limit reached)");
      }
      release = await this.#slots.acquire(SANDBOX_SLOT_KEY, {
        waitMs: this.#options.slotWaitMs ?? 5_000,
      });
    }
    if (!release) {
      throw new SandboxError(
        "unavailable",
        slotLimitMessage(this.#slots, SANDBOX_SLOT_KEY, SANDBOX_SERVER_NAME),
      );
    }
    return release;
  }

  async #startKernel(sessionId: string): Promise<KernelProcess> {
    const { backend, settings } = this.#deps;
    let image: string;
    try {
      image = await this.#deps.ensureImage();
    } catch (cause) {
      throw new SandboxError("unavailable", "the sandbox image could not be built", { cause });
    }
    const spec = this.#spec(sessionId, image, await this.#enforcedLimits());
    const release = await this.#acquireSlot(sessionId);
    const started = Date.now();
    let kernel: KernelProcess | null = null;
    try {
      kernel = await KernelProcess.start(backend, spec, {
        startTimeoutMs: settings.startTimeoutMs,
        onRemoved: release,
      });
      await guardKernelMemory(kernel, {
        backend,
        capMb: settings.sandboxMemoryMb,
        watchdog: this.#options.watchdog,
      });
      log.info("sandbox started", {
        sessionId,
        containerId: kernel.containerId,
        ms: Date.now() - started,
      });
      return kernel;
    } catch (cause) {
      await this.#kill(kernel);
      release();
      const detail = cause instanceof KernelFailure && cause.stderrTail
        ? `: ${tail(cause.stderrTail, 500)}`
        : "";
      throw new SandboxError("unavailable", `the Python sandbox could not be started${detail}`, {
        cause,
      });
    }
  }

  /** Which limit kinds the engine enforces (asked once; empty when unknown). */
  #enforcedLimits(): Promise<string[]> {
    if (!this.#enforced) {
      this.#enforced = this.#deps.backend.info().then((i) => i.enforcedLimits, () => []);
    }
    return this.#enforced;
  }

  /** The hardened container spec for one session's sandbox (see {@linkcode buildSandboxSpec}). */
  #spec(sessionId: string, image: string, enforcedLimits: string[]): ContainerSpec {
    return buildSandboxSpec(sessionId, {
      settings: this.#deps.settings,
      image,
      enforcedLimits,
      command: this.#options.command,
      env: this.#options.env,
    });
  }
}
