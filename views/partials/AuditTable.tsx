/**
 * @module The audit log table: when (with zone), who (the local operator under one name), what,
 * on which target, the outcome with the error of a failed call, and the details folded. At
 * narrow widths each row is a compact card (see `static/app.css`, `table.audit`).
 */
import type { AuditEntry } from "../../server/schemas/records.ts";
import { TableHead } from "../components/Table.tsx";
import { When } from "../components/When.tsx";
import { actorLabel, errorParts } from "../activity_format.ts";

function summary(details: Record<string, unknown>): string {
  const { before: _b, after: _a, error: _e, ...rest } = details;
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

/** The error of a failed entry: one line, the full text folded when it is longer. */
export function AuditError({ text }: { text: string }) {
  const { line, full } = errorParts(text);
  if (!full) return <p class="audit-error">{line}</p>;
  return (
    <details class="audit-error">
      <summary>{line}</summary>
      <pre class="small">{full}</pre>
    </details>
  );
}

function errorText(a: AuditEntry): string | null {
  const e = a.details.error;
  return a.outcome === "error" && typeof e === "string" && e.trim() ? e : null;
}

/** The rows of the audit log, newest first. */
export function AuditTable({ audit }: { audit: AuditEntry[] }) {
  return (
    <table class="list audit">
      <TableHead columns={["When", "Actor", "Action", "Target", "Outcome", "Details"]} />
      <tbody>
        {audit.map((a) => {
          const error = errorText(a);
          const rest = summary(a.details);
          return (
            <tr class={a.outcome === "error" ? "is-error" : undefined}>
              <td data-label="When" class="when">
                <When iso={a.at} />
              </td>
              <td data-label="Actor" class="actor">{actorLabel(a.actor)}</td>
              <td data-label="Action" class="action">
                <code class="nowrap">{a.action}</code>
              </td>
              <td data-label="Target" class="target">{a.target ?? ""}</td>
              <td data-label="Outcome" class="outcome">
                <span class={a.outcome === "ok" ? "tag tag-ok" : "tag tag-bad"}>
                  {a.outcome}
                </span>
                {a.duration_ms !== undefined
                  ? <span class="muted small">{` ${Math.round(a.duration_ms)} ms`}</span>
                  : null}
              </td>
              <td data-label="Details" class="details">
                {error ? <AuditError text={error} /> : null}
                {Object.keys(a.details).length && (rest || !error)
                  ? (
                    <details>
                      <summary class="small">{rest || "details"}</summary>
                      <pre class="json small">{fullJson(a.details)}</pre>
                    </details>
                  )
                  : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
