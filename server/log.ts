/**
 * @module Structured logging: one JSON object per line on stderr, secrets redacted.
 *
 * Values registered with {@linkcode registerSecret} are replaced with `[REDACTED]` wherever they
 * appear in a log line, and fields whose names look secret (`token`, `password`, …) are masked.
 */

/** Log severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /(secret|password|passwd|token|api[_-]?key|authorization|cookie)/i;
const secrets = new Set<string>();
let threshold: LogLevel = "info";
let sink: (line: string) => void = (line) => console.error(line);

/** Remember a secret value so it is redacted from every later log line (values < 4 chars are ignored). */
export function registerSecret(value: string): void {
  if (value.length >= 4) secrets.add(value);
}

/** Replace every registered secret value inside `text` with `[REDACTED]`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}

/** Set the minimum level written. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** Redirect log output (tests capture lines with this); returns the previous sink. */
export function setLogSink(next: (line: string) => void): (line: string) => void {
  const previous = sink;
  sink = next;
  return previous;
}

function maskFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_FIELD.test(k) && typeof v === "string") out[k] = "[REDACTED]";
    else if (v instanceof Error) out[k] = { name: v.name, message: v.message };
    else out[k] = v;
  }
  return out;
}

/** Write one structured log line. */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS[level] < LEVELS[threshold]) return;
  const entry = { ts: new Date().toISOString(), level, msg, ...maskFields(fields) };
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ ts: entry.ts, level, msg, note: "unserializable fields" });
  }
  sink(redact(line));
}

/** A logger bound to a component name. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Create a logger whose lines carry `component`. */
export function createLogger(component: string): Logger {
  const at = (level: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) =>
    log(level, msg, { component, ...fields });
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
