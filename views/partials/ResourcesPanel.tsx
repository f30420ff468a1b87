/**
 * @module Resources panel: a server's resources (as last listed) with a Read button each, its
 * resource templates with a field per variable, and the last read's contents.
 */
import type { ServerRecord } from "../../server/schemas/server.ts";
import type { CallView, FieldErrors } from "../types.ts";
import { Form } from "../components/Form.tsx";
import { CallPanel } from "./CallPanel.tsx";

/** Most resources listed (a server may list thousands). */
const MAX_LISTED = 200;

/** The variable names of an RFC 6570 URI template (`{a}`, `{+b}`, `{?c,d}`). */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(/\{[+#./;?&=,!@|]?([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.replace(/\*$/, "").replace(/:\d+$/, "").trim();
      if (name && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Props of {@linkcode ResourcesPanel}. */
export interface ResourcesPanelProps {
  server: ServerRecord;
  /** The last read (no-JS re-render). */
  read?: {
    call?: CallView;
    template?: string;
    values?: Record<string, string>;
    errors?: FieldErrors;
  };
}

/** The resources and templates of a server. */
export function ResourcesPanel({ server, read }: ResourcesPanelProps) {
  const caps = server.capabilities;
  if (!caps) {
    return <p class="muted">Resources are not known yet: press “Test” to list them.</p>;
  }
  const action = `/servers/${encodeURIComponent(server.id)}/resources/read`;
  const target = {
    "hx-post": action,
    "hx-target": "#resource-result",
    "hx-swap": "innerHTML show:#resource-result:top",
  };
  const resources = caps.resources.slice(0, MAX_LISTED);
  return (
    <>
      {!server.active
        ? <p class="hint">The server is inactive: activate it to read its resources.</p>
        : null}
      <h3>Resources</h3>
      {caps.resources.length === 0
        ? <p class="muted small">This server lists no resources.</p>
        : (
          <ul class="resource-list">
            {resources.map((r) => {
              const uri = String(r.uri ?? "");
              return (
                <li class="resource-item">
                  <Form method="post" action={action} class="inline-form" {...target}>
                    <input type="hidden" name="uri" value={uri} />
                    <button type="submit" aria-label={`Read ${str(r.name) ?? uri}`}>Read</button>
                  </Form>
                  <span>
                    <strong>{str(r.title) ?? str(r.name) ?? uri}</strong>{" "}
                    <code class="break">{uri}</code>
                    {str(r.mimeType) ? <span class="muted small">{str(r.mimeType)}</span> : null}
                    {str(r.description) ? <span class="hint">{str(r.description)}</span> : null}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      {caps.resources.length > MAX_LISTED
        ? <p class="muted small">…and {caps.resources.length - MAX_LISTED} more.</p>
        : null}
      <h3>Resource templates</h3>
      {caps.resource_templates.length === 0
        ? <p class="muted small">This server lists no resource templates.</p>
        : caps.resource_templates.map((t, ti) => {
          const template = String(t.uriTemplate ?? "");
          const mine = read?.template === template ? read : undefined;
          return (
            <Form method="post" action={action} class="template-form card" {...target}>
              <p>
                <strong>{str(t.title) ?? str(t.name) ?? template}</strong>{" "}
                <code class="break">{template}</code>
                {str(t.description) ? <span class="hint">{str(t.description)}</span> : null}
              </p>
              <input type="hidden" name="template" value={template} />
              {templateVariables(template).map((v) => {
                const id = `tpl${ti}-${v.replace(/[^A-Za-z0-9_-]/g, "_")}`;
                const err = mine?.errors?.[`arg.${v}`];
                return (
                  <div class={err ? "field has-error" : "field"}>
                    <label for={id}>
                      <code>{v}</code>
                      <abbr class="req" title="required">*</abbr>
                    </label>
                    <input
                      id={id}
                      name={`arg.${v}`}
                      value={mine?.values?.[`arg.${v}`] ?? ""}
                      required
                      autocomplete="off"
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `${id}-err` : undefined}
                    />
                    {err ? <span class="error" id={`${id}-err`}>{err}</span> : null}
                  </div>
                );
              })}
              <div class="form-actions">
                <button type="submit">Read</button>
              </div>
            </Form>
          );
        })}
      <div id="resource-result" class="tool-result-slot" aria-live="polite">
        {read?.call ? <CallPanel call={read.call} /> : null}
      </div>
    </>
  );
}
