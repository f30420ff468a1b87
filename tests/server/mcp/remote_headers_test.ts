/**
 * Remote servers: header templates from the plan (`${VAR}` from env values) reach the remote
 * endpoint; the analyzer turns README header blocks into such templates.
 */
import assert from "node:assert/strict";
import { serveConformanceHttp } from "../../fixtures/conformance/http.ts";
import { DownstreamPool } from "../../../server/mcp/downstream/pool.ts";
import { expandHeaders } from "../../../server/mcp/downstream/remote.ts";
import { headerTemplates } from "../../../server/analyzer/config_entries.ts";
import { ServerRecordSchema } from "../../../server/schemas/server.ts";
import { testSettings } from "../../../server/settings.ts";
import { quietLogs } from "../../helpers.ts";

Deno.test("Remote headers - templates are filled from env; unset variables drop the header", () => {
  assert.deepEqual(
    expandHeaders({ Authorization: "Bearer ${TOKEN}", "X-Team": "core" }, { TOKEN: "t0k" }),
    { Authorization: "Bearer t0k", "X-Team": "core" },
  );
  assert.deepEqual(expandHeaders({ Authorization: "Bearer ${TOKEN}" }, {}), {});
  assert.deepEqual(expandHeaders({ A: "${X}" }, { X: "a\r\nInjected: 1" }), {}, "no CR/LF");
  assert.deepEqual(
    headerTemplates({
      Authorization: "Bearer <$NEON_API_KEY>",
      "X-Key": "$API_KEY",
      "bad name": "x",
    }),
    { Authorization: "Bearer ${NEON_API_KEY}", "X-Key": "${API_KEY}" },
  );
});

Deno.test("Remote headers - the remote endpoint receives the filled Authorization header", async () => {
  quietLogs();
  const fixture = await serveConformanceHttp({ port: 0 });
  const seen: (string | null)[] = [];
  const proxy = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const auth = req.headers.get("authorization");
    seen.push(auth);
    if (auth !== "Bearer s3cret") return new Response("unauthorized", { status: 401 });
    const target = new URL(new URL(req.url).pathname, fixture.url);
    const headers = new Headers(req.headers);
    headers.delete("authorization");
    headers.set("host", target.host);
    return await fetch(target, {
      method: req.method,
      headers,
      body: req.body,
    });
  });
  const pool = new DownstreamPool({ settings: testSettings(), backend: null });
  const at = new Date().toISOString();
  const server = ServerRecordSchema.parse({
    id: "remote-1",
    name: "hosted",
    display_name: "Hosted",
    description: "",
    source: { kind: "remote", ref: "x" },
    runtime: "remote",
    transport: "http",
    url: `http://127.0.0.1:${proxy.addr.port}/mcp`,
    headers: { Authorization: "Bearer ${HOSTED_TOKEN}" },
    env: [{ key: "HOSTED_TOKEN", secret: true, required: true }],
    created_at: at,
    updated_at: at,
  });
  try {
    const tools = await pool.withEphemeral(
      server,
      { HOSTED_TOKEN: "s3cret" },
      (conn) => conn.client.listTools(),
    );
    assert.ok((tools as { tools: unknown[] }).tools.length > 0);
    assert.ok(seen.includes("Bearer s3cret"));
    await assert.rejects(pool.withEphemeral(server, {}, (conn) => conn.client.listTools()));
  } finally {
    await pool.shutdown();
    await proxy.shutdown();
    await fixture.shutdown();
  }
});
