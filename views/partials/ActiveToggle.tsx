/**
 * @module Active toggle: a one-button form that flips whether a server is exposed; htmx swaps
 * it in place, without JavaScript it posts and redirects back.
 */
import { Form } from "../components/Form.tsx";

/** The toggle for one server. */
export function ActiveToggle(
  { id, name, active, redirect = "/" }: {
    id: string;
    name: string;
    active: boolean;
    redirect?: string;
  },
) {
  const action = `/servers/${encodeURIComponent(id)}/active`;
  return (
    <Form
      method="post"
      action={action}
      class="toggle-form"
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      <input type="hidden" name="redirect" value={redirect} />
      <button
        type="submit"
        class={`toggle ${active ? "on" : "off"}`}
        role="switch"
        aria-checked={active ? "true" : "false"}
        aria-label={`${name} active`}
        title={active
          ? "Active: exposed to clients. Click to deactivate."
          : "Inactive. Click to activate."}
      >
        <span class="toggle-track" aria-hidden="true">
          <span class="toggle-knob"></span>
        </span>
        <span class="toggle-text">{active ? "On" : "Off"}</span>
      </button>
    </Form>
  );
}
