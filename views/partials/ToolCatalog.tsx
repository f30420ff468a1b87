/**
 * @module Tool catalog: every cached tool of a server as a {@linkcode ToolCard}.
 */
import type { ServerRecord } from "../../server/schemas/server.ts";
import type { CallView, FieldErrors, ToolResultView } from "../types.ts";
import { ToolCard } from "./ToolCard.tsx";

/** Props of {@linkcode ToolCatalog}. */
export interface ToolCatalogProps {
  server: ServerRecord;
  tryIt?: {
    tool: string;
    values: Record<string, string>;
    errors: FieldErrors;
    result?: ToolResultView;
    call?: CallView;
  };
}

/** The tools of a server, or how to get them. */
export function ToolCatalog({ server, tryIt }: ToolCatalogProps) {
  const tools = server.capabilities?.tools ?? [];
  if (!server.capabilities) {
    return (
      <p class="muted">Tools are not known yet: press “Test” to launch the server and list them.</p>
    );
  }
  if (tools.length === 0) return <p class="muted">This server offers no tools.</p>;
  const info = server.capabilities.server_info;
  return (
    <>
      {!server.active
        ? (
          <p class="hint">
            The server is inactive: activate it to try its tools through the router.
          </p>
        )
        : null}
      <p class="small muted">
        {tools.length} tool{tools.length === 1 ? "" : "s"} · listed{" "}
        {server.capabilities.fetched_at.replace("T", " ").slice(0, 16)}
        {info ? ` · reported by ${info.name}${info.version ? ` ${info.version}` : ""}` : null}
      </p>
      {server.capabilities.instructions
        ? (
          <details class="instructions">
            <summary>Instructions from the server</summary>
            <p class="pre-wrap">{server.capabilities.instructions}</p>
          </details>
        )
        : null}
      {tools.map((t, i) => {
        const mine = tryIt?.tool === t.name ? tryIt : undefined;
        return (
          <ToolCard
            serverId={server.id}
            tool={{
              name: t.name,
              title: t.title,
              description: t.description,
              inputSchema: t.inputSchema,
            }}
            index={i}
            values={mine?.values}
            errors={mine?.errors}
            result={mine?.result}
            call={mine?.call}
            open={mine !== undefined}
          />
        );
      })}
    </>
  );
}
