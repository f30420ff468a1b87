/**
 * @module Activity page (`/activity`): the audit log and container sessions, newest first, with
 * "older" links.
 */
import type { AuditEntry, ContainerSession } from "../../server/schemas/records.ts";
import { TableHead } from "../components/Table.tsx";

/** Props of {@linkcode ActivityPage}. */
export interface ActivityPageProps {
  audit: AuditEntry[];
  sessions: ContainerSession[];
  /** Cursor for older audit entries (null: no more). */
  olderAudit: string | null;
  olderSessions: string | null;
  /** Whether this is a later page (show "newest" links). */
  paged: boolean;
}

function when(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}

function duration(s: ContainerSession): string {
  if (!s.stopped_at) return "running";
  const ms = Date.parse(s.stopped_at) - Date.parse(s.started_at);
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function summary(details: Record<string, unknown>): string {
  const { before: _b, after: _a, ...rest } = details;
  const parts = Object.entries(rest).map(([k, v]) =>
    `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`
  );
  if ("before" in details || "after" in details) {
    parts.push("before" in details && "after" in details ? "plan changed" : "plan");
  }
  const text = parts.join(" · ");
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function fullJson(details: Record<string, unknown>): string {
  const text = JSON.stringify(details, null, 2);
  return text.length > 4000 ? `${text.slice(0, 3999)}…` : text;
}

/** The activity page. */
export function ActivityPage(p: ActivityPageProps) {
  return (
    <>
      <h1>Activity</h1>
      <section class="card" id="audit">
        <h2>Audit log</h2>
        {p.audit.length === 0
          ? <p class="muted">Nothing recorded yet.</p>
          : (
            <table class="list audit">
              <TableHead columns={["When", "Actor", "Action", "Target", "Outcome", "Details"]} />
              <tbody>
                {p.audit.map((a) => (
                  <tr>
                    <td data-label="When" class="nowrap">{when(a.at)}</td>
                    <td data-label="Actor">{a.actor}</td>
                    <td data-label="Action">
                      <code class="nowrap">{a.action}</code>
                    </td>
                    <td data-label="Target">{a.target ?? ""}</td>
                    <td data-label="Outcome">
                      <span class={a.outcome === "ok" ? "tag tag-ok" : "tag tag-bad"}>
                        {a.outcome}
                      </span>
                      {a.duration_ms !== undefined
                        ? <span class="muted small">{` ${Math.round(a.duration_ms)} ms`}</span>
                        : null}
                    </td>
                    <td data-label="Details" class="details">
                      {Object.keys(a.details).length
                        ? (
                          <details>
                            <summary class="small">{summary(a.details) || "details"}</summary>
                            <pre class="json small">{fullJson(a.details)}</pre>
                          </details>
                        )
                        : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        <p class="pager">
          {p.paged ? <a href="/activity">Newest</a> : null}
          {p.olderAudit
            ? <a href={`/activity?before=${encodeURIComponent(p.olderAudit)}`}>Older entries</a>
            : null}
        </p>
      </section>
      <section class="card" id="sessions">
        <h2>Container sessions</h2>
        {p.sessions.length === 0
          ? <p class="muted">No containers have run yet.</p>
          : (
            <table class="list sessions">
              <TableHead columns={["Server", "Started", "Duration", "Exit"]} />
              <tbody>
                {p.sessions.map((s) => (
                  <tr>
                    <th scope="row" data-label="Server">{s.server_name}</th>
                    <td data-label="Started" class="nowrap">{when(s.started_at)}</td>
                    <td data-label="Duration">{duration(s)}</td>
                    <td data-label="Exit">
                      {s.error
                        ? <span class="tag tag-bad" title={s.error}>error</span>
                        : s.exit_code !== null
                        ? <code>{s.exit_code}</code>
                        : s.stopped_at
                        ? "stopped"
                        : <span class="tag">running</span>}
                      {s.error ? <span class="small muted block">{s.error}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        <p class="pager">
          {p.olderSessions
            ? (
              <a href={`/activity?sessions_before=${encodeURIComponent(p.olderSessions)}#sessions`}>
                Older sessions
              </a>
            )
            : null}
        </p>
      </section>
    </>
  );
}
