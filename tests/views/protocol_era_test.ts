/** The server page shows the protocol era and revision the server spoke at its last load. */
import assert from "node:assert/strict";
import { renderDocument } from "../../views/render.ts";
import { ServerPage } from "../../views/pages/ServerPage.tsx";
import { planToFormValues } from "../../server/pages/forms.ts";
import { ServerRecordSchema } from "../../server/schemas/server.ts";
import type { RuntimeStatus } from "../../server/composition/contracts.ts";
import type { VersionedServer } from "../../server/schemas/records.ts";

const runtime: RuntimeStatus = {
  ok: true,
  reason: null,
  version: "5.0",
  limits: "cgroup v2",
  limitsInForce: [],
  images: {},
  installHint: null,
};

function server(capabilities: Record<string, unknown> | null): VersionedServer {
  const record = ServerRecordSchema.parse({
    id: "srv-era",
    name: "era",
    display_name: "Era",
    description: "",
    source: { kind: "remote", ref: "http://127.0.0.1:9/mcp" },
    runtime: "remote",
    transport: "http",
    url: "http://127.0.0.1:9/mcp",
    capabilities,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  });
  return { ...record, version: "v1" };
}

function protocolTag(s: VersionedServer): string {
  const html = renderDocument(
    ServerPage({ server: s, env: [], runtime, values: planToFormValues(s), logs: [] }),
    { title: "server" },
  );
  const m = /<span[^>]*id="server-protocol"[^>]*>([^<]*)<\/span>/.exec(html);
  assert.ok(m, "no #server-protocol tag on the server page");
  return m[0];
}

Deno.test("Views - server page names a modern server's revision and era", () => {
  const tag = protocolTag(server({
    protocol_era: "modern",
    protocol_version: "2026-07-28",
    fetched_at: "2026-01-01T00:00:00Z",
  }));
  assert.match(tag, />MCP 2026-07-28 \(modern\)</);
  assert.match(tag, /title="modern era: MCP 2026-07-28 or later/);
});

Deno.test("Views - server page names a legacy server's revision and era", () => {
  const tag = protocolTag(server({
    protocol_era: "legacy",
    protocol_version: "2025-11-25",
    fetched_at: "2026-01-01T00:00:00Z",
  }));
  assert.match(tag, />MCP 2025-11-25 \(legacy\)</);
});

Deno.test("Views - server page says the era is unknown before the first load", () => {
  assert.match(protocolTag(server(null)), />\s*era unknown\s*</);
  assert.match(
    protocolTag(server({ fetched_at: "2026-01-01T00:00:00Z" })),
    />\s*era unknown\s*</,
  );
});
