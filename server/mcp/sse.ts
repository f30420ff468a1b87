/**
 * @module Legacy SSE endpoints `/sse` (event stream) and `/messages` (client → server).
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app_env.ts";
import type { SessionHub } from "./hub.ts";
import { jsonRpcError, rebindingViolation } from "./origin_guard.ts";
import { WebSseServerTransport } from "./sse_transport.ts";

/**
 * Mount `/sse` and `/messages` on `app`.
 * @returns a function that closes every SSE session
 */
export function mountMcpSse(app: Hono<AppEnv>, hub: SessionHub): { closeAll(): Promise<void> } {
  const sessions = new Map<string, { transport: WebSseServerTransport; keyId: string | null }>();
  const settings = hub.ctx.settings;

  app.get("/sse", async (c) => {
    const violation = rebindingViolation(c.req.raw.headers, settings);
    if (violation) return jsonRpcError(403, -32000, `Forbidden: ${violation}`);
    const transport = new WebSseServerTransport("/messages", {
      maxBodyBytes: settings.maxBodyBytes,
      maxJsonDepth: settings.maxJsonDepth,
    });
    const id = transport.sessionId;
    sessions.set(id, { transport, keyId: c.get("keyId") });
    transport.onclose = () => {
      sessions.delete(id);
      void hub.close(id);
    };
    const expose = c.req.query("expose");
    const session = hub.open({
      sessionId: id,
      expose: expose === "tools" || expose === "servers" ? expose : undefined,
      actor: c.get("actor"),
    });
    const response = transport.response();
    await session.server.connect(transport);
    return response;
  });

  app.post("/messages", async (c) => {
    const violation = rebindingViolation(c.req.raw.headers, settings);
    if (violation) return jsonRpcError(403, -32000, `Forbidden: ${violation}`);
    const id = c.req.query("sessionId") ?? "";
    const entry = sessions.get(id);
    if (!entry) return jsonRpcError(404, -32001, "Session not found");
    if (entry.keyId !== c.get("keyId")) {
      return jsonRpcError(403, -32000, "Forbidden: this session belongs to another API key");
    }
    return await entry.transport.handlePostMessage(c.req.raw);
  });

  return {
    async closeAll() {
      await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
    },
  };
}
