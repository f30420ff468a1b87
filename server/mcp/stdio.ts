/**
 * @module Upstream stdio: one session on stdin/stdout (what Claude Desktop spawns). Logs go to
 * stderr; stdout carries only MCP messages.
 */
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { SessionHub } from "./hub.ts";

/**
 * Serve one MCP session over stdio until the client closes stdin.
 * @returns resolves when the session has ended
 */
export async function serveStdio(hub: SessionHub): Promise<void> {
  const session = hub.open({ sessionId: `stdio-${crypto.randomUUID()}`, actor: "stdio" });
  const transport = new StdioServerTransport();
  const ended = Promise.withResolvers<void>();
  transport.onclose = () => ended.resolve();
  await session.server.connect(transport);
  const stdinClosed = (async () => {
    // StdioServerTransport does not notice EOF itself: watch for it.
    await new Promise<void>((resolve) => {
      globalThis.process?.stdin?.once?.("end", () => resolve());
      globalThis.process?.stdin?.once?.("close", () => resolve());
    });
  })();
  await Promise.race([ended.promise, stdinClosed]);
  await hub.close(session.sessionId);
  await transport.close().catch(() => {});
}
