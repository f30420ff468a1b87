/**
 * @module Page layout: document head (hashed CSS/JS), header with navigation, main, footer; the
 * body carries the CSRF token in htmx's request headers.
 */
import type { ComponentChildren } from "preact";
import { assetUrl } from "./assets.ts";

/** Navigation sections. */
export type NavItem = "servers" | "new" | "connect" | "activity" | "grants" | null;

/** Props of {@linkcode Layout}. */
export interface LayoutProps {
  /** Page title (prefixed to "MCP Router"). */
  title: string;
  /** Highlighted navigation item. */
  nav?: NavItem;
  /** A short notice shown above the page (e.g. "Server saved"). */
  flash?: string | null;
  /** The page's CSRF token: htmx sends it as `X-CSRF-Token` (forms carry it via `Form`). */
  csrfToken?: string | null;
  children: ComponentChildren;
}

const LINKS: { id: Exclude<NavItem, null>; href: string; label: string }[] = [
  { id: "servers", href: "/", label: "Servers" },
  { id: "new", href: "/servers/new", label: "Add server" },
  { id: "connect", href: "/connect", label: "Connect" },
  { id: "activity", href: "/activity", label: "Activity" },
  { id: "grants", href: "/oauth/grants", label: "OAuth grants" },
];

const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
});

/** The HTML document around every full page. */
export function Layout({ title, nav = null, flash, csrfToken, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${title} · MCP Router`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assetUrl("css")} />
        <script src={assetUrl("htmx")} defer></script>
        <script src={assetUrl("js")} defer></script>
      </head>
      <body hx-headers={csrfToken ? JSON.stringify({ "X-CSRF-Token": csrfToken }) : undefined}>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <a class="brand" href="/">MCP Router</a>
          <nav aria-label="Main">
            <ul>
              {LINKS.map((l) => (
                <li>
                  <a href={l.href} aria-current={nav === l.id ? "page" : undefined}>{l.label}</a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {flash ? <p class="flash" role="status">{flash}</p> : null}
          {children}
        </main>
        <footer class="site">
          <span>MCP Router admin</span> · <a href="/api/openapi.json">API</a> ·{" "}
          <a href="/api/health">Health</a>
        </footer>
      </body>
    </html>
  );
}
