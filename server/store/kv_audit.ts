/**
 * @module The audit log over Deno KV: entries under time-ordered ids, listed newest first,
 * pruned by age.
 */
import { type AuditEntry, AuditEntrySchema } from "../schemas/records.ts";
import { isFiltered, matchesAuditFilter } from "../schemas/audit_filter.ts";
import type { AuditPage, AuditPageOptions, AuditStore } from "./store.ts";
import { K } from "./kv_keys.ts";
import { fitValue, KV_VALUE_BUDGET, previewText, sizeBound, truncateText } from "./kv_values.ts";
import { nowIso, timeId } from "./ids.ts";
import { GroupCommit } from "./group_commit.ts";

/** The audit log in KV. */
export class KvAudit implements AuditStore {
  /** Concurrent appends share one KV commit; each still waits for its own to be durable. */
  readonly #writes: GroupCommit;

  /** @param kv the KV handle */
  constructor(private readonly kv: Deno.Kv) {
    this.#writes = new GroupCommit(kv);
  }

  /**
   * Append an audit entry (callers must leave secret values out of `details`). Details too large
   * for one KV value are cut (long strings keep head and tail) and marked `truncated: true`.
   */
  async appendAudit(
    entry: Parameters<AuditStore["appendAudit"]>[0],
  ): Promise<AuditEntry> {
    const parsed = AuditEntrySchema.parse({ ...entry, id: timeId(), at: nowIso() });
    const full: AuditEntry = {
      ...parsed,
      actor: truncateText(parsed.actor, 200),
      action: truncateText(parsed.action, 200),
      ...(parsed.target === undefined ? {} : { target: truncateText(parsed.target, 500) }),
    };
    const fitted = fitValue(
      full.details,
      KV_VALUE_BUDGET - sizeBound({ ...full, details: {} }),
      (d) => ({
        preview: previewText(d, 2000),
      }),
    );
    if (fitted.truncated) full.details = { ...fitted.value, truncated: true };
    // The entry's size bounds its share of a group commit: details as measured, plus the capped
    // top-level fields (no second serialisation).
    await this.#writes.set(K.audit(full.id), full, fitted.size + 2048);
    return full;
  }

  /** Audit entries newest first. */
  async listAudit(options: { limit?: number; before?: string } = {}): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    const iter = this.kv.list(
      options.before ? { prefix: K.audits, end: K.audit(options.before) } : { prefix: K.audits },
      { reverse: true, limit: options.limit ?? 50 },
    );
    for await (const e of iter) {
      const parsed = AuditEntrySchema.safeParse(e.value);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  /**
   * One page of entries passing a filter, newest first. Reads at most `scanLimit` entries (default
   * 2000): a rare filter over a long log returns fewer and a `next` cursor to read on.
   */
  async pageAudit(options: AuditPageOptions = {}): Promise<AuditPage> {
    const limit = options.limit ?? 50;
    const filter = options.filter ?? {};
    const filtered = isFiltered(filter);
    const scanLimit = filtered ? Math.max(options.scanLimit ?? 2000, limit + 1) : limit + 1;
    const entries: AuditEntry[] = [];
    let scanned = 0;
    let lastId: string | null = null;
    const iter = this.kv.list(
      options.before ? { prefix: K.audits, end: K.audit(options.before) } : { prefix: K.audits },
      { reverse: true, limit: scanLimit, batchSize: Math.min(scanLimit, 500) },
    );
    for await (const e of iter) {
      scanned++;
      lastId = String(e.key.at(-1));
      const parsed = AuditEntrySchema.safeParse(e.value);
      if (!parsed.success || !matchesAuditFilter(parsed.data, filter)) continue;
      if (entries.length === limit) return { entries, next: entries.at(-1)!.id, scanned };
      entries.push(parsed.data);
    }
    // The whole scan budget read: older entries may still match.
    const more = scanned === scanLimit && lastId !== null;
    return {
      entries,
      next: more ? lastId : null,
      scanned,
      ...(more && filtered ? { partial: true as const } : {}),
    };
  }

  /** Delete audit entries older than `days`. @returns how many were removed */
  async pruneAudit(days: number): Promise<number> {
    const cutoff = timeId(Date.now() - days * 86_400_000);
    let removed = 0;
    for await (const e of this.kv.list({ prefix: K.audits, end: K.audit(cutoff) })) {
      await this.kv.delete(e.key);
      removed++;
    }
    return removed;
  }
}
