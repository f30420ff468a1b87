/**
 * @module Upstream stdio: one client on stdin/stdout (what Claude Desktop spawns). Logs go to
 * stderr; stdout carries only MCP messages. The SDK's `serveStdio` decides the protocol era from
 * the first message (2025 `initialize`, or a 2026-07-28 request / `server/discover` probe) and
 * pins the connection to it; whichever era, the process is the isolation unit — one downstream
 * pool session, ended when stdin closes.
 */
import { serveStdio as serveSdkStdio } from "@modelcontextprotocol/server/stdio";
import { createLogger } from "../../runtime/foundation/log.ts";
import { GuardedStdioServerTransport } from "./stdio_transport.ts";
import type { SessionHub } from "./hub.ts";

const logger = createLogger("mcp.stdio");

/**
 * Serve one MCP client over stdio until it closes stdin.
 * @returns resolves when the session has ended
 */
export async function serveStdio(hub: SessionHub): Promise<void> {
  const sessionId = `stdio-${crypto.randomUUID()}`;
  const transport = new GuardedStdioServerTransport({
    maxDepth: hub.ctx.settings.maxJsonDepth,
  });
  // Called per instance the SDK builds (a discovery probe's, then the pinned one): each is the
  // same unit, and the last one opened is the one the hub keeps.
  const handle = serveSdkStdio(() => hub.open({ sessionId, actor: "stdio" }).server, {
    transport,
    onerror: (error) => logger.debug("stdio message failed", { error }),
  });
  await transport.closed;
  await hub.close(sessionId);
  await handle.close().catch(() => {});
}
