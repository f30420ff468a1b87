/**
 * @module Upstream stdio: one session on stdin/stdout (what Claude Desktop spawns). Logs go to
 * stderr; stdout carries only MCP messages.
 */
import { GuardedStdioServerTransport } from "./stdio_transport.ts";
import type { SessionHub } from "./hub.ts";

/**
 * Serve one MCP session over stdio until the client closes stdin.
 * @returns resolves when the session has ended
 */
export async function serveStdio(hub: SessionHub): Promise<void> {
  const session = hub.open({ sessionId: `stdio-${crypto.randomUUID()}`, actor: "stdio" });
  const transport = new GuardedStdioServerTransport({
    maxDepth: hub.ctx.settings.maxJsonDepth,
  });
  const ended = Promise.withResolvers<void>();
  transport.onclose = () => ended.resolve();
  await session.server.connect(transport);
  await ended.promise;
  await hub.close(session.sessionId);
  await transport.close().catch(() => {});
}
