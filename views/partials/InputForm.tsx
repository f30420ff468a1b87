/**
 * @module Input form: answering what a server asks while a Try-it call runs — an elicitation
 * (a form generated from its requested schema: submit, decline or cancel) or a sampling request
 * (the messages shown; type the model's reply, or decline).
 */
import type { CallView, InputView } from "../types.ts";
import { Form } from "../components/Form.tsx";
import { SchemaFields } from "../components/SchemaFields.tsx";

/** The answer form of the request `input` that call `call` waits on. */
export function InputForm({ call, input }: { call: CallView; input: InputView }) {
  const action = `/servers/${encodeURIComponent(call.serverId)}/calls/${
    encodeURIComponent(call.id)
  }/answer`;
  const idPrefix = `in-${input.key.slice(0, 8)}`;
  const errors = input.errors ?? {};
  return (
    <Form
      method="post"
      action={action}
      class={`input-form input-${input.kind}`}
      hx-post={action}
      hx-target={`#call-${call.id}`}
      hx-swap="outerHTML"
      aria-labelledby={`${idPrefix}-title`}
    >
      <input type="hidden" name="key" value={input.key} />
      {input.kind === "elicitation"
        ? (
          <>
            <h5 id={`${idPrefix}-title`}>The server asks for input (elicitation)</h5>
            <p class="pre-wrap elicitation-message">{input.message}</p>
            {errors._form ? <p class="error" role="alert">{errors._form}</p> : null}
            <SchemaFields
              schema={input.schema}
              idPrefix={idPrefix}
              values={input.values}
              errors={errors}
            />
            <div class="form-actions">
              <button type="submit" class="primary" name="action" value="accept">Submit</button>
              <button type="submit" name="action" value="decline" formnovalidate>Decline</button>
              <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
            </div>
          </>
        )
        : (
          <>
            <h5 id={`${idPrefix}-title`}>The server asks for a model reply (sampling)</h5>
            {input.systemPrompt
              ? (
                <p class="small">
                  System prompt: <span class="pre-wrap">{input.systemPrompt}</span>
                </p>
              )
              : null}
            <ol class="sampling-messages">
              {input.messages.map((m) => (
                <li>
                  <span class="tag">{m.role}</span> <span class="pre-wrap">{m.text}</span>
                </li>
              ))}
            </ol>
            {input.maxTokens !== undefined
              ? <p class="small muted">At most {input.maxTokens} tokens asked for.</p>
              : null}
            <div class={errors.reply ? "field has-error" : "field"}>
              <label for={`${idPrefix}-reply`}>Your reply (sent back as the model's answer)</label>
              <textarea
                id={`${idPrefix}-reply`}
                name="reply"
                rows={3}
                required
                aria-invalid={errors.reply ? true : undefined}
                aria-describedby={errors.reply ? `${idPrefix}-reply-err` : undefined}
              >
                {input.values?.reply ?? ""}
              </textarea>
              {errors.reply
                ? <span class="error" id={`${idPrefix}-reply-err`}>{errors.reply}</span>
                : null}
            </div>
            <div class="form-actions">
              <button type="submit" class="primary" name="action" value="accept">Send reply</button>
              <button type="submit" name="action" value="decline" formnovalidate>Decline</button>
            </div>
          </>
        )}
    </Form>
  );
}
