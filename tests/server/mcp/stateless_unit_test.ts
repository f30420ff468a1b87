import assert from "node:assert/strict";
import {
  clientInfoOf,
  principalOf,
  STATELESS_SESSION_PREFIX,
  statelessSessionId,
} from "../../../server/mcp/stateless_unit.ts";

const body = (name?: unknown, version?: unknown) => ({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { _meta: { "io.modelcontextprotocol/clientInfo": { name, version } } },
});

Deno.test("stateless unit - principal plus client name and version", () => {
  const a = statelessSessionId("k1", body("claude", "1"));
  assert.ok(a.startsWith(STATELESS_SESSION_PREFIX));
  assert.equal(a, statelessSessionId("k1", body("claude", "1")));
  assert.notEqual(a, statelessSessionId("k2", body("claude", "1")), "keys never share");
  assert.notEqual(a, statelessSessionId("k1", body("other", "1")));
  assert.notEqual(a, statelessSessionId("k1", body("claude", "2")));
  assert.notEqual(a, statelessSessionId(null, body("claude", "1")));
});

Deno.test("stateless unit - odd or missing client info is empty, never an error", () => {
  assert.deepEqual(clientInfoOf(null), { name: "", version: "" });
  assert.deepEqual(clientInfoOf({ params: { _meta: "x" } }), { name: "", version: "" });
  assert.deepEqual(clientInfoOf(body(42, "1")), { name: "", version: "1" });
  assert.deepEqual(clientInfoOf([body("c", "1")]), { name: "c", version: "1" });
  assert.equal(principalOf(null), "local");
  assert.equal(principalOf("abc"), "key:abc");
});
