/**
 * @module Upstream stdio: one client on stdin/stdout (what Claude Desktop spawns). Logs go to
 * stderr; stdout carries only MCP messages. The SDK's `serveStdio` decides the protocol era from
 * the first message (2025 `initialize`, or a 2026-07-28 request / `server/discover` probe) and
 * pins the connection to it; whichever era, the process is the isolation unit — one downstream
 * pool session, ended when stdin closes. With a store given, the process leaves a heartbeat
 * (client name and version) that the Connect page of `serve` shows (see `stdio_presence.ts`).
 */
import { serveStdio as serveSdkStdio } from "@modelcontextprotocol/server/stdio";
import { createLogger } from "../../runtime/foundation/log.ts";
import { GuardedStdioServerTransport } from "./stdio_transport.ts";
import type { SessionHub } from "./hub.ts";
import type { MetaStore } from "../store/store.ts";
import { clientOfMessage, startStdioHeartbeat } from "./stdio_presence.ts";
import { orderedFastInbound } from "./stdio_fast.ts";
import type { UpstreamSession } from "./contracts.ts";
import type { JSONRPCMessage } from "@modelcontextprotocol/server";

const no = Promise.resolve(false);

const logger = createLogger("mcp.stdio");

/**
 * Serve one MCP client over stdio until it closes stdin.
 * @param hub the session hub
 * @param options `presence`: where to leave the heartbeat record (none when absent); `streams`
 * @returns resolves when the session has ended
 */
export async function serveStdio(
  hub: SessionHub,
  options: {
    presence?: MetaStore;
    /** Input and output instead of the process's stdin and stdout (tests). */
    streams?: { input: ReadableStream<Uint8Array>; output: WritableStream<Uint8Array> };
  } = {},
): Promise<void> {
  const sessionId = `stdio-${crypto.randomUUID()}`;
  const heartbeat = options.presence ? startStdioHeartbeat(options.presence) : null;
  // The session the SDK pinned last (see below): warm tool calls take its fast path.
  let session: UpstreamSession | null = null;
  const send = (message: Record<string, unknown>) =>
    void transport.send(message as unknown as JSONRPCMessage);
  const transport: GuardedStdioServerTransport = new GuardedStdioServerTransport({
    route: orderedFastInbound((message) => session?.fastTake?.(message, send) ?? no),
    maxDepth: hub.ctx.settings.maxJsonDepth,
    ...options.streams,
    onInbound: heartbeat
      ? (message) => {
        const client = clientOfMessage(message);
        if (client) heartbeat.identify(client);
      }
      : undefined,
  });
  // Called per instance the SDK builds (a discovery probe's, then the pinned one): each is the
  // same unit, and the last one opened is the one the hub keeps.
  const handle = serveSdkStdio(() => (session = hub.open({ sessionId, actor: "stdio" })).server, {
    transport,
    onerror: (error) => logger.debug("stdio message failed", { error }),
  });
  await transport.closed;
  await heartbeat?.stop();
  await hub.close(sessionId);
  await handle.close().catch(() => {});
}
