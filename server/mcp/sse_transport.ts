/**
 * @module Legacy SSE server transport on web-standard streams (the SDK's own is node:http based):
 * `GET /sse` opens the event stream whose first event names the POST endpoint; `POST /messages`
 * delivers client messages.
 */
import {
  type JSONRPCMessage,
  parseJSONRPCMessage,
  type Transport,
} from "@modelcontextprotocol/server";
import { readJsonBody } from "../http/json_body.ts";
import { jsonRpcError } from "./jsonrpc_errors.ts";

const encoder = new TextEncoder();

/** A JSON-RPC 2.0 message, or null when `value` is not one. */
function toMessage(value: unknown): JSONRPCMessage | null {
  try {
    return parseJSONRPCMessage(value);
  } catch {
    return null;
  }
}

/** MCP transport over a server-sent event stream plus POSTed messages. */
export class WebSseServerTransport implements Transport {
  /** The session id (also in the endpoint URL). */
  readonly sessionId: string = crypto.randomUUID();
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #keepAlive: ReturnType<typeof setInterval> | null = null;
  #closed = false;
  readonly #stream: ReadableStream<Uint8Array>;
  readonly #limits: { maxBytes: number; maxDepth: number };

  /**
   * @param endpointPath path clients POST to (the session id is appended as a query parameter)
   * @param options keep-alive interval (default 15 s); POST body size (default 1 MiB) and JSON
   *   nesting (default 64) limits
   */
  constructor(
    private readonly endpointPath: string,
    options: { keepAliveMs?: number; maxBodyBytes?: number; maxJsonDepth?: number } = {},
  ) {
    this.#limits = {
      maxBytes: options.maxBodyBytes ?? 1_048_576,
      maxDepth: options.maxJsonDepth ?? 64,
    };
    this.#stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        void this.close();
      },
    });
    const every = options.keepAliveMs ?? 15_000;
    if (every > 0) {
      const timer = setInterval(() => this.#write(": keep-alive\n\n"), every);
      Deno.unrefTimer(timer);
      this.#keepAlive = timer;
    }
  }

  /** The `text/event-stream` response to return for `GET /sse`. */
  response(): Response {
    return new Response(this.#stream, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
      },
    });
  }

  /** Announce the message endpoint. */
  start(): Promise<void> {
    this.#write(`event: endpoint\ndata: ${this.endpointPath}?sessionId=${this.sessionId}\n\n`);
    return Promise.resolve();
  }

  /** Send a message as an SSE `message` event. */
  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("SSE stream closed"));
    this.#write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    return Promise.resolve();
  }

  /**
   * Handle a POSTed message: 202 when accepted, 400 with a JSON-RPC error when not.
   * @param request the POST request
   */
  async handlePostMessage(request: Request): Promise<Response> {
    const read = await readJsonBody(request, this.#limits);
    if (!read.ok) return jsonRpcError(read.status, read.rpcCode, read.message);
    const body = read.value;
    const messages = Array.isArray(body) ? body : [body];
    if (messages.length === 0) return jsonRpcError(400, -32600, "Invalid Request: empty batch");
    const parsed = messages.map(toMessage);
    if (parsed.includes(null)) {
      return jsonRpcError(400, -32600, "Invalid Request: not a JSON-RPC 2.0 message");
    }
    for (const message of parsed) this.onmessage?.(message as JSONRPCMessage);
    return new Response("Accepted", { status: 202 });
  }

  /** Close the stream. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
    try {
      this.#controller?.close();
    } catch {
      // already closed by the client
    }
    this.onclose?.();
    return Promise.resolve();
  }

  #write(text: string): void {
    if (this.#closed) return;
    try {
      this.#controller?.enqueue(encoder.encode(text));
    } catch {
      void this.close();
    }
  }
}
