/**
 * @module What a stdio server wrote to stdout that was not JSON-RPC, while it started: a banner,
 * a usage text, a cow. Such lines are the only sign that a process is not an MCP server on stdio
 * (the transport skips them), so the first few are kept (redacted) for the start-up failure report.
 */
import type { AttachedStreams } from "../../../runtime/backend.ts";
import { lineSplitter } from "../../../runtime/log_buffer.ts";
import { redact } from "../../../runtime/foundation/log.ts";

/** Lines kept at most. */
const MAX_LINES = 5;
/** Lines passed to `onLine` at most (they go to the server's log). */
const MAX_LOGGED = 20;
/** The prefix of such lines in the server's log. */
export const STDOUT_PREFIX = "[stdout] ";

/** A watch on a container's stdout during start-up. */
export interface StdoutNoiseWatch {
  /** The streams to hand to the transport (stdout is a copy of the original). */
  streams: AttachedStreams;
  /** Non-JSON lines seen so far (at most five). */
  readonly lines: readonly string[];
  /** Stop watching (once connected); the transport's copy goes on. */
  stop(): void;
}

/** Whether a stdout line could be a JSON-RPC message (newline-delimited JSON objects). */
function looksLikeJson(line: string): boolean {
  const t = line.trim();
  if (!t) return true;
  if (!t.startsWith("{")) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/**
 * Watch `streams.stdout` for non-JSON lines until {@linkcode StdoutNoiseWatch.stop}.
 * @param streams the attached streams (ownership passes to the returned `streams`)
 * @param options `onLine` gets each such line (the first 20), e.g. to log it
 */
export function watchStdoutNoise(
  streams: AttachedStreams,
  options: { onLine?: (line: string) => void } = {},
): StdoutNoiseWatch {
  const [forTransport, forWatch] = streams.stdout.tee();
  const lines: string[] = [];
  let logged = 0;
  const reader = forWatch.getReader();
  const splitter = lineSplitter((line) => {
    if (looksLikeJson(line)) return;
    // Kept lines end up in error messages and health records: never a secret value.
    if (lines.length < MAX_LINES) lines.push(redact(line.slice(0, 500)));
    if (logged++ < MAX_LOGGED) options.onLine?.(line);
  });
  let stopped = false;
  (async () => {
    try {
      while (!stopped) {
        const { value, done } = await reader.read();
        if (done) break;
        if (value) splitter.push(value);
      }
      if (!stopped) splitter.flush();
    } catch {
      // the attach dropped; the transport reports that
    }
  })();
  return {
    streams: {
      stdout: forTransport,
      stderr: streams.stderr,
      stdin: streams.stdin,
      close: () => streams.close(),
    },
    get lines() {
      return lines;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      reader.cancel().catch(() => {});
    },
  };
}
