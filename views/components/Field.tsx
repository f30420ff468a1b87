/**
 * @module Form controls, each with its `<label>`, optional hint and inline error.
 */
import type { ComponentChildren } from "preact";

interface BaseProps {
  /** Visible label. */
  label: string;
  /** Form field name (also the id, unless `id` is given). */
  name: string;
  id?: string;
  hint?: ComponentChildren;
  error?: string;
  required?: boolean;
  class?: string;
}

function cls(...names: (string | false | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}

function idOf(p: BaseProps): string {
  return p.id ?? `f-${p.name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

function Describe({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string }) {
  return (
    <>
      {hint ? <span class="hint" id={`${id}-hint`}>{hint}</span> : null}
      {error ? <span class="error" id={`${id}-error`}>{error}</span> : null}
    </>
  );
}

function describedBy(id: string, p: BaseProps): string | undefined {
  const ids = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function LabelText({ label, required }: { label: string; required?: boolean }) {
  return (
    <span class="label-text">
      {label}
      {required ? <abbr class="req" title="required">*</abbr> : null}
    </span>
  );
}

/** The wrapper every labelled control shares: label, the control, hint and error. */
function FieldShell(p: BaseProps & { id: string; children: ComponentChildren }) {
  return (
    <div class={cls("field", p.class, !!p.error && "has-error")}>
      <label for={p.id}>
        <LabelText label={p.label} required={p.required} />
      </label>
      {p.children}
      <Describe id={p.id} hint={p.hint} error={p.error} />
    </div>
  );
}

/** The ARIA attributes of a control: invalid when it has an error, described by hint and error. */
function aria(id: string, p: BaseProps) {
  return {
    "aria-invalid": p.error ? "true" as const : undefined,
    "aria-describedby": describedBy(id, p),
  };
}

/** A text-like `<input>` (text, url, number, password). */
export function TextField(
  p: BaseProps & {
    value?: string;
    type?: string;
    placeholder?: string;
    autocomplete?: string;
    inputmode?: string;
    step?: string;
  },
) {
  const id = idOf(p);
  return (
    <FieldShell {...p} id={id}>
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.value ?? ""}
        placeholder={p.placeholder}
        required={p.required}
        autocomplete={p.autocomplete}
        inputMode={p.inputmode as "text" | undefined}
        step={p.step}
        {...aria(id, p)}
      />
    </FieldShell>
  );
}

/** A `<textarea>`. */
export function TextArea(p: BaseProps & { value?: string; rows?: number; mono?: boolean }) {
  const id = idOf(p);
  return (
    <FieldShell {...p} id={id}>
      <textarea
        id={id}
        name={p.name}
        rows={p.rows ?? 3}
        class={p.mono ? "mono" : undefined}
        required={p.required}
        {...aria(id, p)}
      >
        {p.value ?? ""}
      </textarea>
    </FieldShell>
  );
}

/** A `<select>`; `options` are values or `[value, label]` pairs. */
export function Select(
  p: BaseProps & { value?: string; options: (string | [string, string])[] },
) {
  const id = idOf(p);
  return (
    <FieldShell {...p} id={id}>
      <select id={id} name={p.name} required={p.required} {...aria(id, p)}>
        {p.options.map((o) => {
          const [value, label] = typeof o === "string" ? [o, o] : o;
          return <option key={value} value={value} selected={value === p.value}>{label}</option>;
        })}
      </select>
    </FieldShell>
  );
}

/** A checkbox with its label after it. */
export function Checkbox(p: BaseProps & { checked?: boolean; value?: string }) {
  const id = idOf(p);
  return (
    <div class={cls("field check", p.class, !!p.error && "has-error")}>
      <input
        id={id}
        type="checkbox"
        name={p.name}
        value={p.value ?? "on"}
        checked={p.checked}
        aria-describedby={describedBy(id, p)}
      />
      <label for={id}>
        <LabelText label={p.label} required={p.required} />
      </label>
      <Describe id={id} hint={p.hint} error={p.error} />
    </div>
  );
}
