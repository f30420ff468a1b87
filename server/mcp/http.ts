/**
 * @module Streamable HTTP endpoint `/mcp`: one SDK transport and one upstream session per
 * `Mcp-Session-Id`; DELETE ends the session and its containers. Sessions are bound to the API key
 * that opened them.
 */
import type { Hono } from "hono";
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { AppEnv } from "../app_env.ts";
import type { SessionHub } from "./hub.ts";
import { jsonRpcError, rebindingViolation } from "./origin_guard.ts";
import type { ExposeMode } from "./catalog.ts";

interface HttpSession {
  transport: WebStandardStreamableHTTPServerTransport;
  keyId: string | null;
}

/** Live HTTP sessions (exported for tests and metrics). */
export interface McpHttpEndpoint {
  sessionCount(): number;
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

  app.all("/mcp", async (c) => {
    const violation = rebindingViolation(c.req.raw.headers, settings);
    if (violation) return jsonRpcError(403, -32000, `Forbidden: ${violation}`);
    const sessionId = c.req.header("mcp-session-id");
    if (sessionId) {
      const existing = sessions.get(sessionId);
      if (!existing) return jsonRpcError(404, -32001, "Session not found");
      if (existing.keyId !== c.get("keyId")) {
        return jsonRpcError(403, -32000, "Forbidden: this session belongs to another API key");
      }
      return await existing.transport.handleRequest(c.req.raw);
    }
    if (c.req.method !== "POST") {
      return jsonRpcError(400, -32000, "Bad Request: no valid session id; send initialize first");
    }
    const exposeParam = c.req.query("expose");
    const expose: ExposeMode | undefined = exposeParam === "tools" || exposeParam === "servers"
      ? exposeParam
      : undefined;
    const id = crypto.randomUUID();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      maxRequestBodySize: settings.maxBodyBytes,
      onsessioninitialized: (sid) => {
        sessions.set(sid, { transport, keyId: c.get("keyId") });
      },
      onsessionclosed: (sid) => {
        sessions.delete(sid);
        void hub.close(sid);
      },
    });
    transport.onclose = () => {
      sessions.delete(id);
      void hub.close(id);
    };
    const session = hub.open({ sessionId: id, expose, actor: c.get("actor") });
    await session.server.connect(transport);
    const response = await transport.handleRequest(c.req.raw);
    if (!sessions.has(id)) {
      // Not an initialize (or it failed): nothing to keep.
      await hub.close(id);
      await transport.close().catch(() => {});
    }
    return response;
  });

  return {
    sessionCount: () => sessions.size,
    async closeAll() {
      await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
    },
  };
}
