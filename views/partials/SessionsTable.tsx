/**
 * @module The container sessions table: server, start (with zone), duration, and how it ended —
 * a stop the router asked for reads "stopped" even with exit 143/137; errors and other non-zero
 * exits are failures.
 */
import type { ContainerSession } from "../../server/schemas/records.ts";
import { TableHead } from "../components/Table.tsx";
import { When } from "../components/When.tsx";
import { sessionOutcome } from "../activity_format.ts";
import { AuditError } from "./AuditTable.tsx";

function duration(s: ContainerSession): string {
  if (!s.stopped_at) return "running";
  const ms = Date.parse(s.stopped_at) - Date.parse(s.started_at);
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

const TONE_CLASS = { ok: "tag tag-ok", bad: "tag tag-bad", neutral: "tag" } as const;

/** The rows of the container sessions, newest first. */
export function SessionsTable({ sessions }: { sessions: ContainerSession[] }) {
  return (
    <table class="list sessions">
      <TableHead columns={["Server", "Started", "Duration", "Exit"]} />
      <tbody>
        {sessions.map((s) => {
          const end = sessionOutcome(s);
          return (
            <tr>
              <th scope="row" data-label="Server">{s.server_name}</th>
              <td data-label="Started">
                <When iso={s.started_at} />
              </td>
              <td data-label="Duration">{duration(s)}</td>
              <td data-label="Exit" class="exit">
                <span class={TONE_CLASS[end.tone]}>{end.label}</span>
                {end.note ? <span class="muted small">{` ${end.note}`}</span> : null}
                {s.error ? <AuditError text={s.error} /> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
