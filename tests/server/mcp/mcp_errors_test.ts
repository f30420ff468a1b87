import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import {
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
} from "@modelcontextprotocol/client";
import {
  toMcpError,
  toolError,
  toolFailure,
  withoutSdkPrefix,
} from "../../../server/mcp/mcp_errors.ts";
import { uiErrorMessage } from "../../../server/pages/ui_errors.ts";
import { DownstreamError } from "../../../server/mcp/downstream/errors.ts";

Deno.test("mcp errors - a failed tool call is a tool error the model reads", () => {
  const capacity = new DownstreamError("container limit reached (16 running)", {
    kind: "capacity",
  });
  assert.deepEqual(toolFailure(capacity, "echo"), {
    content: [{ type: "text", text: "container limit reached (16 running)" }],
    isError: true,
  });
  assert.deepEqual(toolFailure(new Error("fetch failed", { cause: new Error("dns") }), "x"), {
    content: [{ type: "text", text: "fetch failed: dns" }],
    isError: true,
  });
});

Deno.test("mcp errors - a timeout names the server; other protocol errors are rethrown", () => {
  const timeout = new McpError(ErrorCode.RequestTimeout, "Request timed out");
  const result = toolFailure(timeout, "slow");
  assert.equal(result.isError, true);
  assert.match(JSON.stringify(result.content), /slow: MCP error -32001: Request timed out/);
  // A v1 McpError's message carries the SDK's prefix: passed on with the same code, without it
  // (the client adds its own: one prefix, not two).
  const invalid = new McpError(ErrorCode.InvalidParams, "bad arguments");
  assert.throws(
    () => toolFailure(invalid, "echo"),
    (e: unknown) =>
      (e as McpError).code === ErrorCode.InvalidParams && (e as Error).message === "bad arguments",
  );
});

Deno.test("mcp errors - v2 SDK errors: a timeout names the server; protocol errors are rethrown", () => {
  const timeout = new SdkError(SdkErrorCode.RequestTimeout, "Request timed out");
  assert.match(JSON.stringify(toolFailure(timeout, "slow").content), /slow: Request timed out/);
  const invalid = new ProtocolError(ProtocolErrorCode.InvalidParams, "bad arguments");
  assert.throws(() => toolFailure(invalid, "echo"), (e: unknown) => e === invalid);
  assert.equal(toMcpError(invalid), invalid);
});

Deno.test("mcp errors - a failed forwarded request is a protocol error", () => {
  const invalid = new McpError(ErrorCode.InvalidParams, "Unknown prompt", { name: "x" });
  const passed = toMcpError(invalid) as ProtocolError;
  assert.equal(passed.code, ErrorCode.InvalidParams);
  assert.equal(passed.message, "Unknown prompt");
  assert.deepEqual(passed.data, { name: "x" });
  const mapped = toMcpError(
    new DownstreamError("echo: session ended while starting", {
      kind: "closed",
    }),
  );
  assert.ok(mapped instanceof ProtocolError);
  assert.equal(mapped.code, ErrorCode.InternalError);
  assert.match(mapped.message, /echo: session ended while starting/);
});

Deno.test("mcp errors - toolError carries structured content when given", () => {
  assert.deepEqual(toolError("nope", { reason: "x" }), {
    content: [{ type: "text", text: "nope" }],
    isError: true,
    structuredContent: { reason: "x" },
  });
});

Deno.test("mcp errors - the admin UI says a protocol error's code and prefix once", () => {
  assert.equal(
    withoutSdkPrefix("MCP error -32601: MCP error -32601: Method not found"),
    "Method not found",
  );
  const doubled = new ProtocolError(
    ProtocolErrorCode.MethodNotFound,
    "MCP error -32601: Method not found",
  );
  assert.equal(uiErrorMessage(doubled), "MCP error -32601: Method not found");
  assert.equal(uiErrorMessage(new Error("plain")), "plain");
});
