/**
 * @module Alert box for errors, warnings and notices.
 */
import type { ComponentChildren } from "preact";

/** A message box; `kind` sets colour and ARIA role. */
export function Alert(
  { kind = "info", title, children, id }: {
    kind?: "info" | "ok" | "warn" | "error";
    title?: string;
    children?: ComponentChildren;
    id?: string;
  },
) {
  return (
    <div class={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"} id={id}>
      {title ? <strong class="alert-title">{title}</strong> : null}
      {children ? <div class="alert-body">{children}</div> : null}
    </div>
  );
}
