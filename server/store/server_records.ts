/**
 * @module Server records as any backend stores them: built from a plan (with its origin),
 * re-validated after an edit, and checked to fit in one stored value.
 */
import type { Plan, ServerRecord } from "../schemas/server.ts";
import { ServerRecordSchema } from "../schemas/server.ts";
import { assertFitsInKv, KV_VALUE_BUDGET } from "./kv_values.ts";
import { nowIso } from "./ids.ts";

/** Most characters of a health (or session) error kept in a record (head and tail). */
export const HEALTH_ERROR_MAX = 4000;
/** Room kept in a server record's value for its health. */
const HEALTH_RESERVE = 12 * 1024;
/** Most serialized bytes of a server record without its health. */
const RECORD_BUDGET = KV_VALUE_BUDGET - HEALTH_RESERVE;
/** Hint in the 413 for a server record that is too large. */
const RECORD_HINT = "shorten its args, install steps, headers or env descriptions and defaults";

/**
 * The record of a new server.
 * @param plan a validated plan
 * @param id the new server's id
 * @throws {AppError} 413 when the record is too large to store
 */
export function newServerRecord(plan: Plan, id: string): ServerRecord {
  const at = nowIso();
  const origin = plan.origin ??
    (typeof plan.source === "object" ? plan.source : undefined) ??
    originFromPlan(plan);
  const planSource = typeof plan.source === "string" ? plan.source : "user";
  const record = ServerRecordSchema.parse({
    ...plan,
    id,
    display_name: plan.display_name || plan.name,
    source: origin,
    plan_source: planSource,
    capabilities: null,
    health: null,
    created_at: at,
    updated_at: at,
  });
  assertRecordFits(record);
  return record;
}

/**
 * The record after an edit: validated, with its id and creation time kept.
 * @param current the stored record
 * @param changed what the edit made of it
 */
export function editedServerRecord(current: ServerRecord, changed: ServerRecord): ServerRecord {
  return ServerRecordSchema.parse({
    ...changed,
    id: current.id,
    created_at: current.created_at,
    updated_at: nowIso(),
  });
}

/**
 * Refuse a server record that cannot be stored in one value (health and capabilities aside).
 * @throws {AppError} 413 `payload_too_large`
 */
export function assertRecordFits(record: ServerRecord): void {
  assertFitsInKv({ ...record, capabilities: null, health: null }, "the server record", {
    budget: RECORD_BUDGET,
    hint: RECORD_HINT,
  });
}

function originFromPlan(plan: Plan): ServerRecord["source"] {
  // A long first arg is no 400 on `ref`; a plan that skipped validation still fails it (400).
  const origin = originOf(plan);
  return typeof origin.ref === "string" ? { ...origin, ref: origin.ref.slice(0, 2000) } : origin;
}

function originOf(plan: Plan): ServerRecord["source"] {
  switch (plan.runtime) {
    case "npx":
      return {
        kind: "npx",
        ref: plan.package ?? plan.args.find((a) => !a.startsWith("-")) ?? plan.name,
      };
    case "uvx":
      return { kind: "uvx", ref: plan.package ?? plan.args[0] ?? plan.name };
    case "image":
      return { kind: "image", ref: plan.image ?? plan.name };
    case "remote":
      return { kind: "remote", ref: plan.url ?? plan.name };
    default:
      return { kind: "github", ref: plan.package ?? plan.name };
  }
}
