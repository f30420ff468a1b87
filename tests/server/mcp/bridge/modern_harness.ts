/**
 * @module Test harness for the 2025-client → 2026-server bridge: a 2026-era v2 server on
 * `Deno.serve` whose tools and prompt ask for input with `input_required`; a v2 `Client` pinned to
 * 2026-07-28 in manual mode (the router's downstream client); and a 2025 leg — a v1 SDK `Server`
 * (the router's upstream) linked in memory to a v1 `Client` (the 2025 client) — whose `tools/call`
 * and `prompts/get` run through {@link bridgeModernCall}.
 */
// @ts-types="@modelcontextprotocol/sdk/server/index"
import { Server as V1Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport as V1InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CallToolRequestSchema,
  type ClientCapabilities as V1ClientCapabilities,
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  GetPromptRequestSchema,
  ListRootsRequestSchema,
  ListRootsResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  type CallToolResult,
  createMcpHandler,
  inputRequired,
  inputResponse,
  Server,
} from "@modelcontextprotocol/server";
import { bridgeModernCall } from "../../../../server/mcp/bridge/modern_server_bridge.ts";

type JsonObject = Record<string, unknown>;
const text = (t: string): CallToolResult => ({ content: [{ type: "text", text: t }] });
const nameSchema = {
  type: "object" as const,
  properties: { name: { type: "string" as const } },
  required: ["name"],
};
const ask = {
  name: () => inputRequired.elicit({ message: "Your name?", requestedSchema: nameSchema }),
  llm: () =>
    inputRequired.createMessage({
      messages: [{ role: "user", content: { type: "text", text: "2+2?" } }],
      maxTokens: 5,
    }),
};

/** The 2026 downstream: `confirm` (1 round), `two_rounds` (3 rounds), `both` (2 keys), prompt `greet`. */
function modernServer(): Server {
  const server = new Server({ name: "modern-down", version: "1.0.0" }, {
    capabilities: { tools: {}, prompts: {} },
  });
  server.setRequestHandler("tools/list", () => ({
    tools: ["confirm", "two_rounds", "both"].map((name) => ({
      name,
      inputSchema: { type: "object" as const },
    })),
  }));
  server.setRequestHandler("tools/call", (req, ctx) => {
    const responses = ctx.mcpReq.inputResponses;
    const state = ctx.mcpReq.requestState<string>();
    const name = inputResponse(responses, "name");
    const llm = inputResponse(responses, "llm");
    const roots = inputResponse(responses, "roots");
    const who = name.kind === "elicit"
      ? `${name.action}:${(name.content as JsonObject)?.name}`
      : "";
    switch (req.params.name) {
      case "confirm":
        if (name.kind !== "elicit") return inputRequired({ inputRequests: { name: ask.name() } });
        return text(`confirmed ${who}`);
      case "two_rounds":
        if (state === undefined) {
          return inputRequired({ inputRequests: { name: ask.name() }, requestState: "r1" });
        }
        if (state === "r1" && name.kind === "elicit") {
          return inputRequired({ inputRequests: { llm: ask.llm() }, requestState: `r2|${who}` });
        }
        if (state.startsWith("r2|") && llm.kind === "sampling") {
          const c = llm.result.content as { type: string; text?: string };
          return text(`${state.slice(3)} then ${c.text}`);
        }
        return { ...text(`bad round ${state}`), isError: true };
      case "both":
        if (name.kind !== "elicit" || roots.kind !== "roots") {
          return inputRequired({
            inputRequests: { name: ask.name(), roots: inputRequired.listRoots() },
          });
        }
        return text(`both ${who} ${roots.roots.map((r) => r.uri).join(",")}`);
    }
    return { ...text("unknown tool"), isError: true };
  });
  server.setRequestHandler("prompts/list", () => ({ prompts: [{ name: "greet" }] }));
  server.setRequestHandler("prompts/get", (_req, ctx) => {
    const name = inputResponse(ctx.mcpReq.inputResponses, "name");
    if (name.kind !== "elicit") return inputRequired({ inputRequests: { name: ask.name() } });
    const who = (name.content as JsonObject)?.name;
    return { messages: [{ role: "user", content: { type: "text", text: `Greet ${who}` } }] };
  });
  return server;
}

/** A running harness: the 2025 client and what it was asked; `close()` stops everything. */
export interface ModernHarness {
  client: V1Client;
  asked: string[];
  close(): Promise<void>;
}

/** Start the 2026 downstream, the router's two legs, and a 2025 client with `capabilities`. */
export async function startModernHarness(
  capabilities: V1ClientCapabilities = { sampling: {}, elicitation: { form: {} }, roots: {} },
  maxRounds?: number,
): Promise<ModernHarness> {
  const handler = createMcpHandler(() => modernServer(), { legacy: "reject" });
  const http = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req) => handler.fetch(req),
  );
  const down = new Client({ name: "router-down", version: "0" }, {
    capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} },
    versionNegotiation: { mode: { pin: "2026-07-28" } },
    inputRequired: { autoFulfill: false },
  });
  await down.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${http.addr.port}/mcp`)),
  );

  const up = new V1Server({ name: "router", version: "0" }, {
    capabilities: { tools: {}, prompts: {} },
  });
  const askUpstream = (method: string, params: JsonObject): Promise<JsonObject> => {
    const schema = method === "sampling/createMessage"
      ? CreateMessageResultSchema
      : method === "elicitation/create"
      ? ElicitResultSchema
      : ListRootsResultSchema;
    return up.request({ method, params } as never, schema) as Promise<JsonObject>;
  };
  up.setRequestHandler(CallToolRequestSchema, (req) =>
    bridgeModernCall({
      kind: "tool",
      clientCapabilities: up.getClientCapabilities(),
      askUpstream,
      maxRounds,
      call: (retry) =>
        down.callTool(
          { name: req.params.name, arguments: req.params.arguments, ...retry } as never,
          {
            allowInputRequired: true,
          },
        ) as Promise<JsonObject>,
    }) as never);
  up.setRequestHandler(GetPromptRequestSchema, (req) =>
    bridgeModernCall({
      kind: "prompt",
      clientCapabilities: up.getClientCapabilities(),
      askUpstream,
      call: (retry) =>
        down.getPrompt({ name: req.params.name, ...retry } as never, {
          allowInputRequired: true,
        }) as Promise<JsonObject>,
    }) as never);

  const asked: string[] = [];
  const client = new V1Client({ name: "legacy-client", version: "0" }, { capabilities });
  if (capabilities.sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, () => {
      asked.push("sampling");
      return { model: "m", role: "assistant", content: { type: "text", text: "4" } };
    });
  }
  if (capabilities.elicitation) {
    client.setRequestHandler(ElicitRequestSchema, (req) => {
      asked.push(`elicitation:${req.params.mode ?? "form"}`);
      return { action: "accept", content: { name: "Ada" } };
    });
  }
  if (capabilities.roots) {
    client.setRequestHandler(ListRootsRequestSchema, () => {
      asked.push("roots");
      return { roots: [{ uri: "file:///w" }] };
    });
  }
  const [a, b] = V1InMemoryTransport.createLinkedPair();
  await Promise.all([up.connect(a), client.connect(b)]);
  return {
    client,
    asked,
    async close() {
      await client.close();
      await down.close();
      await handler.close();
      await http.shutdown();
    },
  };
}
