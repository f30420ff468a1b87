/**
 * @module Schema fields: the form controls for an object schema's top-level properties (a
 * tool's input, an elicitation's requested schema) — named `arg.<property>`, required ones
 * marked and `required`, each with its hint and error.
 */
import type { FieldErrors } from "../types.ts";
import { type ToolField, toolFields } from "../tool_fields.ts";

/** Props of {@linkcode SchemaFields}. */
export interface SchemaFieldsProps {
  schema: Record<string, unknown>;
  /** Prefix of the controls' ids (unique on the page). */
  idPrefix: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

const INPUT_TYPES: Record<string, string> = {
  email: "email",
  uri: "url",
  date: "date",
};

function selected(f: ToolField, value: string, ci: number): boolean {
  const c = f.choices![ci];
  return value === String(ci) || value === c.label || value === String(c.value);
}

/** The controls of `schema`'s properties. */
export function SchemaFields({ schema, idPrefix, values = {}, errors = {} }: SchemaFieldsProps) {
  const id = (name: string) => `${idPrefix}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <>
      {toolFields(schema).map((f) => {
        const n = `arg.${f.name}`;
        const value = values[n] ?? f.defaultText ?? "";
        const err = errors[n];
        const described =
          [f.description ? `${id(f.name)}-hint` : "", err ? `${id(f.name)}-err` : ""]
            .filter(Boolean).join(" ") || undefined;
        const label = (
          <span class="label-text">
            <code>{f.name}</code>
            {f.title && f.title !== f.name ? <span>{f.title}</span> : null}
            {f.required ? <abbr class="req" title="required">*</abbr> : null}
            <span class="muted small">{f.kind === "json" ? "JSON" : f.kind}</span>
          </span>
        );
        const hint = f.description
          ? <span class="hint" id={`${id(f.name)}-hint`}>{f.description}</span>
          : null;
        const errNode = err ? <span class="error" id={`${id(f.name)}-err`}>{err}</span> : null;
        const common = {
          id: id(f.name),
          name: n,
          "aria-describedby": described,
          "aria-invalid": err ? true : undefined,
        };
        if (f.kind === "boolean") {
          const checked = n in values ? values[n] === "on" : f.defaultText === "true";
          return (
            <div class={err ? "field check has-error" : "field check"}>
              <input type="checkbox" value="on" checked={checked} {...common} />
              <label for={id(f.name)}>{label}</label>
              {hint}
              {errNode}
            </div>
          );
        }
        if (f.kind === "multi") {
          const picked = n in values
            ? values[n].split(",")
            : (JSON.parse(f.defaultText ?? "[]") as unknown[]).map((v) =>
              String(f.choices!.findIndex((c) => c.value === v))
            );
          return (
            <fieldset
              class={err ? "field multi has-error" : "field multi"}
              aria-describedby={described}
            >
              <legend>{label}</legend>
              {f.choices!.map((c, ci) => (
                <label class="check-option">
                  <input
                    type="checkbox"
                    name={n}
                    value={String(ci)}
                    checked={picked.includes(String(ci))}
                  />{" "}
                  {c.label}
                </label>
              ))}
              {hint}
              {errNode}
            </fieldset>
          );
        }
        return (
          <div class={err ? "field has-error" : "field"}>
            <label for={id(f.name)}>{label}</label>
            {f.kind === "enum"
              ? (
                <select required={f.required} {...common}>
                  {!f.required ? <option value="">(not set)</option> : null}
                  {f.choices!.map((c, ci) => (
                    <option value={String(ci)} selected={selected(f, value, ci)}>{c.label}</option>
                  ))}
                </select>
              )
              : f.kind === "json" || f.multiline
              ? (
                <textarea
                  rows={f.kind === "json" ? 4 : 3}
                  class="mono"
                  required={f.required}
                  {...common}
                >
                  {value}
                </textarea>
              )
              : (
                <input
                  type={f.kind === "string" ? INPUT_TYPES[f.format ?? ""] ?? "text" : "number"}
                  step={f.kind === "integer" ? "1" : f.kind === "number" ? "any" : undefined}
                  value={value}
                  required={f.required}
                  autocomplete="off"
                  {...common}
                />
              )}
            {hint}
            {errNode}
          </div>
        );
      })}
    </>
  );
}
