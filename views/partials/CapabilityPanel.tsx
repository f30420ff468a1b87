/**
 * @module Capability panel: the content of the current capability tab of a server page —
 * the tool catalog with Try-it, resources, prompts, or the history of calls.
 */
import type { ServerRecord } from "../../server/schemas/server.ts";
import type { CallView } from "../types.ts";
import type { CapabilityTab } from "./CapabilityTabs.tsx";
import { ToolCatalog, type ToolCatalogProps } from "./ToolCatalog.tsx";
import { ResourcesPanel, type ResourcesPanelProps } from "./ResourcesPanel.tsx";
import { PromptsPanel, type PromptsPanelProps } from "./PromptsPanel.tsx";
import { HistoryPanel } from "./HistoryPanel.tsx";

/** Props of {@linkcode CapabilityPanel}. */
export interface CapabilityPanelProps {
  server: ServerRecord;
  tab: CapabilityTab;
  tryIt?: ToolCatalogProps["tryIt"];
  read?: ResourcesPanelProps["read"];
  get?: PromptsPanelProps["get"];
  history?: CallView[];
}

/** The current tab's content. */
export function CapabilityPanel(props: CapabilityPanelProps) {
  const { server, tab } = props;
  const id = encodeURIComponent(server.id);
  switch (tab) {
    case "resources":
      return <ResourcesPanel server={server} read={props.read} />;
    case "prompts":
      return <PromptsPanel server={server} get={props.get} />;
    case "history":
      return <HistoryPanel calls={props.history ?? []} />;
    default:
      return (
        <div
          id="tool-catalog"
          hx-get={`/servers/${id}/tools`}
          hx-trigger="tools-changed from:body"
          hx-swap="innerHTML"
        >
          <ToolCatalog server={server} tryIt={props.tryIt} />
        </div>
      );
  }
}

/** How many items each tab holds. */
export function capabilityCounts(
  server: ServerRecord,
  history: number,
): Partial<Record<CapabilityTab, number>> {
  const caps = server.capabilities;
  return {
    tools: caps?.tools.length,
    resources: caps ? caps.resources.length + caps.resource_templates.length : undefined,
    prompts: caps?.prompts.length,
    history,
  };
}
