/**
 * @module Session link: what one upstream session does downstream — starting servers in this
 * session, forwarding calls with progress and cancellation, relaying notifications and
 * server-to-client requests (sampling, elicitation), refreshing the capabilities cache, and
 * turning failures into clear tool errors.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/server/index"
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/shared/protocol"
import type {
  RequestHandlerExtra,
  RequestOptions,
} from "@modelcontextprotocol/sdk/shared/protocol.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  type CallToolResult,
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  ErrorCode,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type ServerNotification,
  type ServerRequest,
  type Tool,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { ServerRecord } from "../schemas/server.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { capabilitiesChanged, snapshotCapabilities } from "./capabilities.ts";
import { wrapUri } from "./names.ts";
import { containerStartSeconds, recordToolCall, serverLabel } from "../observability/metrics.ts";
import type { RouterContext, UpstreamSessionOptions } from "./router.ts";
import { errorMessage } from "../errors.ts";

const logger = createLogger("mcp.session");

/** Handler context of an upstream request. */
export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The slice of a pooled downstream connection the router uses. */
export interface LinkedConnection {
  readonly client: Client;
  readonly requestOptions: RequestOptions;
  run<T>(fn: (client: Client) => Promise<T>): Promise<T>;
}

/** Access to downstream servers (implemented by the downstream pool). */
export interface DownstreamAccess {
  /** Run `fn` with a connection of `server` in `sessionId`, starting it on first use. */
  withConnection<T>(
    sessionId: string,
    server: ServerRecord,
    env: Record<string, string>,
    fn: (connection: LinkedConnection) => Promise<T>,
  ): Promise<T>;
  /** Tear down a session's containers. */
  endSession(sessionId: string): Promise<void>;
}

/** A tool the router itself implements (e.g. `python_sandbox`). */
export interface BuiltinTool {
  tool: Tool;
  call(sessionId: string, args: Record<string, unknown>, extra: Extra): Promise<CallToolResult>;
  endSession(sessionId: string): Promise<void>;
}

/** A failure worth showing to the model as a tool error (not a protocol error). */
class ToolFailure extends Error {
  override name = "ToolFailure";
}

function textResult(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: structured };
}

/** Per-session downstream state for one upstream session. */
export class SessionLink {
  readonly #configured = new WeakSet<Client>();
  readonly #liveTools = new Map<string, Tool[]>();
  readonly #activeExtra = new Map<string, Extra>();
  #logLevel: string | null = null;
  readonly #connected = new Map<string, ServerRecord>();

  /**
   * @param ctx shared router services
   * @param upstream the upstream SDK server (for notifications and server→client requests)
   * @param options session id, actor
   */
  constructor(
    private readonly ctx: RouterContext,
    private readonly upstream: Server,
    private readonly options: UpstreamSessionOptions,
  ) {}

  /** Run a tool call with timing, audit (no argument values) and failure → tool error. */
  async audited(
    serverName: string,
    tool: string,
    fn: () => Promise<CallToolResult>,
  ): Promise<CallToolResult> {
    const started = performance.now();
    let result: CallToolResult;
    try {
      result = await fn();
    } catch (error) {
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        result = {
          content: [{ type: "text", text: `${serverName}: ${error.message}` }],
          isError: true,
        };
      } else if (error instanceof McpError) throw error;
      else result = { content: [{ type: "text", text: errorMessage(error) }], isError: true };
    }
    const duration = Math.round(performance.now() - started);
    const outcome = result.isError ? "error" : "ok";
    recordToolCall({
      server: serverName,
      tool,
      known: await this.#inCatalogue(serverName, tool),
      outcome,
      seconds: duration / 1000,
    });
    await this.ctx.store.appendAudit({
      actor: this.options.actor,
      action: "tool.call",
      target: serverName,
      outcome: result.isError ? "error" : "ok",
      duration_ms: duration,
      details: { tool, session: this.options.sessionId },
    }).catch(() => {});
    return result;
  }

  /** Whether `tool` of `serverName` is one the router knows (metrics label only known names). */
  async #inCatalogue(serverName: string, tool: string): Promise<boolean> {
    if (tool === "(load)") return true;
    if (tool === serverName && this.ctx.builtins.some((b) => b.tool.name === tool)) return true;
    const connected = [...this.#connected.values()].find((s) => s.name === serverName);
    const live = connected ? this.#liveTools.get(connected.id) : undefined;
    if (live?.some((t) => t.name === tool)) return true;
    const catalog = await this.ctx.catalog?.(this.options.expose).catch(() => null);
    const cached = catalog?.serverByName.get(serverName)?.capabilities?.tools ?? [];
    return cached.some((t) => t.name === tool);
  }

  /** Load a server in this session and return its tools with input schemas. */
  async load(server: ServerRecord): Promise<CallToolResult> {
    const tools = await this.#withServer(server, undefined, (conn) => this.#tools(server, conn));
    const list = tools.map((t) => ({
      name: t.name,
      description: t.description ?? "",
      inputSchema: t.inputSchema,
    }));
    const text = `Server '${server.name}' is loaded with ${list.length} tool(s). Call it with ` +
      `{"tool": NAME, "arguments": {...}}.\n\n` +
      list.map((t) =>
        `## ${t.name}\n${t.description}\nInput schema: ${JSON.stringify(t.inputSchema)}`
      )
        .join("\n\n");
    return textResult(text, { server: server.name, tools: list });
  }

  /**
   * Call a downstream tool in this session.
   * @param options `checkKnown`: first check the tool exists (servers exposed as one tool), so an
   *   unknown name gets an error naming the valid ones
   */
  async callTool(
    server: ServerRecord,
    call: { tool: string; args: Record<string, unknown>; meta?: Record<string, unknown> },
    extra: Extra,
    options: { checkKnown?: boolean } = {},
  ): Promise<CallToolResult> {
    return await this.#withServer(server, extra, async (conn) => {
      if (options.checkKnown) {
        const tools = await this.#tools(server, conn);
        if (!tools.some((t) => t.name === call.tool)) {
          return {
            content: [{
              type: "text",
              text: `Server '${server.name}' has no tool '${call.tool}'. Valid tools: ${
                tools.map((t) => t.name).join(", ") || "(none)"
              }`,
            }],
            isError: true,
          };
        }
      }
      return await this.#forwardCall(conn, call.tool, call.args, call.meta, extra);
    });
  }

  /** Forward any other request (resources, prompts, completion) to a server in this session. */
  async request<T>(
    server: ServerRecord,
    extra: Extra,
    fn: (client: Client, options: RequestOptions) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.#withServer(
        server,
        extra,
        (conn) => fn(conn.client, { ...conn.requestOptions, signal: extra.signal }),
      );
    } catch (error) {
      if (error instanceof McpError) throw error;
      throw new McpError(ErrorCode.InternalError, errorMessage(error));
    }
  }

  /** Remember the client's log level and pass it to every server loaded in this session. */
  async setLogLevel(level: string): Promise<void> {
    this.#logLevel = level;
    await Promise.all(
      [...this.#connected.values()].map((server) =>
        this.#withServer(server, undefined, async (conn) => {
          if (conn.client.getServerCapabilities()?.logging) {
            await conn.client.setLoggingLevel(level as "info");
          }
        }).catch(() => {})
      ),
    );
  }

  /** End this session downstream. */
  async close(): Promise<void> {
    await Promise.allSettled([
      this.ctx.downstream.endSession(this.options.sessionId),
      ...this.ctx.builtins.map((b) => b.endSession(this.options.sessionId)),
    ]);
  }

  async #withServer<T>(
    server: ServerRecord,
    extra: Extra | undefined,
    fn: (conn: LinkedConnection) => Promise<T>,
  ): Promise<T> {
    const env = await this.ctx.store.getEnvValues(server.id);
    const missing = server.env.filter((s) =>
      s.required && !(s.key in env) && s.default === undefined
    ).map((s) => s.key);
    if (missing.length) {
      throw new ToolFailure(
        `Server '${server.name}' cannot start: missing required env values ${
          missing.join(", ")
        }. ` +
          `Set them in the admin UI or with \`main.ts env set ${server.name} KEY\`.`,
      );
    }
    for (const spec of server.env) {
      if (!(spec.key in env) && spec.default !== undefined) env[spec.key] = spec.default;
    }
    const asked = performance.now();
    return await this.ctx.downstream.withConnection(
      this.options.sessionId,
      server,
      env,
      async (conn) => {
        if (!this.#configured.has(conn.client)) {
          this.#configured.add(conn.client);
          containerStartSeconds.observe(
            { server: serverLabel(server.name) },
            (performance.now() - asked) / 1000,
          );
          this.#liveTools.delete(server.id);
          this.#configure(server, conn.client);
          if (this.#logLevel && conn.client.getServerCapabilities()?.logging) {
            await conn.client.setLoggingLevel(this.#logLevel as "info").catch(() => {});
          }
        }
        this.#connected.set(server.id, server);
        if (extra) this.#activeExtra.set(server.id, extra);
        try {
          return await fn(conn);
        } finally {
          if (extra && this.#activeExtra.get(server.id) === extra) {
            this.#activeExtra.delete(
              server.id,
            );
          }
        }
      },
    );
  }

  /** Live tool list of a server in this session; refreshes the stored capabilities cache. */
  async #tools(server: ServerRecord, conn: LinkedConnection): Promise<Tool[]> {
    const known = this.#liveTools.get(server.id);
    if (known) return known;
    const snapshot = await conn.run((client) => snapshotCapabilities(client, conn.requestOptions));
    this.#liveTools.set(server.id, snapshot.tools as Tool[]);
    const stored = await this.ctx.store.getCapabilities(server.id);
    if (capabilitiesChanged(stored, snapshot)) {
      await this.ctx.store.setCapabilities(server.id, snapshot);
      this.ctx.onCapabilitiesChanged?.(server.name);
    }
    return snapshot.tools as Tool[];
  }

  async #forwardCall(
    conn: LinkedConnection,
    tool: string,
    args: Record<string, unknown>,
    meta: Record<string, unknown> | undefined,
    extra: Extra,
  ): Promise<CallToolResult> {
    const progressToken = meta?.progressToken as string | number | undefined;
    const options: RequestOptions = {
      ...conn.requestOptions,
      signal: extra.signal,
      ...(progressToken !== undefined
        ? {
          resetTimeoutOnProgress: true,
          onprogress: (p: { progress: number; total?: number; message?: string }) => {
            extra.sendNotification({
              method: "notifications/progress",
              params: { ...p, progressToken },
            }).catch(() => {});
          },
        }
        : {}),
    };
    const result = await conn.run((client) =>
      client.callTool({ name: tool, arguments: args }, undefined, options)
    );
    return result as CallToolResult;
  }

  /** Relay downstream notifications and server→client requests to this upstream session. */
  #configure(server: ServerRecord, client: Client): void {
    const plain = server.namespace === "none";
    const up = this.upstream;
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      const params = { ...n.params, logger: n.params.logger ?? server.name };
      const extra = this.#activeExtra.get(server.id);
      const send = extra
        ? extra.sendNotification({ method: "notifications/message", params })
        : up.sendLoggingMessage(params);
      return Promise.resolve(send).catch(() => {});
    });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) =>
      up.sendResourceUpdated({
        ...n.params,
        uri: plain ? n.params.uri : wrapUri(server.name, n.params.uri),
      }).catch(() => {}));
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.#liveTools.delete(server.id);
      up.sendToolListChanged().catch(() => {});
    });
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
      up.sendPromptListChanged().catch(() => {});
    });
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      up.sendResourceListChanged().catch(() => {});
    });
    const forward = <T>(
      method: string,
      params: unknown,
      schema: T,
    ) => {
      const extra = this.#activeExtra.get(server.id);
      const request = { method, params } as ServerRequest;
      if (extra) return extra.sendRequest(request, schema as never);
      return up.request(request, schema as never);
    };
    try {
      client.setRequestHandler(
        CreateMessageRequestSchema,
        (r) => forward("sampling/createMessage", r.params, CreateMessageResultSchema),
      );
      client.setRequestHandler(
        ElicitRequestSchema,
        (r) => forward("elicitation/create", r.params, ElicitResultSchema),
      );
      client.setRequestHandler(
        ListRootsRequestSchema,
        (r) => forward("roots/list", r.params, ListRootsResultSchema),
      );
    } catch (error) {
      logger.debug("client does not declare sampling/elicitation/roots", { error });
    }
  }
}
