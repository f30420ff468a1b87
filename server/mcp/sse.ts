/**
 * @module Legacy SSE endpoints `/sse` (event stream) and `/messages` (client → server).
 */
import { principalOfKey } from "../downstream_auth/principal.ts";
import type { Hono } from "hono";
import type { AppEnv } from "../app/app_env.ts";
import type { SessionHub } from "./hub.ts";
import { jsonRpcError } from "./jsonrpc_errors.ts";
import { closeAllSessions, closeSessionsOfKey } from "./keyed_sessions.ts";
import { WebSseServerTransport } from "./sse_transport.ts";

/** Live SSE sessions. */
export interface McpSseEndpoint {
  /** End every SSE session (its stream and containers) opened with the API key `keyId`. */
  closeKey(keyId: string): Promise<number>;
  /** End every SSE session. */
  closeAll(): Promise<void>;
}

/**
 * Mount `/sse` and `/messages` on `app`. A key's SSE streams count against
 * `MCP_ROUTER_MAX_SESSIONS_PER_KEY` like its streamable-HTTP sessions.
 */
export function mountMcpSse(app: Hono<AppEnv>, hub: SessionHub): McpSseEndpoint {
  const sessions = new Map<string, { transport: WebSseServerTransport; keyId: string | null }>();
  const settings = hub.ctx.settings;

  app.get("/sse", async (c) => {
    const keyId = c.get("keyId");
    if (!hub.perKey.acquire(keyId)) {
      return jsonRpcError(429, -32000, "Too many sessions for this API key; close some first");
    }
    const transport = new WebSseServerTransport("/messages", {
      maxBodyBytes: settings.maxBodyBytes,
      maxJsonDepth: settings.maxJsonDepth,
    });
    const id = transport.sessionId;
    sessions.set(id, { transport, keyId });
    transport.onclose = () => {
      if (sessions.delete(id)) hub.perKey.release(keyId);
      void hub.close(id);
    };
    const expose = c.req.query("expose");
    const session = hub.open({
      sessionId: id,
      expose: expose === "tools" || expose === "servers" ? expose : undefined,
      actor: c.get("actor"),
      principal: principalOfKey(keyId),
    });
    const response = transport.response();
    await session.server.connect(transport);
    return response;
  });

  app.post("/messages", async (c) => {
    const id = c.req.query("sessionId") ?? "";
    const entry = sessions.get(id);
    if (!entry) return jsonRpcError(404, -32001, "Session not found");
    if (entry.keyId !== c.get("keyId")) {
      return jsonRpcError(403, -32000, "Forbidden: this session belongs to another API key");
    }
    return await entry.transport.handlePostMessage(c.req.raw);
  });

  return {
    closeKey: (keyId) => closeSessionsOfKey(sessions, keyId),
    closeAll: () => closeAllSessions(sessions),
  };
}
