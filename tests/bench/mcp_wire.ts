/**
 * @module A lean MCP 2025-11-25 streamable-HTTP client for load generation: raw `fetch`, bodies
 * built by hand, replies parsed as plain JSON or as the SSE event the router sends (no SDK
 * validation), so the load generator costs as little CPU as possible next to the router.
 */

/** The protocol revision the lean client speaks (the sessionful 2025 leg of `/mcp`). */
export const WIRE_PROTOCOL = "2025-11-25";

/** Where and how to reach `/mcp`. */
export interface WireTarget {
  /** `http://127.0.0.1:PORT`. */
  baseUrl: string;
  /** Bearer API key, or null when the router runs open on loopback. */
  key: string | null;
  /** Exposure mode of new sessions. */
  expose: "servers" | "tools";
  /**
   * Send every call with a `_meta` key the router's warm call fast path does not know, so it
   * takes the SDK path (the fast path's A/B lane).
   */
  sdkPath?: boolean;
}

/** One upstream session opened by {@linkcode openWireSession}. */
export interface WireSession {
  sessionId: string;
  /** Send `tools/call echo` (through the `everything` server) and check the echo (throws). */
  echo(message: string): Promise<void>;
  /** End the session (DELETE). */
  close(): Promise<void>;
}

function headers(target: WireTarget, sessionId?: string): Record<string, string> {
  const h: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": WIRE_PROTOCOL,
  };
  if (target.key) h.authorization = `Bearer ${target.key}`;
  if (sessionId) h["mcp-session-id"] = sessionId;
  return h;
}

/**
 * The JSON-RPC response with `id` in a reply body: plain JSON, or one `data:` line of an SSE
 * event stream (requests and notifications the router sends on the same stream are skipped).
 * @throws when no response with that id is in the body
 */
export function parseReply(
  body: string,
  contentType: string | null,
  id: number,
): Record<string, unknown> {
  const isReply = (m: Record<string, unknown>) =>
    m.id === id && !("method" in m) && ("result" in m || "error" in m);
  if (contentType?.includes("text/event-stream")) {
    for (const line of body.split("\n")) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (!data) continue;
      const message = JSON.parse(data) as Record<string, unknown>;
      if (isReply(message)) return message;
    }
    throw new Error(`no reply with id ${id} in the event stream: ${body.slice(0, 200)}`);
  }
  const message = JSON.parse(body) as Record<string, unknown>;
  if (!isReply(message)) throw new Error(`not the reply to ${id}: ${body.slice(0, 200)}`);
  return message;
}

async function post(
  target: WireTarget,
  body: string,
  sessionId?: string,
): Promise<{ response: Response; text: string }> {
  const url = `${target.baseUrl}/mcp${sessionId ? "" : `?expose=${target.expose}`}`;
  const response = await fetch(url, { method: "POST", headers: headers(target, sessionId), body });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  return { response, text };
}

function echoBody(target: WireTarget, id: number, message: string): string {
  const meta = target.sdkPath ? { _meta: { "mcp-router-bench/sdk-path": true } } : {};
  const params = target.expose === "servers"
    ? { name: "everything", arguments: { tool: "echo", arguments: { message } }, ...meta }
    : { name: "everything__echo", arguments: { message }, ...meta };
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params });
}

function checkEcho(reply: Record<string, unknown>, message: string): void {
  const result = reply.result as { isError?: boolean; content?: { text?: string }[] } | undefined;
  const text = result?.content?.map((c) => c.text ?? "").join("\n");
  if (!result || result.isError || text !== `Echo: ${message}`) {
    throw new Error(`echo failed: ${JSON.stringify(reply).slice(0, 300)}`);
  }
}

/**
 * Open a 2025-11-25 session: `initialize`, then `notifications/initialized`. Starts no
 * container (that happens on the first tool call).
 * @throws when the router refuses or assigns no session id
 */
export async function openWireSession(target: WireTarget): Promise<WireSession> {
  const init = JSON.stringify({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion: WIRE_PROTOCOL,
      capabilities: {},
      clientInfo: { name: "mcp-router-bench-wire", version: "1.0.0" },
    },
  });
  const { response, text } = await post(target, init);
  const sessionId = response.headers.get("mcp-session-id");
  if (!sessionId) throw new Error("the router did not assign an Mcp-Session-Id");
  const reply = parseReply(text, response.headers.get("content-type"), 0);
  if (!reply.result) throw new Error(`initialize failed: ${text.slice(0, 200)}`);
  const initialized = await fetch(`${target.baseUrl}/mcp`, {
    method: "POST",
    headers: headers(target, sessionId),
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  await initialized.body?.cancel();
  if (initialized.status !== 202 && !initialized.ok) {
    throw new Error(`notifications/initialized: HTTP ${initialized.status}`);
  }
  let nextId = 1;
  return {
    sessionId,
    async echo(message) {
      const id = nextId++;
      const { response, text } = await post(target, echoBody(target, id, message), sessionId);
      checkEcho(parseReply(text, response.headers.get("content-type"), id), message);
    },
    async close() {
      const r = await fetch(`${target.baseUrl}/mcp`, {
        method: "DELETE",
        headers: headers(target, sessionId),
      }).catch(() => null);
      await r?.body?.cancel();
    },
  };
}
