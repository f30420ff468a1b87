/**
 * @module Prompts panel: a server's prompts (as last listed), each with a form for its
 * arguments and the messages the last get returned.
 */
import type { ServerRecord } from "../../server/schemas/server.ts";
import type { CallView, FieldErrors } from "../types.ts";
import { Form } from "../components/Form.tsx";
import { CallPanel } from "./CallPanel.tsx";

/** A prompt argument as listed. */
interface PromptArg {
  name: string;
  description?: string;
  required?: boolean;
}

/** The arguments a listed prompt declares. */
export function promptArguments(prompt: Record<string, unknown>): PromptArg[] {
  const args = Array.isArray(prompt.arguments) ? prompt.arguments : [];
  return args.filter((a) => a && typeof a === "object" && typeof a.name === "string").map((a) => ({
    name: a.name as string,
    description: typeof a.description === "string" ? a.description : undefined,
    required: a.required === true,
  }));
}

/** Props of {@linkcode PromptsPanel}. */
export interface PromptsPanelProps {
  server: ServerRecord;
  /** The last get (no-JS re-render). */
  get?: { name: string; values: Record<string, string>; errors: FieldErrors; call?: CallView };
}

/** The prompts of a server. */
export function PromptsPanel({ server, get }: PromptsPanelProps) {
  const caps = server.capabilities;
  if (!caps) return <p class="muted">Prompts are not known yet: press “Test” to list them.</p>;
  if (caps.prompts.length === 0) return <p class="muted">This server offers no prompts.</p>;
  return (
    <>
      {!server.active
        ? <p class="hint">The server is inactive: activate it to get its prompts.</p>
        : null}
      {caps.prompts.map((p, pi) => {
        const name = String(p.name ?? "");
        const mine = get?.name === name ? get : undefined;
        const action = `/servers/${encodeURIComponent(server.id)}/prompts/${
          encodeURIComponent(name)
        }/get`;
        const args = promptArguments(p);
        return (
          <details class="prompt card" data-prompt={name} open={mine !== undefined}>
            <summary>
              <code class="tool-name">{name}</code>
              {typeof p.title === "string" ? <span class="muted">{p.title}</span> : null}
            </summary>
            {typeof p.description === "string"
              ? <p class="pre-wrap tool-desc">{p.description}</p>
              : null}
            <Form
              method="post"
              action={action}
              class="try-it"
              hx-post={action}
              hx-target={`#prompt-result-${pi}`}
              hx-swap="innerHTML"
            >
              {args.length === 0
                ? <p class="muted small">This prompt takes no arguments.</p>
                : null}
              {args.map((a) => {
                const id = `p${pi}-${a.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
                const err = mine?.errors[`arg.${a.name}`];
                const describedBy = [a.description ? `${id}-hint` : "", err ? `${id}-err` : ""]
                  .filter(Boolean).join(" ") || undefined;
                return (
                  <div class={err ? "field has-error" : "field"}>
                    <label for={id}>
                      <code>{a.name}</code>
                      {a.required ? <abbr class="req" title="required">*</abbr> : null}
                    </label>
                    <input
                      id={id}
                      name={`arg.${a.name}`}
                      value={mine?.values[`arg.${a.name}`] ?? ""}
                      required={a.required}
                      autocomplete="off"
                      aria-invalid={err ? true : undefined}
                      aria-describedby={describedBy}
                    />
                    {a.description
                      ? <span class="hint" id={`${id}-hint`}>{a.description}</span>
                      : null}
                    {err ? <span class="error" id={`${id}-err`}>{err}</span> : null}
                  </div>
                );
              })}
              <div class="form-actions">
                <button type="submit" class="primary">
                  Get <code>{name}</code>
                </button>
              </div>
            </Form>
            <div id={`prompt-result-${pi}`} class="tool-result-slot" aria-live="polite">
              {mine?.call ? <CallPanel call={mine.call} /> : null}
            </div>
          </details>
        );
      })}
    </>
  );
}
