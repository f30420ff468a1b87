/**
 * @module Ids and timestamps of stored records.
 */

/** Time-ordered, unique id (sortable in KV listings). */
export function timeId(now = Date.now()): string {
  return `${now.toString(36).padStart(10, "0")}-${crypto.randomUUID().slice(0, 8)}`;
}

/** The current time as an ISO 8601 string. */
export function nowIso(): string {
  return new Date().toISOString();
}
