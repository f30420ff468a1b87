/**
 * @module python_sandbox tool tests: definition shape and SandboxResult → CallToolResult.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import { CallToolResultSchema, ToolSchema } from "@modelcontextprotocol/sdk/types.js";
import { PYTHON_SANDBOX_TOOL, summarize, toCallToolResult } from "../../sandbox/tool.ts";
import type { SandboxResult } from "../../sandbox/schemas.ts";

function result(overrides: Partial<SandboxResult> = {}): SandboxResult {
  return {
    stdout: "hello\n",
    stderr: "",
    result: "42",
    error: null,
    figures: [],
    files_out: [],
    elapsed_ms: 12,
    exit_status: "ok",
    stdout_truncated: false,
    stderr_truncated: false,
    figures_dropped: 0,
    timed_out: false,
    state_lost: false,
    notes: [],
    ...overrides,
  };
}

Deno.test("Sandbox tool - the definition is a valid MCP tool", () => {
  const parsed = ToolSchema.parse(PYTHON_SANDBOX_TOOL);
  assert.equal(parsed.name, "python_sandbox");
  assert.deepEqual(parsed.inputSchema.required, ["code"]);
  assert.ok(parsed.outputSchema);
});

Deno.test("Sandbox tool - a successful result becomes text plus structured content", () => {
  const out = CallToolResultSchema.parse(toCallToolResult(result()));
  assert.equal(out.isError, false);
  assert.equal(out.content.length, 1);
  const text = out.content[0];
  assert.ok(text.type === "text");
  assert.match(text.text, /\[ok\] 12 ms/);
  assert.match(text.text, /--- stdout ---\nhello/);
  assert.match(text.text, /--- result ---\n42/);
  assert.deepEqual(out.structuredContent?.result, "42");
  assert.equal(out.structuredContent?.figures, 0);
  assert.equal(out.structuredContent?.exit_status, "ok");
});

Deno.test("Sandbox tool - figures become images and out files embedded resources", () => {
  const csv = btoa("a,b\n1,2\n");
  const out = CallToolResultSchema.parse(toCallToolResult(result({
    figures: ["iVBORw0KGgo=", "iVBORw0KGgo="],
    files_out: [
      { name: "r.csv", path: "/work/out/r.csv", size: 8, mime_type: "text/csv", data: csv },
      {
        name: "b.bin",
        path: "/work/out/b.bin",
        size: 2,
        mime_type: "application/octet-stream",
        data: "AAE=",
      },
      {
        name: "big",
        path: "/work/out/big",
        size: 9e6,
        mime_type: "application/octet-stream",
        data: null,
        skipped: "too large",
      },
    ],
  })));
  const images = out.content.filter((c) => c.type === "image");
  assert.equal(images.length, 2);
  assert.ok(images.every((c) => c.type === "image" && c.mimeType === "image/png"));
  const resources = out.content.filter((c) => c.type === "resource");
  assert.equal(resources.length, 2);
  const [text, blob] = resources;
  assert.ok(text.type === "resource" && "text" in text.resource);
  assert.equal(text.resource.text, "a,b\n1,2\n");
  assert.equal(text.resource.uri, "file:///work/out/r.csv");
  assert.ok(blob.type === "resource" && "blob" in blob.resource);
  assert.equal(out.structuredContent?.figures, 2);
  assert.match(summarize(result({ files_out: [] })), /^\[ok\]/);
});

Deno.test("Sandbox tool - errors and timeouts set isError", () => {
  const err = toCallToolResult(result({
    result: null,
    exit_status: "error",
    error: {
      type: "NameError",
      message: "name 'x' is not defined",
      traceback: "Traceback …\nNameError: name 'x' is not defined\n",
    },
  }));
  assert.equal(err.isError, true);
  assert.match(JSON.stringify(err.content), /NameError/);
  const timeout = toCallToolResult(result({
    exit_status: "timeout",
    timed_out: true,
    state_lost: true,
    error: { type: "TimeoutError", message: "killed", traceback: "" },
    notes: ["state was lost"],
  }));
  assert.equal(timeout.isError, true);
  assert.match(JSON.stringify(timeout.content), /\[TIMEOUT\]/);
  assert.equal(timeout.structuredContent?.state_lost, true);
});
