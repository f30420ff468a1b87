/**
 * @module Test harness for the 2026-client → 2025-server bridge: a v1 SDK server (2025-era) with
 * tools that ask for sampling, elicitation and roots; a v2 `Client` (legacy mode) to it whose
 * request handlers delegate to the bridged call in flight; and a 2026 endpoint (`createMcpHandler`
 * on `Deno.serve`) whose `tools/call` runs through {@link LegacyServerBridge}. The principal is the
 * `x-principal` header (standing in for the API key id).
 */
// @ts-types="@modelcontextprotocol/sdk/server/index"
import { Server as V1Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import {
  Client,
  InMemoryTransport,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import {
  CLIENT_CAPABILITIES_META_KEY,
  createMcpHandler,
  Server,
  type ServerContext,
} from "@modelcontextprotocol/server";
import {
  type DownstreamRequestHandlers,
  type JsonObject,
  LegacyServerBridge,
  type LegacyServerBridgeOptions,
} from "../../../../server/mcp/bridge/legacy_server_bridge.ts";

const text = (t: string): CallToolResult => ({ content: [{ type: "text", text: t }] });
const NAME_SCHEMA = {
  type: "object" as const,
  properties: { name: { type: "string" as const } },
  required: ["name"],
};
const SAMPLE = {
  messages: [{ role: "user" as const, content: { type: "text" as const, text: "2+2?" } }],
  maxTokens: 5,
};

/** What the downstream saw go wrong (errors its requests to the client got). */
export const downstreamErrors: string[] = [];

function legacyServer(): V1Server {
  const server = new V1Server({ name: "legacy-down", version: "1.0.0" }, {
    capabilities: { tools: {} },
  });
  const names = ["sample", "two_rounds", "both", "roots", "elicit_or_fail", "plain"];
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: names.map((name) => ({ name, inputSchema: { type: "object" as const } })),
  }));
  const sampleText = async () => {
    const r = await server.createMessage(SAMPLE);
    return r.content.type === "text" ? r.content.text : "?";
  };
  const elicitName = async () => {
    const r = await server.elicitInput({ message: "Your name?", requestedSchema: NAME_SCHEMA });
    return `${r.action}:${r.content?.name ?? ""}`;
  };
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    switch (req.params.name) {
      case "plain":
        return text("plain result");
      case "sample":
        return text(`sampled ${await sampleText()}`);
      case "two_rounds": {
        const who = await elicitName();
        return text(`${who} then ${await sampleText()}`);
      }
      case "both": {
        const [s, e] = await Promise.all([sampleText(), elicitName()]);
        return text(`both ${s} ${e}`);
      }
      case "roots": {
        const r = await server.listRoots();
        return text(`roots ${r.roots.map((x) => x.uri).join(",")}`);
      }
      case "elicit_or_fail":
        try {
          return text(await elicitName());
        } catch (e) {
          downstreamErrors.push((e as Error).message);
          return { ...text(`elicitation failed: ${(e as Error).message}`), isError: true };
        }
    }
    return { ...text("unknown tool"), isError: true };
  });
  return server;
}

/** A running harness; `close()` stops everything. */
export interface LegacyHarness {
  url: URL;
  bridge: LegacyServerBridge;
  close(): Promise<void>;
}

/** Start the downstream, the router-side bridge, and the 2026 endpoint. */
export async function startLegacyHarness(
  options: LegacyServerBridgeOptions = {},
): Promise<LegacyHarness> {
  const bridge = new LegacyServerBridge({ gatherMs: 30, ...options });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const down = legacyServer();
  const client = new Client({ name: "router-down", version: "0" }, {
    capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} },
  });
  // The router's relay: a downstream request goes to the bridged call in flight on this connection.
  let active: DownstreamRequestHandlers | undefined;
  const delegate =
    (method: "sampling/createMessage" | "elicitation/create" | "roots/list") =>
    (req: { params?: unknown }, ctx: { mcpReq: { signal: AbortSignal } }) => {
      if (!active) throw new Error("no call in flight");
      return active.handle(method, req.params as JsonObject, ctx.mcpReq.signal) as never;
    };
  client.setRequestHandler("sampling/createMessage", delegate("sampling/createMessage"));
  client.setRequestHandler("elicitation/create", delegate("elicitation/create"));
  client.setRequestHandler("roots/list", delegate("roots/list"));
  await Promise.all([down.connect(a as never), client.connect(b)]);

  const factory = () => {
    const server = new Server({ name: "router", version: "0" }, { capabilities: { tools: {} } });
    server.setRequestHandler("tools/list", () => client.listTools());
    server.setRequestHandler("tools/call", async (req, ctx: ServerContext) => {
      const principal = ctx.http?.authInfo?.clientId ?? "local";
      const binding = { principal, method: "tools/call", name: req.params.name };
      const requestState = ctx.mcpReq.requestState();
      if (requestState !== undefined) {
        return await bridge.resume({
          binding,
          requestState,
          inputResponses: ctx.mcpReq.inputResponses,
          signal: ctx.mcpReq.signal,
        }) as never;
      }
      const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
      return await bridge.start({
        binding,
        clientCapabilities: envelope?.[CLIENT_CAPABILITIES_META_KEY] as never,
        signal: ctx.mcpReq.signal,
        run: async ({ handlers, signal }) => {
          active = handlers;
          return await client.callTool(
            { name: req.params.name, arguments: req.params.arguments },
            { signal, timeout: 30_000 },
          ) as JsonObject;
        },
      }) as never;
    });
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: "reject" });
  const http = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req) =>
      handler.fetch(req, {
        authInfo: { token: "t", clientId: req.headers.get("x-principal") ?? "local", scopes: [] },
      }),
  );
  const url = new URL(`http://127.0.0.1:${http.addr.port}/mcp`);
  return {
    url,
    bridge,
    async close() {
      bridge.close();
      await client.close();
      await handler.close();
      await http.shutdown();
    },
  };
}

/** Answers a 2026 test client gives, and what it was asked. */
export interface Answers {
  asked: string[];
}

/**
 * A 2026 client (pinned 2026-07-28) for `principal`. With `auto`, its own handlers fulfil
 * input_required rounds (sampling → "4", elicitation → name "Ada", roots → file:///w).
 */
export async function modernClient(
  url: URL,
  principal: string,
  auto: boolean,
  capabilities: Record<string, unknown> = { sampling: {}, elicitation: { form: {} }, roots: {} },
): Promise<{ client: Client; answers: Answers }> {
  const answers: Answers = { asked: [] };
  const client = new Client({ name: `c-${principal}`, version: "0" }, {
    capabilities,
    versionNegotiation: { mode: { pin: "2026-07-28" } },
    ...(auto ? {} : { inputRequired: { autoFulfill: false } }),
  });
  if (capabilities.sampling) {
    client.setRequestHandler("sampling/createMessage", () => {
      answers.asked.push("sampling");
      return { model: "m", role: "assistant", content: { type: "text", text: "4" } };
    });
  }
  if (capabilities.elicitation) {
    client.setRequestHandler("elicitation/create", () => {
      answers.asked.push("elicitation");
      return { action: "accept", content: { name: "Ada" } };
    });
  }
  if (capabilities.roots) {
    client.setRequestHandler("roots/list", () => {
      answers.asked.push("roots");
      return { roots: [{ uri: "file:///w" }] };
    });
  }
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { "x-principal": principal } },
    }),
  );
  return { client, answers };
}

/** A raw tools/call round (manual mode): first call or retry. */
export function callRound(
  client: Client,
  name: string,
  retry?: { inputResponses: Record<string, unknown>; requestState: unknown },
): Promise<JsonObject> {
  return client.callTool({ name, arguments: {}, ...retry } as never, {
    allowInputRequired: true,
  }) as Promise<JsonObject>;
}

/** The text of a tool result's first content block. */
export function firstText(result: JsonObject): string {
  const content = result.content as { type: string; text?: string }[] | undefined;
  return content?.[0]?.text ?? "";
}
