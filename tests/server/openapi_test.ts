/**
 * The OpenAPI document served at /api/openapi.json is a valid OpenAPI 3.1 document (checked
 * against the official schema by an independent validator) and describes every route.
 */
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { tmpRouter } from "../helpers.ts";

Deno.test("OpenAPI - the served document validates as OpenAPI 3.1", async () => {
  await using r = await tmpRouter();
  const app = r.app;
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
});
