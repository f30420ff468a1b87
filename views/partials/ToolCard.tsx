/**
 * @module Tool card: one tool of a server — description, input schema and a Try-it form
 * generated from the schema; results render in place (htmx) or in the page (no JS).
 */
import type { FieldErrors, ToolResultView } from "../types.ts";
import { toolFields } from "../tool_fields.ts";
import { ToolResult } from "./ToolResult.tsx";
import { Form } from "../components/Form.tsx";

/** A tool as cached in a server's capabilities. */
export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** Props of {@linkcode ToolCard}. */
export interface ToolCardProps {
  serverId: string;
  tool: ToolInfo;
  index: number;
  /** Values typed last time (no-JS re-render). */
  values?: Record<string, string>;
  errors?: FieldErrors;
  result?: ToolResultView;
  open?: boolean;
}

/** The Try-it form of one tool. */
export function TryItForm({ serverId, tool, index, values = {}, errors = {} }: ToolCardProps) {
  const action = `/servers/${encodeURIComponent(serverId)}/tools/${
    encodeURIComponent(tool.name)
  }/call`;
  const fields = toolFields(tool.inputSchema);
  const id = (name: string) => `t${index}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <Form
      method="post"
      action={action}
      class="try-it"
      hx-post={action}
      hx-target={`#tool-result-${index}`}
      hx-swap="innerHTML"
      novalidate
    >
      {errors._form ? <p class="error">{errors._form}</p> : null}
      {fields.length === 0 ? <p class="muted small">This tool takes no arguments.</p> : null}
      {fields.map((f) => {
        const n = `arg.${f.name}`;
        const value = values[n] ?? f.defaultText ?? "";
        const err = errors[n];
        const label = (
          <label for={id(f.name)}>
            <span class="label-text">
              <code>{f.name}</code>
              {f.required ? <abbr class="req" title="required">*</abbr> : null}
              <span class="muted small">{f.kind === "json" ? "JSON" : f.kind}</span>
            </span>
          </label>
        );
        const hint = f.description
          ? <span class="hint" id={`${id(f.name)}-hint`}>{f.description}</span>
          : null;
        const errNode = err ? <span class="error">{err}</span> : null;
        const common = {
          id: id(f.name),
          name: n,
          "aria-describedby": f.description ? `${id(f.name)}-hint` : undefined,
          "aria-invalid": err ? true : undefined,
        };
        if (f.kind === "boolean") {
          const checked = n in values ? values[n] === "on" : f.defaultText === "true";
          return (
            <div class={err ? "field check has-error" : "field check"}>
              <input type="checkbox" value="on" checked={checked} {...common} />
              {label}
              {hint}
              {errNode}
            </div>
          );
        }
        return (
          <div class={err ? "field has-error" : "field"}>
            {label}
            {f.kind === "enum"
              ? (
                <select {...common}>
                  {!f.required ? <option value="">(not set)</option> : null}
                  {f.choices!.map((c, ci) => (
                    <option value={String(ci)} selected={value === c.label || value === String(ci)}>
                      {c.label}
                    </option>
                  ))}
                </select>
              )
              : f.kind === "json" || f.multiline
              ? (
                <textarea rows={f.kind === "json" ? 4 : 3} class="mono" {...common}>
                  {value}
                </textarea>
              )
              : (
                <input
                  type={f.kind === "string" ? "text" : "number"}
                  step={f.kind === "integer" ? "1" : f.kind === "number" ? "any" : undefined}
                  value={value}
                  autocomplete="off"
                  {...common}
                />
              )}
            {hint}
            {errNode}
          </div>
        );
      })}
      <details class="raw-json">
        <summary>Raw JSON arguments</summary>
        <div class="field">
          <label for={id("_json")}>Arguments as a JSON object (overrides the fields above)</label>
          <textarea id={id("_json")} name="_json" rows={4} class="mono">
            {values._json ?? ""}
          </textarea>
        </div>
      </details>
      <div class="form-actions">
        <button type="submit" class="primary">
          Run <code>{tool.name}</code>
        </button>
        <span role="status">
          <span class="busy muted small">running…</span>
        </span>
      </div>
    </Form>
  );
}

/** One tool: description, schema, Try-it form and result slot. */
export function ToolCard(props: ToolCardProps) {
  const { tool, index, result, open } = props;
  return (
    <details class="tool card" id={`tool-${index}`} open={open} data-tool={tool.name}>
      <summary>
        <code class="tool-name">{tool.name}</code>
        {tool.title && tool.title !== tool.name
          ? <span class="muted tool-title">{tool.title}</span>
          : null}
      </summary>
      {tool.description ? <p class="pre-wrap tool-desc">{tool.description}</p> : null}
      <details class="schema">
        <summary>Input schema</summary>
        <pre class="json">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
      </details>
      <h4>Try it</h4>
      <TryItForm {...props} />
      <div id={`tool-result-${index}`} class="tool-result-slot" aria-live="polite">
        {result ? <ToolResult result={result} /> : null}
      </div>
    </details>
  );
}
