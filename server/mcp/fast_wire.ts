/**
 * @module The wire side of the warm call fast path (`fast_path.ts`) on a 2025-11-25 `/mcp`
 * session: which POST bodies it may take (a single plain `tools/call` — no keys beyond `name`,
 * `arguments`, and a progress token and trace context in `_meta` — or the `notifications/cancelled` of one it
 * took), whether the HTTP request is one the SDK transport would accept as it is, and the reply:
 * one JSON body, or an event stream when a notification for the client comes before the result.
 */

/** A `tools/call` the fast path may take, read off a POST body. */
export interface FastCallRequest {
  /** The upstream JSON-RPC id. */
  id: string | number;
  /** The exposed tool name. */
  name: string;
  /** Its arguments. */
  args: Record<string, unknown>;
  /** The W3C trace context keys of its `_meta` (passed on downstream). */
  trace: Record<string, unknown> | undefined;
  /** Its progress token, if it asked for progress. */
  progressToken?: string | number;
}

const TRACE_KEYS = new Set(["traceparent", "tracestate", "baggage"]);
const PARAM_KEYS = new Set(["name", "arguments", "_meta"]);

/** Whether `value` is a plain JSON object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The fast-path `tools/call` in `body`, or null when the SDK path must take it (a batch, another
 * method, any `_meta` key beyond a progress token and trace context, odd params or ids).
 */
export function fastCallOf(body: unknown): FastCallRequest | null {
  if (!isPlainObject(body) || body.jsonrpc !== "2.0" || body.method !== "tools/call") return null;
  const id = body.id;
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) {
    return null;
  }
  for (const key of Object.keys(body)) {
    if (key !== "jsonrpc" && key !== "id" && key !== "method" && key !== "params") return null;
  }
  const params = body.params;
  if (!isPlainObject(params) || typeof params.name !== "string") return null;
  for (const key of Object.keys(params)) if (!PARAM_KEYS.has(key)) return null;
  const args = params.arguments ?? {};
  if (!isPlainObject(args)) return null;
  const meta = params._meta;
  if (meta === undefined) return { id, name: params.name, args, trace: undefined };
  if (!isPlainObject(meta)) return null;
  const { progressToken, ...trace } = meta;
  for (const key of Object.keys(trace)) if (!TRACE_KEYS.has(key)) return null;
  if (progressToken === undefined) return { id, name: params.name, args, trace };
  if (typeof progressToken !== "string" && typeof progressToken !== "number") return null;
  return { id, name: params.name, args, trace, progressToken };
}

/** The request id a `notifications/cancelled` body cancels, or undefined for any other body. */
export function cancelledIdOf(body: unknown): string | number | undefined {
  if (!isPlainObject(body) || body.method !== "notifications/cancelled" || "id" in body) {
    return undefined;
  }
  const id = isPlainObject(body.params) ? body.params.requestId : undefined;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

/**
 * Whether the SDK transport would take `request` as it is on a session that negotiated
 * `negotiated`: both reply types accepted, and no protocol version header other than the
 * session's. Anything else goes to the SDK, which answers it.
 */
export function plainPost(request: Request, negotiated: string | undefined): boolean {
  const accept = request.headers.get("accept");
  if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) return false;
  const version = request.headers.get("mcp-protocol-version");
  return version === null || version === negotiated;
}

const SSE_HEADERS = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};

const encoder = new TextEncoder();

function sseEvent(message: unknown): Uint8Array {
  return encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}

/** Where one fast-path call's notifications for the client and its final response go. */
export interface CallReply {
  /** Whether the reply is over. */
  readonly done: boolean;
  /** Pass a notification or request for the client on, before the result. */
  notify(message: Record<string, unknown>): void;
  /** End with the JSON-RPC response `message`, or without one (the call was cancelled). */
  finish(message: Record<string, unknown> | null): void;
}

/**
 * The reply of a fast-path call on a message transport (stdio): every message is sent as it
 * comes, in order.
 * @param send writes one message to the client
 */
export function messageReply(send: (message: Record<string, unknown>) => void): CallReply {
  let done = false;
  return {
    get done() {
      return done;
    },
    notify(message) {
      if (!done) send(message);
    },
    finish(message) {
      if (done) return;
      done = true;
      if (message !== null) send(message);
    },
  };
}

/**
 * The HTTP reply of one fast-path call: plain JSON when the result comes first, an event stream
 * (as the SDK frames it) once a notification for the client arrives while the call runs.
 */
export class FastExchange implements CallReply {
  /** The HTTP response, settled at the first notification or at the end. */
  readonly response: Promise<Response>;
  readonly #sessionId: string;
  #resolve!: (response: Response) => void;
  #stream: ReadableStreamDefaultController<Uint8Array> | null = null;
  #done = false;

  /** @param sessionId the `Mcp-Session-Id` to answer with */
  constructor(sessionId: string) {
    this.#sessionId = sessionId;
    this.response = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Whether the reply is over. */
  get done(): boolean {
    return this.#done;
  }

  /** Pass a notification for the client on, before the result (switches to an event stream). */
  notify(message: Record<string, unknown>): void {
    if (this.#done) return;
    try {
      this.#open().enqueue(sseEvent(message));
    } catch {
      // the client went away
    }
  }

  /** End with the JSON-RPC response `message`, or without one (the call was cancelled). */
  finish(message: Record<string, unknown> | null): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#stream === null && message !== null) {
      this.#resolve(
        new Response(JSON.stringify(message), {
          status: 200,
          headers: { "Content-Type": "application/json", "mcp-session-id": this.#sessionId },
        }),
      );
      return;
    }
    const stream = this.#open();
    try {
      if (message !== null) stream.enqueue(sseEvent(message));
      stream.close();
    } catch {
      // the client went away
    }
  }

  #open(): ReadableStreamDefaultController<Uint8Array> {
    if (this.#stream) return this.#stream;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    this.#stream = controller;
    this.#resolve(
      new Response(body, {
        status: 200,
        headers: { ...SSE_HEADERS, "mcp-session-id": this.#sessionId },
      }),
    );
    return controller;
  }
}
