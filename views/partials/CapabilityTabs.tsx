/**
 * @module Capability tabs: Tools, Resources, Prompts and History of a server, as links (each
 * tab is its own URL, `?tab=…`, so they work without JavaScript; htmx swaps the panel in place
 * and marks the current tab).
 */

/** The tabs of the server page's capabilities section. */
export type CapabilityTab = "tools" | "resources" | "prompts" | "history";

/** Every tab, in order. */
export const CAPABILITY_TABS: readonly CapabilityTab[] = [
  "tools",
  "resources",
  "prompts",
  "history",
];

const LABEL: Record<CapabilityTab, string> = {
  tools: "Tools",
  resources: "Resources",
  prompts: "Prompts",
  history: "History",
};

/** Props of {@linkcode CapabilityTabs}. */
export interface CapabilityTabsProps {
  serverId: string;
  current: CapabilityTab;
  /** Items per tab (shown in the tab label). */
  counts: Partial<Record<CapabilityTab, number>>;
  /** Render as an out-of-band swap (after an htmx panel load). */
  oob?: boolean;
}

/** The tab links. */
export function CapabilityTabs({ serverId, current, counts, oob }: CapabilityTabsProps) {
  const id = encodeURIComponent(serverId);
  return (
    <nav
      class="tabs"
      id="capability-tabs"
      aria-label="Tools, resources, prompts and history"
      hx-swap-oob={oob ? "true" : undefined}
    >
      {CAPABILITY_TABS.map((tab) => {
        const href = `/servers/${id}?tab=${tab}#tools`;
        return (
          <a
            href={href}
            class={tab === current ? "tab current" : "tab"}
            aria-current={tab === current ? "page" : undefined}
            hx-get={`/servers/${id}/panel/${tab}`}
            hx-target="#capability-panel"
            hx-swap="innerHTML"
            hx-push-url={href}
            data-tab={tab}
          >
            {LABEL[tab]}
            {counts[tab] !== undefined ? <span class="count">{counts[tab]}</span> : null}
          </a>
        );
      })}
    </nav>
  );
}
