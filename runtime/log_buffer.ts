/**
 * @module Per-server log ring buffer: the last lines a downstream server wrote to stderr, plus
 * the router's own lifecycle notes about it (started, exited, failed).
 *
 * Lines are redacted with `./foundation/log.ts` {@linkcode redact} when stored and again when read (a
 * secret registered later is still hidden). Served by `GET /api/servers/:id/logs`.
 */
import { redact } from "./foundation/log.ts";
import { textLineSplitter } from "./foundation/lines.ts";

/** One stored log line. */
export interface LogEntry {
  /** ISO timestamp of when the router received the line. */
  ts: string;
  /** `stderr` for the server's own output, `router` for lifecycle notes. */
  source: "stderr" | "router";
  /** The line (redacted, without trailing newline, at most {@linkcode MAX_LINE_CHARS}). */
  line: string;
}

/** Lines kept per server. */
export const MAX_LINES_PER_SERVER = 2000;
/** Longest line kept; longer lines are cut and marked with `…`. */
export const MAX_LINE_CHARS = 8192;

const buffers = new Map<string, LogEntry[]>();

/** Append one line to a server's ring buffer (dropping the oldest past the cap). */
export function appendLog(
  serverId: string,
  line: string,
  options: { source?: "stderr" | "router"; now?: Date } = {},
): void {
  let text = line.replace(/\r?\n$/, "");
  if (text.length > MAX_LINE_CHARS) text = text.slice(0, MAX_LINE_CHARS) + "…";
  const entry: LogEntry = {
    ts: (options.now ?? new Date()).toISOString(),
    source: options.source ?? "stderr",
    line: redact(text),
  };
  let buf = buffers.get(serverId);
  if (!buf) {
    buf = [];
    buffers.set(serverId, buf);
  }
  buf.push(entry);
  if (buf.length > MAX_LINES_PER_SERVER) buf.splice(0, buf.length - MAX_LINES_PER_SERVER);
}

/**
 * The last `lines` entries of a server (default 200), optionally only those at or after `since`
 * (a `Date` or ISO string). Oldest first.
 */
export function getLogs(
  serverId: string,
  options: { lines?: number; since?: Date | string } = {},
): LogEntry[] {
  const buf = buffers.get(serverId) ?? [];
  const since = options.since === undefined ? undefined : new Date(options.since).getTime();
  const filtered = since === undefined || Number.isNaN(since)
    ? buf
    : buf.filter((e) => Date.parse(e.ts) >= since);
  const n = Math.max(0, Math.min(options.lines ?? 200, MAX_LINES_PER_SERVER));
  return filtered.slice(Math.max(0, filtered.length - n)).map((e) => ({
    ...e,
    line: redact(e.line),
  }));
}

/** Forget a server's log lines (on server delete). */
export function clearLogs(serverId: string): void {
  buffers.delete(serverId);
}

/**
 * A line splitter for captured output: feed chunks, get whole lines (without `\r\n` or `\n`)
 * via `onLine`; call `flush()` at end of stream for a trailing partial line. An unterminated line
 * past `4 ×` {@linkcode MAX_LINE_CHARS} bytes is passed on as it stands, so memory stays bounded.
 */
export function lineSplitter(
  onLine: (line: string) => void,
): { push(chunk: Uint8Array): void; flush(): void } {
  return textLineSplitter((line) => onLine(line.replace(/\r$/, "")), {
    maxLineBytes: MAX_LINE_CHARS * 4,
    overflow: "flush",
  });
}
