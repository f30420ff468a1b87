/**
 * @module Audit filters: the kinds of action, who counts as the local operator, and the filter
 * the activity page and the store share (`?actor=&kind=&outcome=&server=`).
 */
import { z } from "zod";
import type { AuditEntry } from "./records.ts";

/** The kinds of action the activity page filters by. */
export const AUDIT_KINDS = ["tools", "servers", "keys", "auth"] as const;
/** One kind of action. */
export type AuditKind = typeof AUDIT_KINDS[number];

const KIND_PREFIXES: Record<AuditKind, readonly string[]> = {
  tools: ["tool."],
  servers: ["server.", "config."],
  keys: ["key.", "api_key.", "secrets."],
  auth: ["admin.", "oauth.", "login"],
};

/**
 * The kind of an audit action (`tool.call` → `tools`, `server.update` → `servers`, …).
 * @returns the kind, or `other` for actions no kind covers
 */
export function auditKind(action: string): AuditKind | "other" {
  for (const kind of AUDIT_KINDS) {
    if (KIND_PREFIXES[kind].some((p) => action.startsWith(p))) return kind;
  }
  return "other";
}

/**
 * Actor names that are all the local operator: `local` (a loopback request with login off) and
 * `admin` (the admin password, the admin UI's own Try-it session).
 */
export const LOCAL_ACTORS: readonly string[] = ["local", "admin"];

/**
 * The person behind an actor name: every local-operator name becomes `local`; `key:NAME`,
 * `oauth:NAME`, `cli` and `stdio` stay as they are.
 */
export function actorIdentity(actor: string): string {
  return LOCAL_ACTORS.includes(actor.toLowerCase()) ? "local" : actor;
}

/** Drop a value the schema refuses instead of failing the whole query. */
const lenient = <T extends z.ZodTypeAny>(schema: T) => schema.optional().catch(undefined);

/** An audit filter from query parameters; empty or invalid values mean "any". */
export const AuditFilterSchema = z.object({
  actor: lenient(z.string().trim().min(1).max(200)),
  kind: lenient(z.enum(AUDIT_KINDS)),
  outcome: lenient(z.enum(["ok", "error"])),
  server: lenient(z.string().trim().min(1).max(200)),
});
/** An audit filter (every field optional). */
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/** Whether a filter narrows anything. */
export function isFiltered(filter: AuditFilter): boolean {
  return Object.values(filter).some((v) => v !== undefined);
}

/**
 * Whether an entry passes a filter: the same person (`admin` finds `local` too), the kind of its
 * action, its outcome and its target server (case-insensitive).
 */
export function matchesAuditFilter(entry: AuditEntry, filter: AuditFilter): boolean {
  if (
    filter.actor !== undefined &&
    actorIdentity(entry.actor).toLowerCase() !== actorIdentity(filter.actor).toLowerCase()
  ) return false;
  if (filter.kind !== undefined && auditKind(entry.action) !== filter.kind) return false;
  if (filter.outcome !== undefined && entry.outcome !== filter.outcome) return false;
  if (
    filter.server !== undefined &&
    (entry.target ?? "").toLowerCase() !== filter.server.toLowerCase()
  ) return false;
  return true;
}
