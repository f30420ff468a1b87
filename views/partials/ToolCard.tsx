/**
 * @module Tool card: one tool of a server — description, input schema and a Try-it form
 * generated from the schema; results render in place (htmx) or in the page (no JS).
 */
import type { CallView, FieldErrors, ToolResultView } from "../types.ts";
import { ToolResult } from "./ToolResult.tsx";
import { CallPanel } from "./CallPanel.tsx";
import { Form } from "../components/Form.tsx";
import { SchemaFields } from "../components/SchemaFields.tsx";

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
  /** A result shown without a call (the call was refused). */
  result?: ToolResultView;
  /** The last call (no-JS re-render). */
  call?: CallView;
  open?: boolean;
}

/** The Try-it form of one tool. */
export function TryItForm(
  { serverId, tool, index, values = {}, errors = {}, oob }: ToolCardProps & { oob?: boolean },
) {
  const action = `/servers/${encodeURIComponent(serverId)}/tools/${
    encodeURIComponent(tool.name)
  }/call`;
  const hasFields = Object.keys(
    (tool.inputSchema.properties ?? {}) as Record<string, unknown>,
  ).length > 0;
  const id = (name: string) => `t${index}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <Form
      method="post"
      action={action}
      class="try-it"
      id={`try-form-${index}`}
      hx-post={action}
      hx-target={`#tool-result-${index}`}
      hx-swap="innerHTML"
      hx-disabled-elt="find button[type='submit']"
      hx-swap-oob={oob ? "true" : undefined}
    >
      {errors._form ? <p class="error" role="alert">{errors._form}</p> : null}
      {!hasFields ? <p class="muted small">This tool takes no arguments.</p> : null}
      <SchemaFields
        schema={tool.inputSchema}
        idPrefix={`t${index}`}
        values={values}
        errors={errors}
      />
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
  const { tool, index, result, call, open } = props;
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
        {call ? <CallPanel call={call} /> : result ? <ToolResult result={result} /> : null}
      </div>
    </details>
  );
}
