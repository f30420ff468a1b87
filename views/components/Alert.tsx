/**
 * @module Alert box for errors, warnings and notices.
 */
import type { ComponentChildren } from "preact";

/**
 * A message box; `kind` sets colour and ARIA role. `focus`: the box takes focus when the page
 * loads (an error summary after a failed save), so keyboard and screen-reader users land on it.
 */
export function Alert(
  { kind = "info", title, children, id, focus }: {
    kind?: "info" | "ok" | "warn" | "error";
    title?: string;
    children?: ComponentChildren;
    id?: string;
    focus?: boolean;
  },
) {
  return (
    <div
      class={`alert alert-${kind}`}
      role={kind === "error" ? "alert" : "status"}
      id={id}
      tabindex={focus ? -1 : undefined}
      autofocus={focus || undefined}
      data-autofocus={focus ? "" : undefined}
    >
      {title ? <strong class="alert-title">{title}</strong> : null}
      {children ? <div class="alert-body">{children}</div> : null}
    </div>
  );
}
