/**
 * @module Sandbox schemas: the `python_sandbox` tool input, the kernel's wire protocol, and the
 * {@linkcode SandboxResult} handed back to the MCP layer. Every boundary is parsed with zod.
 */
import { z } from "zod";

/** Longest `code` accepted (characters). */
export const MAX_CODE_CHARS = 200_000;
/** Most input files per call. */
export const MAX_INPUT_FILES = 20;
/** Largest total size of input file contents (characters). */
export const MAX_INPUT_FILES_CHARS = 2_000_000;

/** A small input file written into the sandbox work dir before the code runs. */
export const SandboxInputFileSchema = z.object({
  name: z.string().min(1).max(128).regex(
    /^[A-Za-z0-9_][A-Za-z0-9._ -]*$/,
    "a plain file name (letters, digits, . _ - and spaces; no slashes)",
  ),
  content: z.string(),
  encoding: z.enum(["utf-8", "base64"]).optional(),
});
/** A small input file. */
export type SandboxInputFile = z.infer<typeof SandboxInputFileSchema>;

/** Arguments of one `python_sandbox` call. */
export const SandboxRunInputSchema = z.object({
  code: z.string().max(MAX_CODE_CHARS),
  timeout_s: z.number().positive().optional(),
  reset: z.boolean().optional(),
  files: z.array(SandboxInputFileSchema).max(MAX_INPUT_FILES).optional().refine(
    (files) => (files ?? []).reduce((n, f) => n + f.content.length, 0) <= MAX_INPUT_FILES_CHARS,
    `input files may hold at most ${MAX_INPUT_FILES_CHARS} characters in total`,
  ),
});
/** Arguments of one `python_sandbox` call. */
export type SandboxRunInput = z.infer<typeof SandboxRunInputSchema>;

/** An exception raised by the user's code. */
export const SandboxErrorInfoSchema = z.object({
  type: z.string(),
  message: z.string(),
  traceback: z.string(),
});
/** An exception raised by the user's code. */
export type SandboxErrorInfo = z.infer<typeof SandboxErrorInfoSchema>;

/** A file the code wrote under `/work/out`. `data` is base64, or null when skipped (too large). */
export const SandboxOutFileSchema = z.object({
  name: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative(),
  mime_type: z.string(),
  data: z.string().nullable(),
  skipped: z.string().optional(),
});
/** A file the code wrote under `/work/out`. */
export type SandboxOutFile = z.infer<typeof SandboxOutFileSchema>;

/** The kernel's first line. */
export const KernelReadySchema = z.object({
  ready: z.literal(true),
  python: z.string(),
  pid: z.number().int(),
});

/** One kernel response line. */
export const KernelResponseSchema = z.object({
  id: z.string().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  result: z.string().nullable(),
  error: SandboxErrorInfoSchema.nullable(),
  figures: z.array(z.string()),
  files_out: z.array(SandboxOutFileSchema),
  elapsed_ms: z.number().nonnegative(),
  stdout_truncated: z.boolean(),
  stderr_truncated: z.boolean(),
  figures_dropped: z.number().int().nonnegative(),
  timed_out: z.boolean(),
  notes: z.array(z.string()),
});
/** One kernel response line. */
export type KernelResponse = z.infer<typeof KernelResponseSchema>;

/** How a call ended. */
export type SandboxExitStatus = "ok" | "error" | "timeout" | "crashed";

/** What one `python_sandbox` call produced. */
export interface SandboxResult {
  /** Captured stdout (capped; a truncation note is appended when cut). */
  stdout: string;
  /** Captured stderr (capped likewise). */
  stderr: string;
  /** `repr()` of the final bare expression, like a notebook cell, or null. */
  result: string | null;
  /** The exception the code raised (or the timeout), or null. */
  error: SandboxErrorInfo | null;
  /** Base64 PNGs: every matplotlib figure created or modified by the call. */
  figures: string[];
  /** Files written to `/work/out` during the call. */
  files_out: SandboxOutFile[];
  /** Execution time in ms (router-measured when the interpreter was killed). */
  elapsed_ms: number;
  /** `ok`, `error` (the code raised), `timeout`, or `crashed` (the interpreter died). */
  exit_status: SandboxExitStatus;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  /** Figures not returned because of the count/byte caps. */
  figures_dropped: number;
  timed_out: boolean;
  /** True when the session's variables are gone (hard timeout, crash, reset, new interpreter). */
  state_lost: boolean;
  /** Human-readable remarks (caps hit, restarts, clamped timeout). */
  notes: string[];
}
