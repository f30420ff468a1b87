/**
 * @module The audit log's filters: a plain GET form (`/activity?actor=&kind=&outcome=&server=`)
 * that works without JavaScript.
 */
import { Select } from "../components/Field.tsx";
import type { AuditFilter, AuditKind } from "../../server/schemas/audit_filter.ts";
import { actorLabel } from "../activity_format.ts";

/** How each kind of action is offered (every `AuditKind`, in their order). */
export const AUDIT_KIND_LABELS: Record<AuditKind, string> = {
  tools: "Tool calls",
  servers: "Servers",
  keys: "Keys and secrets",
  auth: "Sign-in and OAuth",
};

/** Props of {@linkcode AuditFilters}. */
export interface AuditFiltersProps {
  /** The filter in force. */
  filter: AuditFilter;
  /** Actor names to offer (identities: `local`, `key:NAME`, `oauth:NAME`, …). */
  actors: string[];
  /** Server names to offer. */
  servers: string[];
}

/** Options with the current value kept even when the lists do not hold it. */
function withCurrent(values: string[], current: string | undefined): string[] {
  return current && !values.includes(current) ? [current, ...values] : values;
}

/** The filter form above the audit table. */
export function AuditFilters(p: AuditFiltersProps) {
  const f = p.filter;
  return (
    <form method="get" action="/activity" class="inline-form audit-filters" role="search">
      <Select
        label="Who"
        name="actor"
        id="f-actor"
        value={f.actor ?? ""}
        options={[
          ["", "Anyone"],
          ...withCurrent(p.actors, f.actor).map((a): [string, string] => [a, actorLabel(a)]),
        ]}
      />
      <Select
        label="Kind"
        name="kind"
        id="f-kind"
        value={f.kind ?? ""}
        options={[
          ["", "Everything"],
          ...Object.entries(AUDIT_KIND_LABELS),
        ]}
      />
      <Select
        label="Outcome"
        name="outcome"
        id="f-outcome"
        value={f.outcome ?? ""}
        options={[["", "Any"], ["ok", "ok"], ["error", "error"]]}
      />
      <Select
        label="Server"
        name="server"
        id="f-server"
        value={f.server ?? ""}
        options={[["", "Any"], ...withCurrent(p.servers, f.server)]}
      />
      <div class="filter-actions">
        <button type="submit">Filter</button>
        {Object.values(f).some(Boolean) ? <a href="/activity">Clear filters</a> : null}
      </div>
    </form>
  );
}
