/**
 * @module One running sandbox interpreter: a container whose main process is the kernel package
 * (`sandbox/kernel/`), launched and removed through `runtime/sessions.ts` like every router
 * container and attached over stdin/stdout. Sends one request at a time and reads the answer
 * with a bounded line reader and a hard deadline; the container's stderr is drained into a small
 * ring.
 */
import type { AttachedStreams, ContainerBackend, ContainerSpec } from "../runtime/backend.ts";
import { destroyContainer, launchContainer } from "../runtime/sessions.ts";
import { createLogger } from "../runtime/foundation/log.ts";
import { BoundedLineReader, LineTooLongError } from "../runtime/foundation/lines.ts";
import { KernelReadySchema, type KernelResponse, KernelResponseSchema } from "./schemas.ts";

const log = createLogger("sandbox.kernel");

/** Longest protocol line accepted from a kernel (its own caps keep answers far below). */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Bytes of container stderr kept for diagnostics. */
const STDERR_RING_BYTES = 16 * 1024;

/** Why a kernel stopped answering (`memory`: the watchdog killed it over the memory cap). */
export type KernelFailureKind = "timeout" | "exited" | "protocol" | "start" | "memory";

/** The interpreter did not answer: timed out, died, or spoke garbage. The container is gone. */
export class KernelFailure extends Error {
  override name = "KernelFailure";
  /**
   * @param kind what went wrong
   * @param message human-readable description
   * @param options `stderrTail` (last container stderr), `cause`
   */
  constructor(
    readonly kind: KernelFailureKind,
    message: string,
    options: { stderrTail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.stderrTail = options.stderrTail ?? "";
  }
  /** The last bytes the container wrote to stderr. */
  readonly stderrTail: string;
}

/** A request to the kernel. */
export interface KernelRequest {
  id: string;
  code: string;
  timeout_s?: number;
  files?: { name: string; content: string; encoding?: "utf-8" | "base64" }[];
}

/** Options for {@linkcode KernelProcess.start}. */
export interface KernelStartOptions {
  /** Deadline for the container to start and the kernel to say ready. */
  startTimeoutMs: number;
  /** Called once the launched container has been removed, however it ended (frees its slot). */
  onRemoved?: () => void;
}

/** A started kernel container. */
export class KernelProcess {
  readonly #backend: ContainerBackend;
  readonly #streams: AttachedStreams;
  readonly #reader: BoundedLineReader;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  #stderrTail = "";
  #dead = false;
  #removal: Promise<void> | null = null;
  #failure: KernelFailure | null = null;
  readonly #onKill: (() => void)[] = [];
  readonly #onRemoved: (() => void) | undefined;

  private constructor(
    backend: ContainerBackend,
    readonly containerId: string,
    streams: AttachedStreams,
    onRemoved: (() => void) | undefined,
  ) {
    this.#backend = backend;
    this.#streams = streams;
    this.#onRemoved = onRemoved;
    this.#reader = new BoundedLineReader(streams.stdout, { maxLineBytes: MAX_RESPONSE_BYTES });
    this.#writer = streams.stdin.getWriter();
    this.#drainStderr(streams.stderr);
  }

  /**
   * Create, attach and start a kernel container (`launchContainer`), then wait for its ready line.
   * @throws {KernelFailure} kind `start` when it does not come up in time (the container is removed)
   */
  static async start(
    backend: ContainerBackend,
    spec: ContainerSpec,
    options: KernelStartOptions,
  ): Promise<KernelProcess> {
    const launched = await launchContainer(backend, spec, { attach: true });
    const id = launched.id;
    const proc = new KernelProcess(backend, id, launched.streams!, options.onRemoved);
    try {
      const line = await proc.#readLine(options.startTimeoutMs);
      if (line === null) {
        throw new KernelFailure("start", "sandbox interpreter exited during start-up", {
          stderrTail: proc.stderrTail,
        });
      }
      const ready = KernelReadySchema.safeParse(safeJson(line));
      if (!ready.success) {
        throw new KernelFailure("start", "sandbox interpreter sent an unexpected first line", {
          stderrTail: proc.stderrTail,
        });
      }
      log.debug("kernel ready", { containerId: id, python: ready.data.python });
      return proc;
    } catch (cause) {
      await proc.kill();
      if (cause instanceof KernelFailure) {
        throw new KernelFailure("start", cause.message, {
          stderrTail: cause.stderrTail,
          cause,
        });
      }
      throw cause;
    }
  }

  /** Whether the kernel was killed or died. */
  get dead(): boolean {
    return this.#dead;
  }

  /** The last bytes of the container's stderr. */
  get stderrTail(): string {
    return this.#stderrTail;
  }

  /** Why the kernel was killed from outside (e.g. the memory watchdog), if it was. */
  get failure(): KernelFailure | null {
    return this.#failure;
  }

  /**
   * Kill the kernel for a reason: a request in flight (or the next one) fails with `failure`.
   * @param failure what the caller of the pending request is told
   */
  fail(failure: KernelFailure): Promise<void> {
    this.#failure ??= failure;
    return this.kill();
  }

  /**
   * Send one request and wait for its answer.
   * @param req the request (its `id` is echoed back)
   * @param options `hardTimeoutMs`: past it the container is killed
   * @throws {KernelFailure} on timeout, exit or protocol error (the container is then removed)
   */
  async request(req: KernelRequest, options: { hardTimeoutMs: number }): Promise<KernelResponse> {
    if (this.#dead) {
      throw this.#failure ?? new KernelFailure("exited", "sandbox interpreter is not running");
    }
    const deadline = Date.now() + options.hardTimeoutMs;
    try {
      await this.#writer.write(new TextEncoder().encode(JSON.stringify(req) + "\n"));
    } catch (cause) {
      await this.kill();
      throw new KernelFailure("exited", "sandbox interpreter is not accepting input", {
        stderrTail: this.stderrTail,
        cause,
      });
    }
    while (true) {
      const line = await this.#readLine(Math.max(deadline - Date.now(), 1));
      if (line === null) {
        await this.kill();
        throw this.#failure ?? new KernelFailure("exited", "sandbox interpreter exited", {
          stderrTail: this.stderrTail,
        });
      }
      const parsed = KernelResponseSchema.safeParse(safeJson(line));
      if (parsed.success && parsed.data.id === req.id) return parsed.data;
      log.warn("ignoring unexpected kernel line", {
        containerId: this.containerId,
        bytes: line.length,
      });
    }
  }

  /** Run `fn` once when the kernel is killed or dies (e.g. to stop watching it). */
  onKill(fn: () => void): void {
    if (this.#dead) fn();
    else this.#onKill.push(fn);
  }

  /** Remove the container (idempotent). */
  kill(): Promise<void> {
    if (this.#removal) return this.#removal;
    this.#dead = true;
    for (const fn of this.#onKill.splice(0)) {
      try {
        fn();
      } catch {
        // a hook must not stop the removal
      }
    }
    this.#removal = (async () => {
      try {
        this.#streams.close();
      } catch {
        // already closed
      }
      await this.#reader.cancel();
      await destroyContainer(this.#backend, this.containerId, { timeoutS: 0 });
      this.#onRemoved?.();
    })();
    return this.#removal;
  }

  /** Read one line with a deadline; kills the kernel on timeout or protocol error. */
  async #readLine(timeoutMs: number): Promise<string | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const read = this.#reader.next();
    read.catch(() => {}); // a late failure after a timeout is expected
    try {
      const outcome = await Promise.race([read, timeout]);
      if (outcome === "timeout") {
        await this.kill();
        throw new KernelFailure("timeout", `no answer within ${timeoutMs} ms`, {
          stderrTail: this.stderrTail,
        });
      }
      return outcome;
    } catch (cause) {
      if (cause instanceof KernelFailure) throw cause;
      await this.kill();
      if (this.#failure) throw this.#failure;
      if (cause instanceof LineTooLongError) {
        throw new KernelFailure("protocol", "sandbox answer exceeded the size limit", { cause });
      }
      throw new KernelFailure("exited", "lost the sandbox interpreter's output stream", {
        stderrTail: this.stderrTail,
        cause,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  #drainStderr(stream: ReadableStream<Uint8Array>): void {
    const decoder = new TextDecoder();
    (async () => {
      const reader = stream.getReader();
      try {
        while (true) {
          const { value, done } = await reader.read();
          if (done) break;
          // Keep only the tail: bounded no matter how much the container writes.
          const text = decoder.decode(
            value.length > STDERR_RING_BYTES ? value.subarray(-STDERR_RING_BYTES) : value,
            { stream: true },
          );
          this.#stderrTail = (this.#stderrTail + text).slice(-STDERR_RING_BYTES);
        }
      } catch {
        // stream torn down with the container
      } finally {
        reader.releaseLock();
      }
    })();
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
