/**
 * @module The warm call fast path of one 2025-11-25 `/mcp` session: a plain `tools/call` (see
 * `fast_wire.ts`) whose target is a tool of a server already running and loaded in this session
 * over a 2025-era connection is forwarded as raw JSON-RPC on that connection's transport
 * (`downstream/raw_requests.ts`) and answered as plain JSON — no SDK server or client in
 * between. It keeps every guarantee of the SDK path: the per-key rate limit, name mapping, the
 * audit entry written (group-committed) before the reply, metrics, error mapping (a downstream's
 * JSON-RPC error passes on, crashes and timeouts become tool errors, a result that is not a valid
 * CallToolResult becomes the same JSON-RPC error the SDK server gives), cancellation both ways;
 * the downstream's log messages, and its sampling, elicitation and roots requests (sent by the
 * SDK server, which checks the client's capabilities and takes the answer), reach the client on
 * the reply, which then becomes an event stream, as do its progress notifications when the
 * call carries a progress token. Whatever it is not sure of — a server not started or not
 * loaded yet, a 2026-era downstream, `call` lifecycle, a built-in, an unknown name — it leaves
 * to the SDK path (`handle` returns null before doing anything). A 2025-era stdio session
 * (`stdio_fast.ts`) uses the same path through `take`: its reply is written as messages, in
 * order, instead of an HTTP response.
 */
import {
  type CallToolResult,
  ProtocolErrorCode,
  type Server,
  specTypeSchemas,
} from "@modelcontextprotocol/server";
import type { ServerRecord } from "../schemas/server.ts";
import type { Catalog } from "./catalog.ts";
import type { LinkedConnection, RouterContext, UpstreamSessionOptions } from "./contracts.ts";
import { RawChannel } from "./downstream/raw_requests.ts";
import { traceContextOf } from "./forward_call.ts";
import {
  type CallReply,
  cancelledIdOf,
  fastCallOf,
  type FastCallRequest,
  FastExchange,
  isPlainObject,
  messageReply,
  plainPost,
} from "./fast_wire.ts";
import { toolError } from "./mcp_errors.ts";
import { recordToolError, ROUTER_LABEL } from "../observability/metrics.ts";
import type { SessionLink } from "./session_link.ts";

/** The fast path of one session. */
export interface FastPath {
  /**
   * Serve a POST body the fast path can take (a warm `tools/call`, or the cancellation of one it
   * is running); null when the SDK path must take it (nothing was done).
   */
  handle(request: Request, body: unknown): Promise<Response | null>;
  /**
   * Start a message from a message transport (stdio) on the fast path: a warm `tools/call`
   * (answered through `send`, in order with its notifications) or the cancellation of one it
   * runs; false when the SDK path must take it (nothing was done). Resolves once the call is
   * under way, not when it ends.
   */
  take(body: unknown, send: (message: Record<string, unknown>) => void): Promise<boolean>;
  /**
   * Put a message the SDK server sends in relation to a fast-path call (a server→client request
   * relayed from the downstream) on that call's reply.
   * @returns whether it was one
   */
  send(message: unknown, relatedRequestId: unknown): boolean;
}

/** What the fast path of a session works with. */
export interface FastPathDeps {
  ctx: RouterContext;
  options: UpstreamSessionOptions;
  /** The session's upstream SDK server (negotiated version, client capabilities). */
  upstream: Server;
  link: SessionLink;
  catalog(): Promise<Catalog>;
}

/** The rate-limit refusal of a tool call, or null when `actor` may call (takes a token). */
export function rateLimited(ctx: RouterContext, actor: string): CallToolResult | null {
  if (!ctx.toolLimiter || ctx.toolLimiter.take(actor)) return null;
  recordToolError(ROUTER_LABEL, "rate_limited");
  return toolError(
    `Rate limit: more than ${ctx.settings.toolCallsPerMinute} tool calls per minute for this key; retry shortly.`,
  );
}

/** A resolved fast-path call: where it goes and what is sent. */
interface Route {
  server: ServerRecord;
  tool: string;
  args: Record<string, unknown>;
  conn: LinkedConnection;
  channel: RawChannel;
}

type Codec = { validateResult(method: string, raw: unknown): ValidateOutcome };
type ValidateOutcome = { ok: true; value: unknown } | {
  ok: false;
  reason: string;
  message?: string;
};

/**
 * The result check the upstream SDK server applies to a `tools/call` result on this session's
 * era (its wire codec), else the SDK's published CallToolResult schema.
 */
function resultValidator(upstream: Server): (raw: unknown) => ValidateOutcome {
  const codec = (upstream as unknown as { _wireCodec?: () => Codec })._wireCodec?.call(upstream);
  if (codec) return (raw) => codec.validateResult("tools/call", raw);
  const schema = specTypeSchemas.CallToolResult["~standard"];
  return (raw) => {
    const out = schema.validate(raw) as { value?: unknown; issues?: { message: string }[] };
    return out.issues
      ? { ok: false, reason: "invalid", message: out.issues.map((i) => i.message).join("; ") }
      : { ok: true, value: out.value };
  };
}

/** Keys that keep a content-less result from gaining `content: []` (as the SDK rules). */
const FOREIGN_RESULT_KEYS = ["task", "inputRequests", "requestState"];

/** A 2025 `tools/call` result as the SDK server sends it, or the JSON-RPC error it sends. */
function finalResult(
  result: CallToolResult,
  validate: (raw: unknown) => ValidateOutcome,
): { result: unknown } | { error: { code: number; message: string } } {
  const normalized = result.content !== undefined ||
      FOREIGN_RESULT_KEYS.some((key) => key in result)
    ? result
    : { ...result, content: [] };
  const checked = validate(normalized);
  if (checked.ok) return { result: checked.value };
  return {
    error: checked.reason === "not-in-era"
      ? { code: ProtocolErrorCode.InternalError, message: "No wire schema for tools/call" }
      : {
        code: ProtocolErrorCode.InvalidParams,
        message: `Invalid tools/call result: ${checked.message}`,
      },
  };
}

/** A thrown failure as the SDK server answers it (2025 codes: -32002 is sent as -32602). */
function errorBody(error: unknown): { code: number; message: string; data?: unknown } {
  const e = error as { code?: unknown; message?: unknown; data?: unknown };
  const code = Number.isSafeInteger(e?.code) ? e.code as number : ProtocolErrorCode.InternalError;
  return {
    code: code === -32002 ? ProtocolErrorCode.InvalidParams : code,
    message: typeof e?.message === "string" ? e.message : "Internal error",
    ...(e?.data !== undefined ? { data: e.data } : {}),
  };
}

/** A 2025 downstream's raw result as the SDK client decodes it (`resultType` dropped). */
function decoded(raw: Record<string, unknown>): CallToolResult {
  if (raw.resultType === "task") {
    // Only a 2026 client that declared the tasks extension can take a task.
    throw new Error(`Unsupported result type 'task' for tools/call (not a 2026-07-28 client)`);
  }
  if (!("resultType" in raw)) return raw as CallToolResult;
  const { resultType: _, ...rest } = raw;
  return rest as CallToolResult;
}

/**
 * Build the fast path of one session.
 * @param deps the session's services, link and upstream server
 */
export function createFastPath(deps: FastPathDeps): FastPath {
  const { ctx, options, upstream, link } = deps;
  const inFlight = new Map<string | number, { controller: AbortController; reply: CallReply }>();
  let validate: ((raw: unknown) => ValidateOutcome) | null = null;

  const route = async (name: string, args: Record<string, unknown>): Promise<Route | null> => {
    const target = (await deps.catalog()).toolByName.get(name)?.target;
    let server: ServerRecord;
    let tool: string;
    let sent = args;
    if (target?.kind === "tool") {
      server = target.server;
      tool = target.tool;
    } else if (target?.kind === "server") {
      const inner = args.arguments ?? {};
      if (typeof args.tool !== "string" || args.tool === "" || !isPlainObject(inner)) return null;
      server = target.server;
      tool = args.tool;
      sent = inner;
      if (!(await link.liveTools(server.id))?.some((t) => t.name === tool)) return null;
    } else {
      return null;
    }
    const conn = await link.warmConnection(server);
    const channel = conn && RawChannel.of(conn.client);
    return channel ? { server, tool, args: sent, conn, channel } : null;
  };

  const run = (id: string | number, r: Route, call: FastCallRequest, exchange: CallReply) => {
    const controller = new AbortController();
    const entry = { controller, reply: exchange };
    inFlight.set(id, entry);
    const stopRelay = link.relayInto(r.server.id, {
      requestId: id,
      notify: (n) => exchange.notify(n),
    });
    const traced = traceContextOf(call.trace);
    const token = call.progressToken;
    // Progress comes back on the reply, as the SDK path relays it (each one restarts the deadline).
    const onprogress = token === undefined
      ? undefined
      : (p: Record<string, unknown>) =>
        exchange.notify({
          jsonrpc: "2.0",
          method: "notifications/progress",
          params: { ...p, progressToken: token },
        });
    const params = {
      name: r.tool,
      arguments: r.args,
      ...(Object.keys(traced).length > 0 ? { _meta: traced } : {}),
    };
    const timeoutMs = r.conn.requestOptions.timeout ?? ctx.settings.callTimeoutMs;
    link.audited(r.server.name, r.tool, () =>
      r.conn.run(async () =>
        decoded(
          await r.channel.request("tools/call", params, {
            signal: controller.signal,
            timeoutMs,
            onprogress,
          }),
        )
      )).then(
        (result) => {
          if (controller.signal.aborted) return exchange.finish(null);
          validate ??= resultValidator(upstream);
          exchange.finish({ jsonrpc: "2.0", id, ...finalResult(result, validate) });
        },
        (error) => {
          if (controller.signal.aborted) return exchange.finish(null);
          exchange.finish({ jsonrpc: "2.0", id, error: errorBody(error) });
        },
      ).catch((error) => {
        // Never a hanging reply: whatever broke above still answers the request.
        exchange.finish({ jsonrpc: "2.0", id, error: errorBody(error) });
      }).finally(() => {
        stopRelay();
        if (inFlight.get(id) === entry) inFlight.delete(id);
      });
  };

  /** Cancel a call this path runs; false when `body` is no cancellation of one. */
  const cancel = (body: unknown): boolean => {
    const cancelled = cancelledIdOf(body);
    const controller = cancelled === undefined ? undefined : inFlight.get(cancelled)?.controller;
    if (!controller) return false;
    const reason = (body as { params: { reason?: unknown } }).params.reason;
    controller.abort(typeof reason === "string" ? reason : "cancelled by the client");
    return true;
  };

  /** The call in `body` routed and allowed, else null; a rate-limit refusal is a result. */
  const accept = async (body: unknown) => {
    const call = fastCallOf(body);
    if (!call || inFlight.has(call.id)) return null;
    const r = await route(call.name, call.args);
    if (!r) return null;
    return { call, r, refused: rateLimited(ctx, options.actor) };
  };

  return {
    async handle(request, body) {
      if (cancelledIdOf(body) !== undefined) {
        return cancel(body) ? new Response(null, { status: 202 }) : null;
      }
      if (!fastCallOf(body)) return null;
      if (!plainPost(request, upstream.getNegotiatedProtocolVersion())) return null;
      const accepted = await accept(body);
      if (!accepted) return null;
      const { call, r, refused } = accepted;
      if (refused) {
        return new Response(JSON.stringify({ jsonrpc: "2.0", id: call.id, result: refused }), {
          status: 200,
          headers: { "Content-Type": "application/json", "mcp-session-id": options.sessionId },
        });
      }
      const exchange = new FastExchange(options.sessionId);
      run(call.id, r, call, exchange);
      return await exchange.response;
    },
    async take(body, send) {
      if (cancelledIdOf(body) !== undefined) return cancel(body);
      // The 2025 eras only (the SDK path serves a 2026-era client).
      if (!fastCallOf(body) || !/^2025-/.test(upstream.getNegotiatedProtocolVersion() ?? "")) {
        return false;
      }
      const accepted = await accept(body);
      if (!accepted) return false;
      const { call, r, refused } = accepted;
      if (refused) send({ jsonrpc: "2.0", id: call.id, result: refused });
      else run(call.id, r, call, messageReply(send));
      return true;
    },
    send(message, relatedRequestId) {
      if (typeof relatedRequestId !== "string" && typeof relatedRequestId !== "number") {
        return false;
      }
      const reply = inFlight.get(relatedRequestId)?.reply;
      if (!reply || reply.done || !isPlainObject(message) || !("method" in message)) return false;
      reply.notify(message as Record<string, unknown>);
      return true;
    },
  };
}
