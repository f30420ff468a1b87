/**
 * @module Table pieces the list tables and the editable row tables share: a header row, an
 * inline checkbox with a screen-reader suffix, and a labelled cell with its inline error.
 */
import type { ComponentChildren } from "preact";

/**
 * A `<thead>` with one column header per entry (`null` entries are left out), and optionally a
 * last column whose header only screen readers read (row actions).
 */
export function TableHead({ columns, hidden }: { columns: (string | null)[]; hidden?: string }) {
  return (
    <thead>
      <tr>
        {columns.filter((c) => c !== null).map((c) => <th key={c} scope="col">{c}</th>)}
        {hidden
          ? (
            <th scope="col">
              <span class="sr-only">{hidden}</span>
            </th>
          )
          : null}
      </tr>
    </thead>
  );
}

/** A checkbox with its label inline; `which` names the row for screen readers. */
export function CheckInline(
  p: { id: string; name: string; label: string; which: string; checked?: boolean },
) {
  return (
    <span class="check-inline">
      <input type="checkbox" id={p.id} name={p.name} value="on" checked={p.checked} />
      <label for={p.id}>
        {p.label}
        <span class="sr-only">{`, ${p.which}`}</span>
      </label>
    </span>
  );
}

/** A row cell with a screen-reader label for its control and the control's inline error. */
export function LabelledCell(
  p: { id: string; label: string; which: string; error?: string; children: ComponentChildren },
) {
  return (
    <td data-label={p.label} class={p.error ? "has-error" : undefined}>
      <label class="sr-only" for={p.id}>{`${p.label}, ${p.which}`}</label>
      {p.children}
      {p.error ? <span class="error" id={`${p.id}-error`}>{p.error}</span> : null}
    </td>
  );
}
