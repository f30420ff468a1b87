/**
 * @module Plan form: every launch field of a server plus the env-var table. Used to review an
 * analyzed plan (create) and to edit a stored server (edit, with an optimistic `version`).
 */
import type { FieldErrors, PlanFormValues } from "../types.ts";
import { Select, TextArea, TextField } from "../components/Field.tsx";
import { Alert } from "../components/Alert.tsx";
import { EnvRow } from "./EnvRow.tsx";
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

/** Plan fields that are one text value (not the env or mount tables). */
type PlainField = Exclude<keyof PlanFormValues, "env" | "mounts">;

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
  /** A one-item-per-line field: its error, or the first error of one of its items. */
  const bindList = (name: "args" | "install" | "headers") => ({
    ...bind(name),
    error: errors[name] ?? firstIndexed(errors, name),
  });
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Form method="post" action={action} class="plan-form" novalidate>
      {errors._form
        ? <Alert kind="error" title="Not saved">{errors._form}</Alert>
        : hasErrors
        ? <Alert kind="error" title="Not saved">Please fix the fields marked below.</Alert>
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
        <div class="grid grid-4">
          <Select
            label="Runtime"
            {...bind("runtime")}
            options={["npx", "uvx", "image", "source", "remote"]}
          />
          <Select
            label="Transport"
            {...bind("transport")}
            options={["stdio", "http", "sse"]}
          />
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
        <div class="grid">
          <TextField
            label="Package"
            {...bind("package")}
            hint="npm / PyPI spec installed into the image"
          />
          <TextField
            label="Image"
            {...bind("image")}
            hint="for the image runtime"
          />
        </div>
        <TextField
          label="Command"
          {...bind("command")}
          class="mono-input"
        />
        <TextArea
          label="Arguments"
          {...bindList("args")}
          rows={4}
          mono
          hint="one argument per line"
        />
        <TextArea
          label="Install steps"
          {...bindList("install")}
          rows={2}
          mono
          hint="shell commands run once at image build (source runtime), one per line"
        />
        <div class="grid grid-3">
          <TextField
            label="URL"
            {...bind("url")}
            type="url"
            hint="remote servers"
          />
          <TextField
            label="Port"
            {...bind("port")}
            inputmode="numeric"
            hint="container port (http/sse)"
          />
          <TextField
            label="Path"
            {...bind("path")}
            hint="/mcp or /sse"
          />
        </div>
        <TextArea
          label="Request headers"
          {...bindList("headers")}
          rows={2}
          mono
          hint="remote servers: one 'Name: value' per line; ${VAR} is filled from env values (keep secrets there)"
        />
      </fieldset>
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
          Bind-mounted into the container (no devices, no set-uid). The host folder must lie inside
          MCP_ROUTER_MOUNT_ROOTS; put the container path in the arguments where the server expects
          it. The container's user reads what the host lets others read; read-write mounts can write
          only where the host lets others write.
        </p>
      </fieldset>
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

function firstIndexed(errors: FieldErrors, field: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(`${field}.`));
  return key ? errors[key] : undefined;
}
