/**
 * @module View rendering: a page inside the layout, or only its body for htmx requests
 * (`HX-Request` without `HX-Boosted`), as an HTML response. The page's CSRF token is provided
 * to every `Form` of the tree and to the layout.
 */
import { renderToString } from "preact-render-to-string";
import { h, type VNode } from "preact";
import { Layout, type LayoutProps } from "./layout.tsx";
import { CsrfScope } from "./components/Form.tsx";

/** Options of {@linkcode renderPage}. */
export interface RenderPageOptions extends Omit<LayoutProps, "children"> {
  /** HTTP status (default 200). */
  status?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

const HTML = "text/html; charset=utf-8";

/** Security headers every admin page carries (scripts and styles only from this origin). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": HTML,
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; media-src 'self' data:; style-src 'self'; " +
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
    "form-action 'self'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};

/** Whether a request came from htmx and wants a fragment (boosted requests want pages). */
export function wantsFragment(request: Request): boolean {
  return request.headers.get("hx-request") === "true" &&
    request.headers.get("hx-boosted") !== "true";
}

/** Options of {@linkcode renderFragment}. */
export interface RenderFragmentOptions {
  /** HTTP status (default 200). */
  status?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** The CSRF token its forms carry (none when absent). */
  csrfToken?: string | null;
}

/** The tree with the CSRF token provided to its forms. */
function withToken(node: VNode, token: string | null | undefined): VNode {
  return h(CsrfScope, { token }, node) as VNode;
}

/**
 * Render a fragment (no layout) as an HTML response.
 * @param node the component tree
 * @param options status, headers and CSRF token
 */
export function renderFragment(node: VNode | null, options: RenderFragmentOptions = {}): Response {
  const html = node === null ? "" : renderToString(withToken(node, options.csrfToken));
  return new Response(html, {
    status: options.status ?? 200,
    headers: { ...PAGE_HEADERS, ...options.headers },
  });
}

/**
 * Render `body` inside the layout — or alone when htmx asks for a fragment.
 * @param request the incoming request (its htmx headers decide page vs fragment)
 * @param body the page body
 * @param options title, active nav item, CSRF token, status, headers
 */
export function renderPage(request: Request, body: VNode, options: RenderPageOptions): Response {
  const { status, headers, ...layout } = options;
  if (wantsFragment(request)) {
    return renderFragment(body, { status, headers, csrfToken: layout.csrfToken });
  }
  return new Response(renderDocument(body, layout), {
    status: status ?? 200,
    headers: { ...PAGE_HEADERS, ...headers },
  });
}

/** Render a whole document (layout + body) to a string — for tests and static export. */
export function renderDocument(body: VNode, layout: Omit<LayoutProps, "children">): string {
  const page = Layout({ ...layout, children: body });
  return "<!DOCTYPE html>" + renderToString(withToken(page, layout.csrfToken));
}
