/**
 * @module Streamable HTTP endpoint `/mcp`, both protocol generations side by side. Each POST
 * without a session is classified by its body (the SDK's `isLegacyRequest`): a 2025-era request
 * (`initialize`, no per-request `_meta` envelope) takes the sessionful path — one SDK transport
 * and one upstream session per `Mcp-Session-Id`, its GET stream, DELETE ending the session and
 * its containers, sessions bound to the API key that opened them; a 2026-07-28 request goes to
 * the stateless leg (`http_modern.ts`).
 */
import { principalOfKey } from "../downstream_auth/principal.ts";
import type { Hono } from "hono";
import {
  isJsonContentType,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import type { AppEnv } from "../app/app_env.ts";
import type { SessionHub } from "./hub.ts";
import type { UpstreamSession } from "./contracts.ts";
import { jsonRpcError } from "./jsonrpc_errors.ts";
import { closeAllSessions, closeSessionsOfKey } from "./keyed_sessions.ts";
import type { ExposeMode } from "./catalog.ts";
import { readJsonBody } from "../http/json_body.ts";
import { createModernEndpoint } from "./http_modern.ts";

interface HttpSession {
  transport: WebStandardStreamableHTTPServerTransport;
  keyId: string | null;
  /** The session's warm call fast path (`fast_path.ts`). */
  fastCall?: UpstreamSession["fastCall"];
}

/** Live HTTP sessions. */
export interface McpHttpEndpoint {
  /** End every session (its streams and containers) opened with the API key `keyId`. */
  closeKey(keyId: string): Promise<number>;
  closeAll(): Promise<void>;
}

/**
 * Mount `/mcp` on `app`.
 * @param app the router's hono app
 * @param hub the session hub
 */
export function mountMcpHttp(app: Hono<AppEnv>, hub: SessionHub): McpHttpEndpoint {
  const sessions = new Map<string, HttpSession>();
  const settings = hub.ctx.settings;
  const modern = createModernEndpoint(hub);

  app.all("/mcp", async (c) => {
    // JSON POST bodies are read once here under the size and nesting limits, then handed on.
    const guardBody = async (): Promise<Response | { parsedBody?: unknown }> => {
      if (c.req.method !== "POST" || !isJsonContentType(c.req.header("content-type"))) return {};
      const body = await readJsonBody(c.req.raw, {
        maxBytes: settings.maxBodyBytes,
        maxDepth: settings.maxJsonDepth,
      });
      return body.ok
        ? { parsedBody: body.value }
        : jsonRpcError(body.status, body.rpcCode, body.message);
    };
    const sessionId = c.req.header("mcp-session-id");
    if (sessionId) {
      const existing = sessions.get(sessionId);
      if (!existing) return jsonRpcError(404, -32001, "Session not found");
      if (existing.keyId !== c.get("keyId")) {
        return jsonRpcError(403, -32000, "Forbidden: this session belongs to another API key");
      }
      const guarded = await guardBody();
      if (guarded instanceof Response) return guarded;
      if (guarded.parsedBody !== undefined && existing.fastCall) {
        const fast = await existing.fastCall(c.req.raw, guarded.parsedBody);
        if (fast) return fast;
      }
      return await existing.transport.handleRequest(c.req.raw, guarded);
    }
    if (c.req.method !== "POST") {
      return jsonRpcError(400, -32000, "Bad Request: no valid session id; send initialize first");
    }
    const guarded = await guardBody();
    if (guarded instanceof Response) return guarded;
    const exposeParam = c.req.query("expose");
    const expose: ExposeMode | undefined = exposeParam === "tools" || exposeParam === "servers"
      ? exposeParam
      : undefined;
    const keyId = c.get("keyId");
    const legacy = await isLegacyRequest(c.req.raw, guarded.parsedBody, {
      maxRequestBodySize: settings.maxBodyBytes,
    });
    if (!legacy) {
      return await modern.handle(c.req.raw, guarded.parsedBody, {
        keyId,
        actor: c.get("actor"),
        expose,
      });
    }
    if (!hub.perKey.acquire(keyId)) {
      return jsonRpcError(429, -32000, "Too many sessions for this API key; close some first");
    }
    const id = crypto.randomUUID();
    let released = false;
    const release = () => {
      if (!released) hub.perKey.release(keyId);
      released = true;
    };
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      maxRequestBodySize: settings.maxBodyBytes,
      onsessioninitialized: (sid) => {
        sessions.set(sid, { transport, keyId: c.get("keyId"), fastCall });
      },
      onsessionclosed: (sid) => {
        sessions.delete(sid);
        release();
        void hub.close(sid);
      },
    });
    transport.onclose = () => {
      sessions.delete(id);
      release();
      void hub.close(id);
    };
    const session = hub.open({
      sessionId: id,
      expose,
      actor: c.get("actor"),
      principal: principalOfKey(keyId),
    });
    const fastCall = session.fastCall;
    await session.server.connect(transport);
    const fastSend = session.fastSend;
    if (fastSend) {
      // What the SDK server relates to a fast-path call goes on that call's reply.
      const send = transport.send.bind(transport);
      transport.send = (message, options) =>
        fastSend(message, options?.relatedRequestId) ? Promise.resolve() : send(message, options);
    }
    const response = await transport.handleRequest(c.req.raw, guarded);
    if (!sessions.has(id)) {
      // Not an initialize (or it failed): nothing to keep.
      release();
      await hub.close(id);
      await transport.close().catch(() => {});
    }
    return response;
  });

  return {
    closeKey: async (keyId) =>
      (await closeSessionsOfKey(sessions, keyId)) + (await modern.closeKey(keyId)),
    closeAll: async () => {
      await closeAllSessions(sessions);
      await modern.close();
    },
  };
}
