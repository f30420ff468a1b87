/**
 * @module python_sandbox over a real MCP client/server pair (in-memory transport): the SDK
 * client must accept the tool listing and validate the structured content against outputSchema.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/server/index"
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { testSettings } from "../../server/settings.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { SandboxManager } from "../../sandbox/runner.ts";
import { handleSandboxCall, PYTHON_SANDBOX_TOOL } from "../../sandbox/tool.ts";
import { LocalKernelBackend, pythonHas } from "./local_backend.ts";

const HAS_PYTHON = await pythonHas([]);

Deno.test({
  name: "Sandbox tool - an MCP client lists and calls python_sandbox",
  ignore: !HAS_PYTHON,
  async fn() {
    if (!Deno.env.get("LOG")) setLogSink(() => {});
    const backend = new LocalKernelBackend();
    const manager = new SandboxManager({
      backend,
      settings: testSettings(),
      ensureImage: () => Promise.resolve("img"),
    });
    const server = new Server({ name: "t", version: "0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [PYTHON_SANDBOX_TOOL] }));
    server.setRequestHandler(
      CallToolRequestSchema,
      (req) => handleSandboxCall(manager, "s1", req.params.arguments ?? {}),
    );
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "c", version: "0" });
    await Promise.all([server.connect(a), client.connect(b)]);
    try {
      const { tools } = await client.listTools();
      assert.equal(tools[0].name, "python_sandbox");
      const ok = await client.callTool({
        name: "python_sandbox",
        arguments: { code: "x = 2\nx ** 10" },
      });
      assert.equal(ok.isError, false);
      assert.equal((ok.structuredContent as { result: string }).result, "1024");
      const err = await client.callTool({ name: "python_sandbox", arguments: { code: "x.nope" } });
      assert.equal(err.isError, true);
      assert.equal(
        (err.structuredContent as { error: { type: string } }).error.type,
        "AttributeError",
      );
      const bad = await client.callTool({ name: "python_sandbox", arguments: { nope: 1 } });
      assert.equal(bad.isError, true);
    } finally {
      await client.close();
      await server.close();
      await manager.shutdown();
      await backend.dispose();
    }
  },
});
