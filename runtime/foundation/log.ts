/**
 * @module Structured logging: one JSON object per line on stderr, secrets redacted.
 *
 * Values registered with {@linkcode registerSecret} are replaced with `[REDACTED]` wherever they
 * appear in a log line — verbatim and in the encodings a value travels in: JSON-escaped (at any
 * depth), URL-encoded (`encodeURIComponent`, `encodeURI`, form `+`, lower- or upper-case
 * hex, and any mix of encoded and plain characters), standard and URL-safe base64 (padded or
 * not), hex (lower and upper case), and any base64 run that decodes to bytes containing a secret
 * (e.g. `Basic` credentials `user:secret`). Fields whose names look secret (`token`,
 * `password`, …) are masked.
 */
import { hex } from "./bytes.ts";

/** Log severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /(secret|password|passwd|token|api[_-]?key|authorization|cookie)/i;
const REDACTED = "[REDACTED]";
/** Shorter values are not registered: they would redact ordinary words and numbers. */
const MIN_SECRET_CHARS = 4;
/** Base64 runs at least this long are decoded and checked for secrets. */
const MIN_BASE64_RUN = 12;
const BASE64_RUN = new RegExp(`[A-Za-z0-9+/_-]{${MIN_BASE64_RUN},}={0,2}`, "g");
const secrets = new Set<string>();
let threshold: LogLevel = "info";
let sink: (line: string) => void = (line) => console.error(line);

/** Patterns built from the registered secrets (rebuilt when one is added). */
interface Matchers {
  /** Every literal form of every secret, longest first. */
  forms: RegExp;
  /** Each secret with any characters percent-encoded or JSON-escaped (lines with `%` or `\\`). */
  flexible: RegExp;
  /** The UTF-8 bytes of every form, as a binary string (tried on decoded base64). */
  bytes: RegExp;
}
let matchers: Matchers | null = null;

/** Remember a secret value so it is redacted from every later log line (values < 4 chars are ignored). */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_CHARS || secrets.has(value)) return;
  secrets.add(value);
  matchers = null;
}

/** Replace every registered secret value, in any of its encodings, inside `text` with `[REDACTED]`. */
export function redact(text: string): string {
  if (secrets.size === 0) return text;
  const m = matchers ??= buildMatchers();
  // Whole base64 runs first, so `Basic base64(user:secret)` goes entirely, user name included.
  let out = text.replace(BASE64_RUN, (run) => decodesToSecret(run, m.bytes) ? REDACTED : run);
  out = out.replace(m.forms, REDACTED);
  return /[%\\]/.test(out) ? out.replace(m.flexible, REDACTED) : out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

function binaryString(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

const lowerEscapes = (text: string) => text.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());

/** The literal forms a secret can take in a log line. */
export function secretForms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const base64 = btoa(binaryString(bytes));
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    base64,
    base64.replace(/=+$/, ""),
    base64.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_"),
    hex(bytes),
    hex(bytes).toUpperCase(),
  ];
  const form = new URLSearchParams({ v: secret }).toString().slice(2);
  try {
    for (const encoded of [encodeURIComponent(secret), encodeURI(secret), form]) {
      forms.push(encoded, lowerEscapes(encoded));
    }
  } catch {
    // lone surrogates cannot be URL-encoded, so they never appear URL-encoded either
  }
  return [...new Set(forms)];
}

/**
 * A pattern matching one character plain, JSON-escaped at any depth, percent-encoded (either
 * case) or `+` for a space.
 */
function flexibleChar(char: string): string {
  const json = JSON.stringify(char).slice(1, -1);
  // `"` → `\"` → `\\\"` …: escapes of escapes only add backslashes in front
  const escaped = json === char ? [] : [`\\\\+${escapeRegExp(json.replace(/^\\+/, ""))}`];
  const percent = Array.from(new TextEncoder().encode(char), (b) => {
    const [hi, lo] = hex(Uint8Array.of(b)).toUpperCase();
    const either = (d: string) => /[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d;
    return `%${either(hi)}${either(lo)}`;
  }).join("");
  const space = char === " " ? ["\\+"] : [];
  return `(?:${[escapeRegExp(char), ...escaped, percent, ...space].join("|")})`;
}

function alternation(values: Iterable<string>): RegExp {
  const sorted = [...new Set(values)].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join("|"), "g");
}

function buildMatchers(): Matchers {
  const forms = [...secrets].flatMap(secretForms);
  const encoder = new TextEncoder();
  return {
    forms: alternation(forms),
    flexible: new RegExp(
      [...secrets].sort((a, b) => b.length - a.length)
        .map((s) => Array.from(s, flexibleChar).join("")).join("|"),
      "g",
    ),
    bytes: new RegExp(
      [...new Set(forms.map((f) => binaryString(encoder.encode(f))))]
        .sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"),
    ),
  };
}

/** Whether a base64 (or base64url) run decodes, at any alignment, to bytes containing a secret. */
function decodesToSecret(run: string, bytes: RegExp): boolean {
  const standard = run.replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
  for (let shift = 0; shift < 4; shift++) {
    let chunk = standard.slice(shift);
    if (chunk.length % 4 === 1) chunk = chunk.slice(0, -1);
    if (chunk.length < 4) break;
    try {
      if (bytes.test(atob(chunk))) return true;
    } catch {
      // not base64 at this alignment
    }
  }
  return false;
}

/** Set the minimum level written. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** Whether a line at `level` would be written (callers skip building costly fields when not). */
export function logEnabled(level: LogLevel): boolean {
  return LEVELS[level] >= LEVELS[threshold];
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
  const at = (level: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => {
    // Level first: a line that is off costs no field copy.
    if (logEnabled(level)) log(level, msg, { component, ...fields });
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
