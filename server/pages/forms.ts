/**
 * @module Admin UI form handling: plan ⇄ form values, zod issues → per-field messages, and
 * Try-it form → tool arguments. Shape conversion only; validation stays in `PlanSchema`.
 */
import { checkAgainstSchema } from "./schema_check.ts";
import type { ServerRecord } from "../schemas/server.ts";
import {
  emptyEnvRow,
  emptyMountRow,
  type EnvRowValues,
  type FieldErrors,
  type MountRowValues,
  type PlanFormValues,
} from "../../views/types.ts";
import { toolFields } from "../../views/tool_fields.ts";
import { argFieldRows, argFieldsInput, parseArgFieldRows } from "./arg_field_form.ts";

/** Anything plan-shaped (an analyzer plan, a stored record). */
export type PlanLike = Partial<Omit<ServerRecord, "source">> & Record<string, unknown>;

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/** The form values that show `plan`. */
export function planToFormValues(plan: PlanLike): PlanFormValues {
  return {
    name: str(plan.name),
    display_name: str(plan.display_name),
    description: str(plan.description),
    runtime: str(plan.runtime) || "npx",
    package: str(plan.package),
    image: str(plan.image),
    install: (plan.install ?? []).join("\n"),
    command: str(plan.command),
    args: (plan.args ?? []).join("\n"),
    transport: str(plan.transport) || "stdio",
    url: str(plan.url),
    headers: Object.entries((plan.headers ?? {}) as Record<string, string>)
      .map(([k, v]) => `${k}: ${v}`).join("\n"),
    port: str(plan.port),
    path: str(plan.path),
    lifecycle: str(plan.lifecycle) || "session",
    namespace: str(plan.namespace) || "prefix",
    network: str(plan.network) || "egress",
    env: (plan.env ?? []).map((e) => ({
      key: e.key,
      description: e.description ?? "",
      required: e.required ?? false,
      secret: e.secret ?? false,
      default: e.default ?? "",
      value: "",
      sealed: "",
    })),
    mounts: (plan.mounts ?? []).map((m) => ({
      source: m.source,
      target: m.target,
      readonly: m.readonly ?? true,
    })),
    ...optional("arg_fields", argFieldRows(plan.arg_fields)),
  };
}

/** `{[name]: rows}` when there are rows, else nothing (the form shows no such section). */
function optional<K extends string, T>(name: K, rows: T[] | undefined): { [k in K]?: T[] } {
  return rows?.length ? { [name]: rows } as { [k in K]: T[] } : {};
}

/** A submitted plan form: values in document order plus the button that was pressed. */
export interface ParsedPlanForm {
  values: PlanFormValues;
  /**
   * `save` (default), `add_env`, `remove_env` (a row was dropped), or `rows` (a mount row was
   * added or dropped): anything but `save` re-renders the form without saving.
   */
  action: string;
  /** Hidden fields. */
  version?: string;
  job?: string;
}

/** Read a submitted plan form. Env rows are `env.<row>.<field>`, kept in document order. */
export function parsePlanForm(form: FormData): ParsedPlanForm {
  const get = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const rows = new Map<string, EnvRowValues>();
  for (const [name, value] of form.entries()) {
    const m = /^env\.([A-Za-z0-9_-]{1,40})\.(key|description|required|secret|default|value|sealed)$/
      .exec(
        name,
      );
    if (!m || typeof value !== "string") continue;
    const row = rows.get(m[1]) ?? emptyEnvRow();
    rows.set(m[1], row);
    if (m[2] === "required" || m[2] === "secret") row[m[2]] = value === "on";
    else row[m[2] as "key" | "description" | "default" | "value" | "sealed"] = value;
  }
  let action = get("_action") || "save";
  const env: EnvRowValues[] = [];
  for (const [id, row] of rows) {
    if (action === `remove_env:${id}`) continue;
    env.push(row);
  }
  if (action.startsWith("remove_env:")) action = "remove_env";
  const mounts = mountRows(form, action);
  if (action === "add_mount" || action.startsWith("remove_mount:")) action = "rows";
  const values: PlanFormValues = {
    name: get("name").trim(),
    display_name: get("display_name").trim(),
    description: get("description").trim(),
    runtime: get("runtime"),
    package: get("package").trim(),
    image: get("image").trim(),
    install: get("install"),
    command: get("command").trim(),
    args: get("args"),
    transport: get("transport"),
    url: get("url").trim(),
    headers: get("headers"),
    port: get("port").trim(),
    path: get("path").trim(),
    lifecycle: get("lifecycle"),
    namespace: get("namespace"),
    network: get("network") || undefined,
    env,
    mounts,
    ...optional("arg_fields", parseArgFieldRows(form)),
  };
  return {
    values,
    action,
    version: get("version") || undefined,
    job: get("job") || undefined,
  };
}

/**
 * Mount rows `mount.<row>.source|target|readonly` in document order (`add_mount` adds one);
 * undefined when the form has no mount fields (the plan's mounts are then left as they are).
 */
function mountRows(form: FormData, action: string): MountRowValues[] | undefined {
  const rows = new Map<string, MountRowValues>();
  for (const [name, value] of form.entries()) {
    const m = /^mount\.([A-Za-z0-9_-]{1,40})\.(source|target|readonly)$/.exec(name);
    if (!m || typeof value !== "string") continue;
    const row = rows.get(m[1]) ?? { ...emptyMountRow(), readonly: false };
    rows.set(m[1], row);
    if (m[2] === "readonly") row.readonly = value === "on";
    else row[m[2] as "source" | "target"] = value;
  }
  if (rows.size === 0 && action !== "add_mount") return undefined;
  const out = [...rows].filter(([id]) => action !== `remove_mount:${id}`).map(([, row]) => row);
  if (action === "add_mount") out.push(emptyMountRow());
  return out;
}

/** Whether a mount row is blank (ignored on save). */
export function blankMountRow(row: MountRowValues): boolean {
  return !row.source.trim() && !row.target.trim();
}

/** `Name: value` lines → a header record (a line without `:` keeps its text as the name, so
 * validation reports it). */
function headerLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const i = line.indexOf(":");
    if (i < 0) out[line] = "";
    else out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
}

/** Whether an env row is blank (ignored on save). */
export function blankRow(row: EnvRowValues): boolean {
  return !row.key.trim() && !row.description.trim() && !row.default && !row.value;
}

/**
 * The plan fields a form describes, as `PlanSchema` input (not validated here).
 * Blank env rows are dropped; empty optional strings become null.
 */
export function formToPlanInput(values: PlanFormValues): Record<string, unknown> {
  const nullable = (v: string) => (v === "" ? null : v);
  const port = values.port === ""
    ? null
    : /^\d+$/.test(values.port)
    ? Number(values.port)
    : values.port;
  return {
    name: values.name,
    display_name: values.display_name,
    description: values.description,
    runtime: values.runtime,
    package: nullable(values.package),
    image: nullable(values.image),
    install: lines(values.install),
    command: nullable(values.command),
    args: lines(values.args),
    transport: values.transport,
    url: nullable(values.url),
    headers: headerLines(values.headers),
    port,
    path: nullable(values.path),
    lifecycle: values.lifecycle,
    namespace: values.namespace,
    ...(values.network ? { network: values.network } : {}),
    env: values.env.filter((r) => !blankRow(r)).map((r) => ({
      key: r.key.trim(),
      description: r.description.trim(),
      required: r.required,
      secret: r.secret,
      ...(r.default !== "" ? { default: r.default } : {}),
    })),
    ...(values.mounts
      ? {
        mounts: values.mounts.filter((r) => !blankMountRow(r)).map((r) => ({
          source: r.source.trim(),
          target: r.target.trim(),
          readonly: r.readonly,
        })),
      }
      : {}),
    ...(values.arg_fields ? { arg_fields: argFieldsInput(values.arg_fields) } : {}),
  };
}

/** The non-blank env rows, in the order `formToPlanInput` keeps them. */
export function keptRows(values: PlanFormValues): EnvRowValues[] {
  return values.env.filter((r) => !blankRow(r));
}

/**
 * Per-field messages from zod issues (`env.1.key`, `port`…). Env indexes refer to kept rows;
 * they are mapped back to form rows so messages land on the right row.
 */
export function issuesToErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  values?: PlanFormValues,
): FieldErrors {
  const errors: FieldErrors = {};
  const rowIndex: number[] = [];
  values?.env.forEach((r, i) => {
    if (!blankRow(r)) rowIndex.push(i);
  });
  const mountIndex: number[] = [];
  values?.mounts?.forEach((r, i) => {
    if (!blankMountRow(r)) mountIndex.push(i);
  });
  for (const issue of issues) {
    const path = [...issue.path].map(String);
    if (path[0] === "env" && path.length > 1 && values) {
      path[1] = String(rowIndex[Number(path[1])] ?? path[1]);
    }
    if (path[0] === "mounts" && path.length > 1 && values) {
      path[1] = String(mountIndex[Number(path[1])] ?? path[1]);
    }
    const key = path.length ? path.join(".") : "_form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/**
 * Per-field messages of a refused save whose `details` name fields (a refused mount:
 * `mounts.0.source`), mapped to form rows like schema issues.
 * @param error what the check threw
 * @param values the submitted form
 * @returns the messages, or null when the error does not name fields
 */
export function refusalToErrors(error: unknown, values: PlanFormValues): FieldErrors | null {
  const details = (error as { details?: unknown })?.details;
  if (!Array.isArray(details)) return null;
  const issues = details.flatMap((d) =>
    typeof d?.path === "string" && typeof d?.message === "string"
      ? [{ path: d.path.split("."), message: d.message as string }]
      : []
  );
  return issues.length ? issuesToErrors(issues, values) : null;
}

/** A parsed Try-it form. */
export interface ToolArgs {
  args: Record<string, unknown>;
  /** What was typed (to re-render the form). */
  values: Record<string, string>;
  errors: FieldErrors;
}

/**
 * Turn a Try-it form into tool arguments using the tool's input schema.
 * @param inputSchema the tool's `inputSchema`
 * @param form the submitted form
 */
export function parseToolArgs(inputSchema: Record<string, unknown>, form: FormData): ToolArgs {
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
  const errors: FieldErrors = {};
  const raw = (values._json ?? "").trim();
  if (raw) {
    try {
      const parsed = JSON.parse(raw);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        errors._form = "raw JSON arguments must be an object";
        return { args: {}, values, errors };
      }
      const args = parsed as Record<string, unknown>;
      return { args, values, errors: checkAgainstSchema(inputSchema, args) };
    } catch (e) {
      errors._form = `raw JSON arguments: ${(e as Error).message}`;
      return { args: {}, values, errors };
    }
  }
  const args: Record<string, unknown> = {};
  for (const f of toolFields(inputSchema)) {
    const name = `arg.${f.name}`;
    const text = values[name] ?? "";
    if (f.kind === "boolean") {
      args[f.name] = text === "on";
      continue;
    }
    if (f.kind === "multi") {
      const picked = form.getAll(name).filter((v): v is string => typeof v === "string");
      values[name] = picked.join(",");
      const chosen = picked.map((i) => f.choices?.[Number(i)]).filter((c) => c !== undefined);
      if (chosen.length || f.required) args[f.name] = chosen.map((c) => c.value);
      continue;
    }
    if (text.trim() === "") {
      if (f.required) errors[name] = "required";
      continue;
    }
    switch (f.kind) {
      case "string":
        args[f.name] = text;
        break;
      case "number":
      case "integer": {
        const n = Number(text);
        if (!Number.isFinite(n) || (f.kind === "integer" && !Number.isInteger(n))) {
          errors[name] = `must be ${f.kind === "integer" ? "an integer" : "a number"}`;
        } else args[f.name] = n;
        break;
      }
      case "enum": {
        const choice = f.choices?.[Number(text)] ?? f.choices?.find((c) => c.label === text);
        if (!choice) errors[name] = "pick one of the options";
        else args[f.name] = choice.value;
        break;
      }
      default:
        try {
          args[f.name] = JSON.parse(text);
        } catch (e) {
          errors[name] = `invalid JSON: ${(e as Error).message}`;
        }
    }
  }
  // Then what the schema says beyond types (enums, ranges, formats, nested shapes).
  const checked = Object.keys(errors).length ? {} : checkAgainstSchema(inputSchema, args);
  return { args, values, errors: { ...checked, ...errors } };
}
