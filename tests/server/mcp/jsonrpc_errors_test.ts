import assert from "node:assert/strict";
import { jsonRpcError, jsonRpcErrorBody } from "../../../server/mcp/jsonrpc_errors.ts";

Deno.test("JSON-RPC errors - a body names the id, code and message", () => {
  assert.deepEqual(jsonRpcErrorBody(7, -32600, "Invalid Request"), {
    jsonrpc: "2.0",
    id: 7,
    error: { code: -32600, message: "Invalid Request" },
  });
});

Deno.test("JSON-RPC errors - a response carries the status, JSON type and extra headers", async () => {
  const res = jsonRpcError(401, -32001, "Unauthorized", { "www-authenticate": "Bearer" });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal(res.headers.get("www-authenticate"), "Bearer");
  assert.deepEqual(await res.json(), {
    jsonrpc: "2.0",
    id: null,
    error: { code: -32001, message: "Unauthorized" },
  });
});
