/**
 * @module One row of the host-folder table: host path, container path, read-only.
 */
import type { FieldErrors, MountRowValues } from "../types.ts";
import { CheckInline, LabelledCell } from "../components/Table.tsx";

/** Props of {@linkcode MountRow}. */
export interface MountRowProps {
  /** Row id used in field names (`mount.<rowId>.source`). */
  rowId: string;
  values: MountRowValues;
  errors?: FieldErrors;
}

/** One mount row; its errors are keyed `mounts.<rowId>.<field>`. */
export function MountRow({ rowId, values, errors = {} }: MountRowProps) {
  const n = (f: string) => `mount.${rowId}.${f}`;
  const id = (f: string) => `mount-${rowId}-${f}`;
  const err = (f: string) => errors[`mounts.${rowId}.${f}`];
  const which = `folder ${Number(rowId) + 1}`;
  const Cell = (
    { f, label, placeholder, value }: {
      f: string;
      label: string;
      placeholder: string;
      value: string;
    },
  ) => (
    <LabelledCell id={id(f)} label={label} which={which} error={err(f)}>
      <input
        id={id(f)}
        name={n(f)}
        value={value}
        class="mono"
        placeholder={placeholder}
        autocomplete="off"
        aria-invalid={err(f) ? "true" : undefined}
        aria-describedby={err(f) ? `${id(f)}-error` : undefined}
      />
    </LabelledCell>
  );
  return (
    <tr class="mount-row">
      <Cell f="source" label="Host folder" placeholder="/srv/projects/site" value={values.source} />
      <Cell f="target" label="Container path" placeholder="/data/site" value={values.target} />
      <td data-label="Flags" class="flags">
        <CheckInline
          id={id("readonly")}
          name={n("readonly")}
          label="Read-only"
          which={which}
          checked={values.readonly}
        />
      </td>
      <td class="row-actions">
        <button
          type="submit"
          class="small ghost"
          name="_action"
          value={`remove_mount:${rowId}`}
          formnovalidate
          aria-label={`Remove folder ${values.source || "row"}`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
