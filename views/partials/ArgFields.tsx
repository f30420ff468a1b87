/**
 * @module Command-line values the user fills in (a plan's `arg_fields`: the README showed a
 * placeholder such as `--password your_password`): one labelled input per flag, masked when the
 * value is a secret (never echoed back: a sealed draft rides along instead). The field's
 * definition rides along in hidden inputs, so a re-rendered form keeps it.
 */
import type { ArgFieldRowValues, FieldErrors } from "../types.ts";
import { TextField } from "../components/Field.tsx";

/** Props of {@linkcode ArgFields}. */
export interface ArgFieldsProps {
  rows: readonly ArgFieldRowValues[];
  errors: FieldErrors;
}

/** The "Command-line values" fieldset (nothing when there are no fields). */
export function ArgFields({ rows, errors }: ArgFieldsProps) {
  if (!rows.length) return null;
  return (
    <fieldset class="arg-fields">
      <legend>Command-line values</legend>
      <p class="hint">
        The README shows placeholders for these arguments; your values are added to the arguments on
        save{rows.some((r) => r.secret)
          ? " (secret ones are stored encrypted, like secret environment values)"
          : ""}.
      </p>
      {rows.map((row, i) => {
        const n = (part: string) => `argfield.${i}.${part}`;
        return (
          <div key={i}>
            <input type="hidden" name={n("flag")} value={row.flag} />
            <input type="hidden" name={n("description")} value={row.description} />
            <input type="hidden" name={n("required")} value={row.required ? "1" : "0"} />
            <input type="hidden" name={n("secret")} value={row.secret ? "1" : "0"} />
            <input type="hidden" name={n("equals")} value={row.equals ? "1" : "0"} />
            <TextField
              label={row.flag}
              name={n("value")}
              id={`f-argfield-${i}`}
              type={row.secret ? "password" : "text"}
              value={row.secret ? "" : row.value}
              required={row.required}
              autocomplete={row.secret ? "new-password" : "off"}
              placeholder={row.secret ? (row.sealed ? "•••• kept" : "secret value") : ""}
              hint={row.description || undefined}
              error={errors[n("value")]}
            />
            {row.sealed ? <input type="hidden" name={n("sealed")} value={row.sealed} /> : null}
          </div>
        );
      })}
    </fieldset>
  );
}
