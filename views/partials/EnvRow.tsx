/**
 * @module One row of the env-var table (key, description, required, secret, default, value).
 * Secret values use `type=password` and are never echoed back (a sealed draft rides along instead).
 */
import type { EnvRowValues, FieldErrors } from "../types.ts";
import { CheckInline, LabelledCell } from "../components/Table.tsx";

/** Props of {@linkcode EnvRow}. */
export interface EnvRowProps {
  /** Row id used in field names (`env.<rowId>.key`). */
  rowId: string;
  values: EnvRowValues;
  errors?: FieldErrors;
  /** Show the value column (new servers); edits set values separately. */
  withValue: boolean;
}

/** One env-var row. */
export function EnvRow({ rowId, values, errors = {}, withValue }: EnvRowProps) {
  const n = (f: string) => `env.${rowId}.${f}`;
  const id = (f: string) => `env-${rowId}-${f}`;
  const err = (f: string) => errors[n(f)];
  const which = /^\d+$/.test(rowId) ? `variable ${Number(rowId) + 1}` : "new variable";
  const Cell = ({ f, label, children }: { f: string; label: string; children: unknown }) => (
    <LabelledCell id={id(f)} label={label} which={which} error={err(f)}>
      {children as never}
    </LabelledCell>
  );
  return (
    <tr class="env-row">
      <Cell f="key" label="Key">
        <input
          id={id("key")}
          name={n("key")}
          value={values.key}
          class="mono"
          placeholder="API_KEY"
          autocomplete="off"
          aria-invalid={err("key") ? "true" : undefined}
          aria-describedby={err("key") ? `${id("key")}-error` : undefined}
        />
      </Cell>
      <Cell f="description" label="Description">
        <input id={id("description")} name={n("description")} value={values.description} />
      </Cell>
      <td data-label="Flags" class="flags">
        <CheckInline
          id={id("required")}
          name={n("required")}
          label="Required"
          which={which}
          checked={values.required}
        />
        <CheckInline
          id={id("secret")}
          name={n("secret")}
          label="Secret"
          which={which}
          checked={values.secret}
        />
      </td>
      <Cell f="default" label="Default">
        <input id={id("default")} name={n("default")} value={values.default} />
      </Cell>
      {withValue
        ? (
          <Cell f="value" label="Value">
            <input
              id={id("value")}
              name={n("value")}
              type={values.secret ? "password" : "text"}
              value={values.secret ? "" : values.value}
              autocomplete={values.secret ? "new-password" : "off"}
              placeholder={values.secret ? (values.sealed ? "•••• kept" : "secret value") : ""}
              title={values.sealed ? "The value you typed is kept; type to replace it" : undefined}
            />
            {values.sealed
              ? <input type="hidden" name={n("sealed")} value={values.sealed} />
              : null}
          </Cell>
        )
        : null}
      <td class="row-actions">
        <button
          type="submit"
          class="small ghost"
          name="_action"
          value={`remove_env:${rowId}`}
          formnovalidate
          hx-get="/ui/empty"
          hx-target="closest tr"
          hx-swap="delete"
          aria-label={`Remove variable ${values.key || "row"}`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
