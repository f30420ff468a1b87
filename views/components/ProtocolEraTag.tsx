/**
 * @module Protocol era tag: which MCP generation a server spoke at its last load (2026-07-28
 * `modern`, stateless; 2025-era `legacy`, initialize handshake), from its capabilities cache.
 */
import type { Capabilities } from "../../server/schemas/server.ts";

const ERA_TITLE = {
  modern: "modern era: MCP 2026-07-28 or later (server/discover, stateless)",
  legacy: "legacy era: 2025-era MCP (initialize handshake, sessions)",
} as const;

/** A tag like `MCP 2026-07-28 (modern)`; "era unknown" until the server has been loaded. */
export function ProtocolEraTag({ capabilities }: { capabilities: Capabilities | null }) {
  const era = capabilities?.protocol_era;
  if (!era) {
    return (
      <span class="tag muted" id="server-protocol" title="protocol era: not probed yet">
        era unknown
      </span>
    );
  }
  const version = capabilities?.protocol_version;
  return (
    <span class="tag" id="server-protocol" title={ERA_TITLE[era]}>
      {version ? `MCP ${version} (${era})` : `${era} era`}
    </span>
  );
}
