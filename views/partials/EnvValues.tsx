/**
 * @module Env values form: current status of each variable; secrets show `••••` and a
 * password input to replace them (their value is never rendered).
 */
import type { EnvStatus } from "../../server/schemas/records.ts";
import type { EnvVarSpec } from "../../server/schemas/server.ts";
import { Form } from "../components/Form.tsx";
import { TableHead } from "../components/Table.tsx";

/** Props of {@linkcode EnvValues}. */
export interface EnvValuesProps {
  serverId: string;
  status: EnvStatus[];
  specs: EnvVarSpec[];
}

/** The env values of one server. */
export function EnvValues({ serverId, status, specs }: EnvValuesProps) {
  if (status.length === 0) {
    return <p class="muted">This server declares no environment variables.</p>;
  }
  return (
    <Form method="post" action={`/servers/${encodeURIComponent(serverId)}/env`} class="env-values">
      <table class="list">
        <TableHead columns={["Variable", "Current", "New value"]} />
        <tbody>
          {status.map((s, i) => {
            const spec = specs.find((x) =>
              x.key === s.key
            );
            const id = `envval-${i}`;
            return (
              <tr>
                <th scope="row" data-label="Variable">
                  <code>{s.key}</code>
                  {spec?.required ? <abbr class="req" title="required">*</abbr> : null}
                  {s.secret ? <span class="tag">secret</span> : null}
                  {spec?.description
                    ? <span class="desc small block">{spec.description}</span>
                    : null}
                </th>
                <td data-label="Current">
                  {s.set
                    ? s.secret ? <span class="mono">••••</span> : <code>{s.value}</code>
                    : spec?.default !== undefined
                    ? <span class="muted">default: {spec.default}</span>
                    : <span class={spec?.required ? "error" : "muted"}>not set</span>}
                </td>
                <td data-label="New value">
                  <label class="sr-only" for={id}>
                    {s.secret ? `Replace ${s.key}` : `Value of ${s.key}`}
                  </label>
                  <input
                    id={id}
                    name={`value.${s.key}`}
                    type={s.secret ? "password" : "text"}
                    value={s.secret ? "" : s.value ?? ""}
                    placeholder={s.secret
                      ? (s.set ? "replace (empty keeps it)" : "secret value")
                      : ""}
                    autocomplete={s.secret ? "new-password" : "off"}
                  />
                  {s.set
                    ? (
                      <span class="check-inline">
                        <input type="checkbox" id={`${id}-clear`} name={`clear.${s.key}`} />
                        <label for={`${id}-clear`}>Clear</label>
                      </span>
                    )
                    : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="form-actions">
        <button type="submit" class="primary">Save values</button>
      </div>
    </Form>
  );
}
