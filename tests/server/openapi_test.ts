/**
 * The OpenAPI document served at /api/openapi.json is a valid OpenAPI 3.1 document (checked
 * against the official schema by an independent validator) and describes every route.
 */
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { openServices } from "../../server/wiring.ts";
import { createRouterApp } from "../../server/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { quietLogs, withTmpDir } from "../helpers.ts";

Deno.test("OpenAPI - the served document validates as OpenAPI 3.1", async () => {
  quietLogs();
  await using tmp = await withTmpDir();
  const settings = loadSettings({ HOME: tmp.path }, {
    dataDir: tmp.path,
    podmanSocket: `${tmp.path}/none.sock`,
  });
  const services = await openServices(settings);
  const app = createRouterApp(services);
  try {
    const doc = await (await app.request("/api/openapi.json")).json();
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(doc.openapi, "3.1.0");
    const operations = Object.values(doc.paths as Record<string, Record<string, unknown>>)
      .reduce((n, ops) => n + Object.keys(ops).length, 0);
    assert.ok(operations >= 13, `${operations} operations`);
    for (
      const [path, ops] of Object.entries(
        doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>,
      )
    ) {
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(Object.keys(op.responses).length > 0, `${method} ${path} documents responses`);
      }
    }
  } finally {
    await app.closeSessions();
    await services.close();
  }
});
