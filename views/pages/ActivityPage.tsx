/**
 * @module Activity page (`/activity`): the audit log (filters, 50 a page, "Older" links that keep
 * the filters) and container sessions, newest first.
 */
import type { AuditEntry, ContainerSession } from "../../server/schemas/records.ts";
import type { AuditFilter } from "../../server/schemas/audit_filter.ts";
import { activityHref } from "../activity_format.ts";
import { AuditFilters } from "../partials/AuditFilters.tsx";
import { AuditTable } from "../partials/AuditTable.tsx";
import { SessionsTable } from "../partials/SessionsTable.tsx";

/** Props of {@linkcode ActivityPage}. */
export interface ActivityPageProps {
  audit: AuditEntry[];
  sessions: ContainerSession[];
  /** Cursor for older audit entries (null: no more). */
  olderAudit: string | null;
  olderSessions: string | null;
  /** Whether this is a later page (show "newest" links). */
  paged: boolean;
  /** The audit filter in force (default: none). */
  filter?: AuditFilter;
  /** Actors the "Who" filter offers (default: the local operator). */
  actors?: string[];
  /** Servers the "Server" filter offers. */
  servers?: string[];
  /** How many entries a filtered page read when it ran out of budget before filling up. */
  partialScan?: number;
}

/** The activity page. */
export function ActivityPage(p: ActivityPageProps) {
  const filter = p.filter ?? {};
  const filtered = Object.values(filter).some(Boolean);
  return (
    <>
      <h1>Activity</h1>
      <section class="card" id="audit" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit log</h2>
        <AuditFilters filter={filter} actors={p.actors ?? ["local"]} servers={p.servers ?? []} />
        {p.audit.length === 0
          ? (
            <p class="muted">
              {filtered ? "No entries match these filters." : "Nothing recorded yet."}
            </p>
          )
          : <AuditTable audit={p.audit} />}
        {p.partialScan
          ? (
            <p class="muted small" role="status">
              {`Looked through ${p.partialScan} entries; older ones may match too.`}
            </p>
          )
          : null}
        <p class="pager">
          {p.paged ? <a href={activityHref({ filter })}>Newest</a> : null}
          {p.olderAudit
            ? <a href={activityHref({ filter, before: p.olderAudit })}>Older entries</a>
            : null}
        </p>
      </section>
      <section class="card" id="sessions" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Container sessions</h2>
        {p.sessions.length === 0
          ? <p class="muted">No containers have run yet.</p>
          : <SessionsTable sessions={p.sessions} />}
        <p class="pager">
          {p.olderSessions
            ? (
              <a
                href={`${activityHref({ filter, sessions_before: p.olderSessions })}#sessions`}
              >
                Older sessions
              </a>
            )
            : null}
        </p>
      </section>
    </>
  );
}
