/**
 * @module Plan form: identity, the launch fields of the chosen runtime and transport, the env-var
 * table, and everything else under "Advanced" (lifecycle, network, namespace, other runtimes'
 * fields, host folders). Used to review an analyzed plan (create) and to edit a stored server
 * (edit, with an optimistic `version`). Folded fields are still submitted. Create also shows the
 * command-line values to fill in (`arg_fields`).
 */
import type { FieldErrors, PlanFormValues } from "../types.ts";
import { Select, TextArea, TextField } from "../components/Field.tsx";
import {
  LAUNCH_FIELDS,
  LaunchFieldCell,
  launchFieldShown,
  type PlainField,
  RUNTIMES,
} from "./LaunchFields.tsx";
import { Alert } from "../components/Alert.tsx";
import { EnvRow } from "./EnvRow.tsx";
import { ArgFields } from "./ArgFields.tsx";
import { MountRow } from "./MountRow.tsx";
import { emptyMountRow } from "../types.ts";
import { Form } from "../components/Form.tsx";
import { TableHead } from "../components/Table.tsx";

/** Props of {@linkcode PlanForm}. */
export interface PlanFormProps {
  mode: "create" | "edit";
  /** Where the form posts. */
  action: string;
  values: PlanFormValues;
  errors?: FieldErrors;
  /** Edit: the version the form was rendered from. */
  version?: string;
  /** Create: the analysis job the plan came from (keeps its evidence and origin). */
  job?: string;
  /**
   * Create, after a failed verification: the main action goes back to `retryHref`, and saving
   * is the secondary "Save anyway (inactive)" (the server is saved switched off).
   */
  unverified?: { retryHref: string };
}

/** Fields under "Advanced" whatever the runtime (besides the mount table). */
const ADVANCED: readonly PlainField[] = ["lifecycle", "namespace", "network"];

/** The plan form. */
export function PlanForm(
  { mode, action, values, errors = {}, version, job, unverified }: PlanFormProps,
) {
  const withValue = mode === "create";
  const bind = (name: PlainField) => ({
    name,
    value: values[name] ?? (name === "network" ? "egress" : ""),
    error: errors[name],
  });
  const hasErrors = Object.keys(errors).length > 0;
  const main = LAUNCH_FIELDS.filter((f) => launchFieldShown(f, values.runtime, values.transport));
  const more = LAUNCH_FIELDS.filter((f) => !main.includes(f));
  const mountCount = values.mounts?.filter((m) => m.source || m.target).length ?? 0;
  // Open "Advanced" when something in it needs fixing, so no error is folded away.
  const advancedNames = [...ADVANCED, ...more.map((f) => f.name), "mounts"];
  const openAdvanced = Object.keys(errors).some((k) =>
    advancedNames.some((n) => k === n || k.startsWith(`${n}.`))
  );
  return (
    <Form method="post" action={action} class="plan-form" novalidate>
      {hasErrors
        ? (
          <Alert kind="error" title="Not saved" id="plan-errors" focus>
            {errors._form ?? "Please fix the fields marked below."}
          </Alert>
        )
        : null}
      {version ? <input type="hidden" name="version" value={version} /> : null}
      {job ? <input type="hidden" name="job" value={job} /> : null}
      <fieldset>
        <legend>Identity</legend>
        <div class="grid">
          <TextField
            label="Name"
            {...bind("name")}
            required
            hint="a-z, 0-9 and '-'; the tool name clients see"
            autocomplete="off"
          />
          <TextField
            label="Display name"
            {...bind("display_name")}
          />
        </div>
        <TextArea
          label="Description"
          {...bind("description")}
          rows={2}
        />
      </fieldset>
      <fieldset>
        <legend>Launch</legend>
        <div class="grid">
          <Select label="Runtime" {...bind("runtime")} options={[...RUNTIMES]} />
          <Select label="Transport" {...bind("transport")} options={["stdio", "http", "sse"]} />
        </div>
        {/* Without JavaScript: re-render for a changed runtime (app.js regroups in place). */}
        <p data-nojs-only>
          <button type="submit" class="small" name="_action" value="rows" formnovalidate>
            Show the fields of this runtime
          </button>
        </p>
        <div class="grid launch-grid" data-launch-main>
          {main.map((f) => (
            <LaunchFieldCell key={f.name} field={f} values={values} errors={errors} />
          ))}
        </div>
      </fieldset>
      {withValue ? <ArgFields rows={values.arg_fields ?? []} errors={errors} /> : null}
      <fieldset>
        <legend>Environment variables</legend>
        {errors.env ? <p class="error">{errors.env}</p> : null}
        <table class="list env-table">
          <TableHead
            columns={["Key", "Description", "Flags", "Default", withValue ? "Value" : null]}
            hidden="Remove"
          />
          <tbody id="env-rows">
            {values.env.map((row, i) => (
              <EnvRow rowId={String(i)} values={row} errors={errors} withValue={withValue} />
            ))}
          </tbody>
        </table>
        <p class="hint env-none">This plan sets no environment variables.</p>
        <button
          type="submit"
          class="small"
          name="_action"
          value="add_env"
          formnovalidate
          hx-get={`/ui/env-row?values=${withValue ? "1" : "0"}`}
          hx-target="#env-rows"
          hx-swap="beforeend"
        >
          Add variable
        </button>
        {withValue
          ? <p class="hint">Secret values are encrypted at rest and never shown again.</p>
          : <p class="hint">Set values in “Environment values” below.</p>}
      </fieldset>
      <details class="advanced" open={openAdvanced}>
        <summary>
          Advanced{" "}
          <span class="muted small">
            (lifecycle, network, namespace{more.length ? ", other runtimes' fields" : ""}, host
            folders{mountCount ? `: ${mountCount}` : ""})
          </span>
        </summary>
        <fieldset>
          <legend>Sandbox and naming</legend>
          <div class="grid grid-3">
            <Select
              label="Lifecycle"
              {...bind("lifecycle")}
              options={[
                ["session", "session (per client)"],
                ["call", "call (per tool call)"],
                ["shared", "shared (one container)"],
              ]}
            />
            <Select
              label="Namespace"
              {...bind("namespace")}
              options={[["prefix", "prefix (server__tool)"], ["none", "none (tools as is)"]]}
            />
            <Select
              label="Network"
              {...bind("network")}
              options={[
                ["egress", "egress (internet, not the host)"],
                ["none", "none (no network)"],
                ["host-services", "host-services (host reachable)"],
              ]}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Fields of other runtimes and transports</legend>
          <div class="grid launch-grid" data-launch-more>
            {more.map((f) => (
              <LaunchFieldCell key={f.name} field={f} values={values} errors={errors} />
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Host folders</legend>
          {errors.mounts ? <p class="error">{errors.mounts}</p> : null}
          <table class="list env-table mount-table">
            <TableHead columns={["Host folder", "Container path", "Flags"]} hidden="Remove" />
            <tbody id="mount-rows">
              {(values.mounts?.length ? values.mounts : [emptyMountRow()]).map((row, i) => (
                <MountRow rowId={String(i)} values={row} errors={errors} />
              ))}
            </tbody>
          </table>
          <button type="submit" class="small" name="_action" value="add_mount" formnovalidate>
            Add folder
          </button>
          <p class="hint">
            Bind-mounted into the container (no devices, no set-uid). The host folder must lie
            inside MCP_ROUTER_MOUNT_ROOTS; put the container path in the arguments where the server
            expects it. The container's user reads what the host lets others read; read-write mounts
            can write only where the host lets others write.
          </p>
        </fieldset>
      </details>
      <div class="form-actions">
        {unverified
          ? (
            <>
              <a class="button primary" href={unverified.retryHref}>Analyze again</a>
              <button type="submit" name="_action" value="save_inactive">
                Save anyway (inactive)
              </button>
            </>
          )
          : (
            <button type="submit" class="primary" name="_action" value="save">
              {mode === "create" ? "Save server" : "Save changes"}
            </button>
          )}
      </div>
    </Form>
  );
}
