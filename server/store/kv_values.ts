/**
 * @module KV value limits: measure a value the way Deno KV does, and make values derived from
 * servers or users fit before they are written.
 *
 * Deno KV refuses (with a `TypeError`) a value whose V8 serialization exceeds 64 KiB, a key over
 * 2 KiB, and a commit over 800 KiB of mutations, 1000 mutations or 100 checks. V8 stores a string
 * with any character above U+00FF as UTF-16 (two bytes a character), so a length check on the
 * text under-counts non-ASCII data: {@linkcode serializedSize} measures the real bytes.
 */
import { serialize } from "node:v8";
import { AppError } from "../errors.ts";

/** Largest value Deno KV stores: bytes of its V8 serialization (a `Uint8Array`: its length). */
export const KV_VALUE_LIMIT = 65_536;
/** Largest key Deno KV writes, in bytes of its encoding. */
export const KV_KEY_LIMIT = 2_048;
/** Largest total size (keys and values) of the mutations of one atomic commit. */
export const KV_COMMIT_LIMIT = 819_200;
/** Most mutations in one atomic commit. */
export const KV_MAX_MUTATIONS = 1_000;

/** What a record written in one KV value may take: the limit less a margin for later fields. */
export const KV_VALUE_BUDGET = 60 * 1024;

/**
 * An upper bound of {@linkcode serializedSize} for plain JSON-like values, from their JSON text
 * (a UTF-16 unit takes at most 3 bytes, and V8's tags and lengths never outgrow JSON's quotes,
 * commas and braces by more than that): cheap, and exact enough to tell a small record fits.
 * @returns the bound, or Infinity when the value is not plain JSON
 */
export function sizeBound(value: unknown): number {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? Infinity : json.length * 3 + 64;
  } catch {
    return Infinity;
  }
}

/**
 * Bytes Deno KV counts for `value`: a `Uint8Array` is stored raw, anything else as its V8
 * serialization (the same bytes `node:v8` `serialize` gives).
 * @param value a value about to be written
 * @returns the size in bytes; `Infinity` for a value V8 cannot serialize
 */
export function serializedSize(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  try {
    return serialize(value).byteLength;
  } catch {
    return Infinity;
  }
}

/**
 * Cut a text to at most `maxChars` characters, keeping its head and tail around a marker that
 * says how much was cut (the end of a log or error usually says what failed).
 * @param text any text
 * @param maxChars the most characters to keep (at least 64)
 */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const max = Math.max(64, maxChars);
  const marker = ` … [${text.length - max} characters cut] … `;
  const room = Math.max(0, max - marker.length);
  const head = Math.ceil(room * 0.6);
  return `${text.slice(0, head)}${marker}${text.slice(text.length - (room - head))}`;
}

/** String caps tried in turn by {@linkcode fitValue}, in characters. */
const STRING_CAPS = [8192, 2048, 512, 128];

function capStrings(value: unknown, maxChars: number, maxItems: number): unknown {
  if (typeof value === "string") return truncateText(value, maxChars);
  if (Array.isArray(value)) {
    const kept = value.slice(0, maxItems).map((v) => capStrings(v, maxChars, maxItems));
    return value.length > maxItems
      ? [...kept, `… [${value.length - maxItems} more items cut]`]
      : kept;
  }
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    const entries = Object.entries(value).slice(0, maxItems);
    return Object.fromEntries(entries.map(([k, v]) => [k, capStrings(v, maxChars, maxItems)]));
  }
  return value;
}

/**
 * Shrink a JSON-like value until it fits in `budget` serialized bytes: long strings are cut
 * (head and tail kept, with a marker), then long arrays and objects; when nothing else helps,
 * `fallback` is returned.
 * @param value the value to store
 * @param budget the most serialized bytes it may take
 * @param fallback what to store when even the smallest cut does not fit
 * @returns the value to store and whether it was cut
 */
export function fitValue<T>(
  value: T,
  budget: number,
  fallback: (value: T) => T,
): { value: T; truncated: boolean; size: number } {
  // Small values (most) fit by the cheap bound; the exact V8 size only when that is unclear.
  const bound = sizeBound(value);
  if (bound <= budget) return { value, truncated: false, size: bound };
  const size = serializedSize(value);
  if (size <= budget) return { value, truncated: false, size };
  for (const maxChars of STRING_CAPS) {
    const cut = capStrings(value, maxChars, Math.max(8, maxChars / 16)) as T;
    const cutSize = serializedSize(cut);
    if (cutSize <= budget) return { value: cut, truncated: true, size: cutSize };
  }
  return { value: fallback(value), truncated: true, size: budget };
}

/**
 * A preview of any value as one text of at most `maxChars` characters (for fallbacks).
 * @param value any value
 * @param maxChars the most characters
 */
export function previewText(value: unknown, maxChars = 2000): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return truncateText(text, maxChars);
}

/**
 * Refuse a user-supplied value that cannot be stored in one KV value.
 * @param value the record about to be written
 * @param what what it is, for the message (`the server record`, `the value of API_KEY`)
 * @param options `budget` in bytes (default {@linkcode KV_VALUE_BUDGET}) and a `hint` for the fix
 * @throws {AppError} 413 `payload_too_large` naming the size and the limit
 */
export function assertFitsInKv(
  value: unknown,
  what: string,
  options: { budget?: number; hint?: string } = {},
): void {
  const budget = options.budget ?? KV_VALUE_BUDGET;
  const size = serializedSize(value);
  if (size <= budget) return;
  const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
  throw new AppError(
    "payload_too_large",
    413,
    `${what} is too large to store: ${
      Number.isFinite(size) ? kib(size) : "not serializable"
    } (at most ${kib(budget)})${options.hint ? `; ${options.hint}` : ""}`,
    { details: { size_bytes: Number.isFinite(size) ? size : null, limit_bytes: budget } },
  );
}

/** Bytes of a KV key part as UTF-8 (what counts towards {@linkcode KV_KEY_LIMIT}, roughly). */
export function keyPartBytes(part: string): number {
  return new TextEncoder().encode(part).byteLength;
}
