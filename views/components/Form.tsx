/**
 * @module Form: a `<form>` that carries the page's CSRF token as its hidden `_csrf` field. The
 * token comes from {@linkcode CsrfToken}, which the renderer provides around every page and
 * fragment, so a form nested at any depth carries it without prop drilling.
 */
import { type ComponentChildren, createContext, type JSX } from "preact";
import { useContext } from "preact/hooks";

/** The CSRF token of the page being rendered (null where the request needs none). */
export const CsrfToken = createContext<string | null>(null);

/** Provide `token` to every {@linkcode Form} below. */
export function CsrfScope(
  { token, children }: { token?: string | null; children?: ComponentChildren },
) {
  return <CsrfToken.Provider value={token ?? null}>{children}</CsrfToken.Provider>;
}

/** The hidden `_csrf` field for the token being rendered, or nothing without one. */
export function CsrfField() {
  const token = useContext(CsrfToken);
  return token ? <input type="hidden" name="_csrf" value={token} /> : null;
}

/** A `<form>` (every attribute passed through) with the CSRF field as its last child. */
export function Form({ children, ...attributes }: JSX.IntrinsicElements["form"]) {
  return (
    <form {...attributes}>
      {children}
      <CsrfField />
    </form>
  );
}
