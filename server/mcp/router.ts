/**
 * @module The router as an MCP server: one SDK `Server` per upstream client session, exposing
 * the catalog (servers as tools, or flattened tools), forwarding calls, resources, prompts and
 * completions to downstream servers started in this session, and relaying their notifications.
 */
import { ProtocolError, ProtocolErrorCode, Server } from "@modelcontextprotocol/server";
import { VERSION } from "../version.ts";
import type { ServerRecord } from "../schemas/server.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { type Catalog, CATALOG_TTL_MS } from "./catalog.ts";
import type {
  ListKind,
  RouterContext,
  UpstreamSession,
  UpstreamSessionOptions,
} from "./contracts.ts";
import { toolError } from "./mcp_errors.ts";
import { recordToolError, ROUTER_LABEL } from "../observability/metrics.ts";
import { unwrapUri } from "./names.ts";
import { subscribeResource, unsubscribeResource } from "./resource_subscriptions.ts";
import { SessionLink } from "./session_link.ts";
import { downstreamParams, withoutRetryFields } from "./bridge/bridging.ts";
import { registerTaskMethods } from "./task_methods.ts";
import { createFastPath, rateLimited } from "./fast_path.ts";

const logger = createLogger("mcp.router");

/** The list operations whose results carry cache hints (2026-07-28). */
const LIST_METHODS = [
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
] as const;

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
        "MCP Router: each tool is an MCP server the user added (plus python_sandbox). Use find_tools to search every server's tools by what you want to do, or call a server's tool without `tool` to load it and see its tools; then call it with `tool` and `arguments`.",
      // 2026-07-28 list results: as fresh as the catalogue they come from; private, since what a
      // client may see is decided per principal.
      cacheHints: Object.fromEntries(
        LIST_METHODS.map((m) => [m, { ttlMs: CATALOG_TTL_MS, cacheScope: "private" as const }]),
      ),
    },
  );
  const link = new SessionLink(ctx, server, options);

  const catalog = (): Promise<Catalog> => ctx.catalog(options.expose);
  if (options.tasks && ctx.bridging) {
    registerTaskMethods(server, { routes: ctx.bridging.tasks, link, catalog });
  }

  server.setRequestHandler("tools/list", async () => ({
    tools: (await catalog()).tools.map((t) => t.tool),
  }));

  server.setRequestHandler("tools/call", async (request, extra) => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const refused = rateLimited(ctx, options.actor);
    if (refused) return refused;
    const cat = await catalog();
    const exposed = cat.toolByName.get(name);
    if (!exposed) {
      recordToolError(ROUTER_LABEL, "unknown_tool");
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
            { tool: target.tool, args, meta: request.params._meta, bindingName: name },
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
      recordToolError(target.server.name, "invalid_params");
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
          bindingName: `${name}\0${tool}`,
        },
        extra,
        { checkKnown: true },
      ));
  });

  server.setRequestHandler("resources/list", async () => ({
    resources: (await catalog()).resources,
  }));
  server.setRequestHandler("resources/templates/list", async () => ({
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
    if (!owner) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource: ${uri}`);
    }
    return { server: owner, uri };
  };

  server.setRequestHandler("resources/read", async (request, extra) => {
    const target = await resolveUri(request.params.uri);
    const params = withoutRetryFields(request.params);
    return await link.bridgedRequest(
      target.server,
      extra,
      { kind: "resource", method: "resources/read", name: request.params.uri },
      (client, opts, round) =>
        client.readResource(downstreamParams({ ...params, uri: target.uri }, round), opts),
    );
  });
  server.setRequestHandler("resources/subscribe", async (request, extra) => {
    const target = await resolveUri(request.params.uri);
    await link.request(
      target.server,
      extra,
      (client, opts) => subscribeResource(client, target.uri, opts),
    );
    return {};
  });
  server.setRequestHandler("resources/unsubscribe", async (request, extra) => {
    const target = await resolveUri(request.params.uri);
    await link.request(
      target.server,
      extra,
      (client, opts) => unsubscribeResource(client, target.uri, opts),
    );
    return {};
  });

  server.setRequestHandler("prompts/list", async () => ({
    prompts: (await catalog()).prompts.map((p) => p.prompt),
  }));
  server.setRequestHandler("prompts/get", async (request, extra) => {
    const exposed = (await catalog()).promptByName.get(request.params.name);
    if (!exposed) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown prompt: ${request.params.name}`,
      );
    }
    const params = withoutRetryFields(request.params);
    return await link.bridgedRequest(
      exposed.server,
      extra,
      { kind: "prompt", method: "prompts/get", name: request.params.name },
      (client, opts, round) =>
        client.getPrompt(downstreamParams({ ...params, name: exposed.original }, round), opts),
    );
  });

  server.setRequestHandler("completion/complete", async (request, extra) => {
    const ref = request.params.ref;
    const cat = await catalog();
    if (ref.type === "ref/prompt") {
      const exposed = cat.promptByName.get(ref.name);
      if (!exposed) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
      }
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

  server.setRequestHandler("logging/setLevel", async (request) => {
    await link.setLogLevel(request.params.level);
    return {};
  });

  const fast = createFastPath({ ctx, options, upstream: server, link, catalog });
  let closed = false;
  const session: UpstreamSession = {
    sessionId: options.sessionId,
    server,
    fastCall: (request, body) => closed ? Promise.resolve(null) : fast.handle(request, body),
    fastTake: (body, send) => closed ? Promise.resolve(false) : fast.take(body, send),
    fastSend: (message, relatedRequestId) => fast.send(message, relatedRequestId),
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
      if (options.keepDownstream) return;
      await link.close().catch((error) => logger.warn("session close failed", { error }));
    },
  };
  return session;
}
