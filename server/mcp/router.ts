/**
 * @module The router as an MCP server: one SDK `Server` per upstream client session, exposing
 * the catalog (servers as tools, or flattened tools), forwarding calls, resources, prompts and
 * completions to downstream servers started in this session, and relaying their notifications.
 */
// @ts-types="@modelcontextprotocol/sdk/server/index"
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { VERSION } from "../version.ts";
import type { ServerRecord } from "../schemas/server.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import type { Catalog } from "./catalog.ts";
import type {
  ListKind,
  RouterContext,
  UpstreamSession,
  UpstreamSessionOptions,
} from "./contracts.ts";
import { toolError } from "./mcp_errors.ts";
import { unwrapUri } from "./names.ts";
import { SessionLink } from "./session_link.ts";

const logger = createLogger("mcp.router");

/**
 * Create the SDK server for one upstream client session.
 * @param ctx shared services
 * @param options session id, exposure mode, actor
 */
export function createUpstreamSession(
  ctx: RouterContext,
  options: UpstreamSessionOptions,
): UpstreamSession {
  const server = new Server(
    { name: "mcp-router", title: "MCP Router", version: VERSION },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        prompts: { listChanged: true },
        completions: {},
        logging: {},
      },
      instructions:
        "MCP Router: each tool is an MCP server the user added (plus python_sandbox). Call a server's tool without `tool` to load it and see its tools, then call it with `tool` and `arguments`.",
    },
  );
  const link = new SessionLink(ctx, server, options);

  const catalog = (): Promise<Catalog> => ctx.catalog(options.expose);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await catalog()).tools.map((t) => t.tool),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    if (ctx.toolLimiter && !ctx.toolLimiter.take(options.actor)) {
      return toolError(
        `Rate limit: more than ${ctx.settings.toolCallsPerMinute} tool calls per minute for this key; retry shortly.`,
      );
    }
    const cat = await catalog();
    const exposed = cat.toolByName.get(name);
    if (!exposed) {
      return toolError(
        `Unknown tool '${name}'. Valid tools: ${[...cat.toolByName.keys()].join(", ") || "(none)"}`,
      );
    }
    const target = exposed.target;
    if (target.kind === "builtin") {
      const builtin = ctx.builtins.find((b) => b.tool.name === target.name)!;
      return await link.audited(
        target.name,
        target.name,
        () => builtin.call(options.sessionId, args, extra),
      );
    }
    if (target.kind === "tool") {
      return await link.audited(
        target.server.name,
        target.tool,
        () =>
          link.callTool(
            target.server,
            { tool: target.tool, args, meta: request.params._meta },
            extra,
          ),
      );
    }
    const tool = typeof args.tool === "string" && args.tool !== "" ? args.tool : null;
    if (
      args.arguments !== undefined &&
      (typeof args.arguments !== "object" || args.arguments === null ||
        Array.isArray(args.arguments))
    ) {
      return toolError("`arguments` must be an object");
    }
    if (!tool) {
      return await link.audited(target.server.name, "(load)", () => link.load(target.server));
    }
    return await link.audited(target.server.name, tool, () =>
      link.callTool(
        target.server,
        {
          tool,
          args: (args.arguments ?? {}) as Record<string, unknown>,
          meta: request.params._meta,
        },
        extra,
        { checkKnown: true },
      ));
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: (await catalog()).resources,
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: (await catalog()).resourceTemplates,
  }));

  const resolveUri = async (uri: string): Promise<{ server: ServerRecord; uri: string }> => {
    const cat = await catalog();
    const wrapped = unwrapUri(uri);
    if (wrapped) {
      const target = cat.serverByName.get(wrapped.server);
      if (target && target.namespace !== "none") return { server: target, uri: wrapped.uri };
    }
    const plain = [...cat.serverByName.values()].filter((s) => s.namespace === "none");
    const owner = plain.find((s) => (s.capabilities?.resources ?? []).some((r) => r.uri === uri)) ??
      plain[0];
    if (!owner) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
    return { server: owner, uri };
  };

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const target = await resolveUri(request.params.uri);
    return await link.request(
      target.server,
      extra,
      (client, opts) => client.readResource({ ...request.params, uri: target.uri }, opts),
    );
  });
  server.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
    const target = await resolveUri(request.params.uri);
    await link.request(
      target.server,
      extra,
      (client, opts) => client.subscribeResource({ uri: target.uri }, opts),
    );
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (request, extra) => {
    const target = await resolveUri(request.params.uri);
    await link.request(
      target.server,
      extra,
      (client, opts) => client.unsubscribeResource({ uri: target.uri }, opts),
    );
    return {};
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: (await catalog()).prompts.map((p) => p.prompt),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
    const exposed = (await catalog()).promptByName.get(request.params.name);
    if (!exposed) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    }
    return await link.request(
      exposed.server,
      extra,
      (client, opts) => client.getPrompt({ ...request.params, name: exposed.original }, opts),
    );
  });

  server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
    const ref = request.params.ref;
    const cat = await catalog();
    if (ref.type === "ref/prompt") {
      const exposed = cat.promptByName.get(ref.name);
      if (!exposed) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
      return await link.request(
        exposed.server,
        extra,
        (client, opts) =>
          client.complete({ ...request.params, ref: { ...ref, name: exposed.original } }, opts),
      );
    }
    const target = await resolveUri(ref.uri);
    return await link.request(
      target.server,
      extra,
      (client, opts) =>
        client.complete({ ...request.params, ref: { ...ref, uri: target.uri } }, opts),
    );
  });

  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    await link.setLogLevel(request.params.level);
    return {};
  });

  let closed = false;
  const session: UpstreamSession = {
    sessionId: options.sessionId,
    server,
    toolsChanged() {
      session.listsChanged(["tools"]);
    },
    listsChanged(lists: readonly ListKind[]) {
      if (closed) return;
      if (lists.includes("tools")) server.sendToolListChanged().catch(() => {});
      if (lists.includes("resources")) server.sendResourceListChanged().catch(() => {});
      if (lists.includes("prompts")) server.sendPromptListChanged().catch(() => {});
    },
    async close() {
      if (closed) return;
      closed = true;
      await link.close().catch((error) => logger.warn("session close failed", { error }));
    },
  };
  return session;
}
