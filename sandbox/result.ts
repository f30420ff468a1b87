/**
 * @module Sandbox results: building a {@linkcode SandboxResult} from a kernel answer, for an
 * empty call, or for a lost interpreter (timeout kill, crash, oversized answer).
 */
import type { KernelFailure } from "./kernel_process.ts";
import type { KernelResponse, SandboxResult } from "./schemas.ts";

/** The last `n` characters of `text`. */
export function tail(text: string, n: number): string {
  return text.length > n ? text.slice(-n) : text;
}

/** A result with no output (nothing to run, or the base of a failure). */
export function emptyResult(options: { stateLost: boolean; notes: string[] }): SandboxResult {
  return {
    stdout: "",
    stderr: "",
    result: null,
    error: null,
    figures: [],
    files_out: [],
    elapsed_ms: 0,
    exit_status: "ok",
    stdout_truncated: false,
    stderr_truncated: false,
    figures_dropped: 0,
    timed_out: false,
    state_lost: options.stateLost,
    notes: options.notes,
  };
}

/** The result of a kernel answer. */
export function fromKernel(
  res: KernelResponse,
  options: { stateLost: boolean; notes: string[] },
): SandboxResult {
  return {
    stdout: res.stdout,
    stderr: res.stderr,
    result: res.result,
    error: res.error,
    figures: res.figures,
    files_out: res.files_out,
    elapsed_ms: res.elapsed_ms,
    exit_status: res.timed_out ? "timeout" : res.error ? "error" : "ok",
    stdout_truncated: res.stdout_truncated,
    stderr_truncated: res.stderr_truncated,
    figures_dropped: res.figures_dropped,
    timed_out: res.timed_out,
    state_lost: options.stateLost,
    notes: [...options.notes, ...res.notes],
  };
}

/** The result when the interpreter was lost (state is gone; the next call starts a new one). */
export function failureResult(
  cause: KernelFailure,
  options: { timeoutS: number; elapsedMs: number; notes: string[] },
): SandboxResult {
  const timedOut = cause.kind === "timeout";
  const message = timedOut
    ? `execution exceeded the ${options.timeoutS} s time limit; the interpreter was killed`
    : cause.kind === "protocol"
    ? "the interpreter's answer was too large; the interpreter was killed"
    : cause.kind === "memory"
    ? cause.message
    : "the interpreter exited unexpectedly (crash, out of memory, or os._exit)";
  const type = timedOut
    ? "TimeoutError"
    : cause.kind === "memory"
    ? "MemoryLimitExceeded"
    : "SandboxCrashed";
  return {
    ...emptyResult({ stateLost: true, notes: options.notes }),
    stderr: timedOut ? "" : tail(cause.stderrTail, 4000),
    error: { type, message, traceback: "" },
    elapsed_ms: options.elapsedMs,
    exit_status: timedOut ? "timeout" : "crashed",
    timed_out: timedOut,
    notes: [...options.notes, "state was lost: the next call starts a fresh interpreter"],
  };
}
