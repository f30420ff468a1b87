import assert from "node:assert/strict";
import {
  Client,
  InMemoryTransport,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer as V1McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { serveConformanceHttp } from "../../../fixtures/conformance/http.ts";
import { CapabilitiesSchema } from "../../../../server/schemas/server.ts";
import { snapshotCapabilities } from "../../../../server/mcp/capabilities.ts";
import {
  downstreamClientOptions,
  refusesInitialize,
  STDIO_PROBE_TIMEOUT_MS,
} from "../../../../server/mcp/downstream/era.ts";
import { ProtocolError, UnsupportedProtocolVersionError } from "@modelcontextprotocol/client";

const cached = (era?: "modern" | "legacy") =>
  CapabilitiesSchema.parse({ fetched_at: "x", ...(era ? { protocol_era: era } : {}) });

Deno.test("era - a remembered 2025 server gets a plain initialize; others are probed once", () => {
  assert.equal(downstreamClientOptions(cached("legacy"), "stdio").versionNegotiation, undefined);
  assert.deepEqual(downstreamClientOptions(null, "stdio").versionNegotiation, {
    mode: "auto",
    probe: { timeoutMs: STDIO_PROBE_TIMEOUT_MS },
  });
  assert.deepEqual(downstreamClientOptions(cached("modern"), "http").versionNegotiation, {
    mode: "auto",
  });
  assert.deepEqual(downstreamClientOptions(cached(), "http").versionNegotiation, { mode: "auto" });
  // A known 2026 stdio server is waited for: no short window that would fall back to initialize.
  assert.deepEqual(downstreamClientOptions(cached("modern"), "stdio").versionNegotiation, {
    mode: "auto",
  });
});

Deno.test("era - an initialize refused by a 2026-only server is recognised, wrapped or not", () => {
  const refusal = new UnsupportedProtocolVersionError(
    { supported: ["2026-07-28"], requested: "2025-11-25" },
    "connection is serving the 2026-07-28 protocol; the initialize handshake is not accepted",
  );
  assert.equal(refusesInitialize(refusal), true);
  assert.equal(refusesInitialize(new Error("start failed", { cause: refusal })), true);
  // The same code from a server that also speaks a 2025 version is a plain version mismatch.
  const both = new ProtocolError(-32022, "unsupported", {
    supported: ["2025-06-18", "2026-07-28"],
  });
  assert.equal(refusesInitialize(both), false);
  assert.equal(refusesInitialize(new ProtocolError(-32601, "Method not found")), false);
  assert.equal(refusesInitialize(new Error("timed out")), false);
  assert.equal(refusesInitialize(undefined), false);
});

async function snapshotVia(connect: (client: Client) => Promise<void>) {
  const client = new Client(
    { name: "router", version: "1" },
    downstreamClientOptions(null, "http"),
  );
  await connect(client);
  try {
    return await snapshotCapabilities(client);
  } finally {
    await client.close();
  }
}

Deno.test("era - the probe's verdict lands in the capabilities snapshot", async () => {
  const fixture = await serveConformanceHttp({ port: 0 });
  try {
    const v2 = await snapshotVia((c) =>
      c.connect(new StreamableHTTPClientTransport(new URL(fixture.url)))
    );
    assert.equal(v2.protocol_era, "modern");
    assert.equal(v2.protocol_version, "2026-07-28");
  } finally {
    await fixture.shutdown();
  }
  const old = new V1McpServer({ name: "old", version: "1" });
  old.registerTool("t", { description: "t" }, () => ({ content: [] }));
  const v1 = await snapshotVia(async (c) => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([old.connect(a), c.connect(b)]);
  });
  assert.equal(v1.protocol_era, "legacy");
  assert.equal(v1.protocol_version, "2025-11-25");
});
