/**
 * @module Raw requests on a connected downstream SDK client's transport, for the warm call fast
 * path (`fast_call.ts`): a JSON-RPC request goes straight onto the transport under an id of its
 * own (far above the SDK's counter), and its response is taken off the transport before the SDK
 * client sees it — no client-side schema work, no handler bookkeeping. Everything else the
 * transport delivers (notifications, server→client requests, the SDK's own responses) still
 * reaches the SDK client. Failures are the SDK's own kinds: a JSON-RPC error response becomes a
 * `ProtocolError`, the deadline an `SdkError` timeout, a closed connection an `SdkError`
 * "connection closed"; a cancelled or timed-out request is cancelled downstream too. A request
 * may ask for progress: its own id is its progress token, and its progress notifications are
 * taken off the transport too.
 */
import {
  type Client,
  type JSONRPCMessage,
  ProtocolError,
  SdkError,
  SdkErrorCode,
} from "@modelcontextprotocol/client";

/** First raw request id (the SDK counts its own from 0: they never meet). */
const FIRST_RAW_ID = 2 ** 30;

/** One raw request in flight. */
interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(error: unknown): void;
  /** A progress notification for it arrived (its token was the request id). */
  progress?(params: Record<string, unknown>): void;
}

/** What a raw request is sent with. */
export interface RawRequestOptions {
  /** Cancels it (downstream too). */
  signal?: AbortSignal;
  /** Deadline in ms (the downstream is told it was cancelled); progress restarts it. */
  timeoutMs: number;
  /**
   * Ask for progress: the request carries its own id as `_meta.progressToken`, and each
   * progress notification for it (token removed) comes here.
   */
  onprogress?(params: Record<string, unknown>): void;
}

type TransportLike = {
  onmessage?: (message: JSONRPCMessage, extra?: unknown) => void;
  onclose?: () => void;
  send(message: JSONRPCMessage): Promise<void>;
};

const channels = new WeakMap<Client, RawChannel>();

/** Raw requests over one connected client's transport; see module doc. */
export class RawChannel {
  readonly #transport: TransportLike;
  readonly #pending = new Map<number, Pending>();
  #nextId = FIRST_RAW_ID;
  #closed = false;

  /**
   * The channel of `client` (installed on first use), or null when it has no transport.
   * @param client a connected, initialized SDK client
   */
  static of(client: Client): RawChannel | null {
    const known = channels.get(client);
    if (known) return known.#closed ? null : known;
    const transport = client.transport as TransportLike | undefined;
    if (!transport) return null;
    const channel = new RawChannel(transport);
    channels.set(client, channel);
    return channel;
  }

  private constructor(transport: TransportLike) {
    this.#transport = transport;
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      const m = message as { id?: unknown; method?: unknown; params?: Record<string, unknown> };
      if (m.method === "notifications/progress") {
        const token = m.params?.progressToken;
        const pending = typeof token === "number" ? this.#pending.get(token) : undefined;
        if (pending?.progress) {
          const { progressToken: _, ...rest } = m.params!;
          return pending.progress(rest);
        }
      }
      const id = m.id;
      if (typeof id === "number" && id >= FIRST_RAW_ID && !("method" in message)) {
        const pending = this.#pending.get(id);
        if (pending) {
          this.#pending.delete(id);
          this.#settle(pending, message as Record<string, unknown>);
          return;
        }
      }
      deliver?.call(transport, message, extra);
    };
    const closed = transport.onclose;
    transport.onclose = () => {
      this.#closed = true;
      const error = new SdkError(SdkErrorCode.ConnectionClosed, "Connection closed");
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      closed?.call(transport);
    };
  }

  /** Requests in flight (tests). */
  get inFlight(): number {
    return this.#pending.size;
  }

  /**
   * Send one request and resolve with its result object.
   * @param method the JSON-RPC method
   * @param params its params
   * @param options deadline and cancellation
   * @throws {ProtocolError} the downstream's error response
   * @throws {SdkError} timeout or closed connection
   */
  request(
    method: string,
    params: Record<string, unknown>,
    options: RawRequestOptions,
  ): Promise<Record<string, unknown>> {
    if (this.#closed) {
      return Promise.reject(new SdkError(SdkErrorCode.NotConnected, "Not connected"));
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const cancel = (reason: unknown) => {
        if (!this.#pending.delete(id)) return;
        done();
        this.#transport.send({
          jsonrpc: "2.0",
          method: "notifications/cancelled",
          params: { requestId: id, reason: String(reason) },
        } as JSONRPCMessage).catch(() => {});
        reject(reason);
      };
      const onAbort = () => cancel(signal?.reason);
      const expire = () =>
        cancel(
          new SdkError(SdkErrorCode.RequestTimeout, "Request timed out", {
            timeout: options.timeoutMs,
          }),
        );
      let timer = setTimeout(expire, options.timeoutMs);
      const onprogress = options.onprogress;
      this.#pending.set(id, {
        resolve: (result) => (done(), resolve(result)),
        reject: (error) => (done(), reject(error)),
        ...(onprogress
          ? {
            progress: (p: Record<string, unknown>) => {
              clearTimeout(timer);
              timer = setTimeout(expire, options.timeoutMs);
              onprogress(p);
            },
          }
          : {}),
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      const sent = onprogress
        ? { ...params, _meta: { ...(params._meta as object | undefined), progressToken: id } }
        : params;
      this.#transport.send({ jsonrpc: "2.0", id, method, params: sent } as JSONRPCMessage).catch(
        (error) => {
          const pending = this.#pending.get(id);
          if (!pending) return;
          this.#pending.delete(id);
          pending.reject(error);
        },
      );
    });
  }

  #settle(pending: Pending, message: Record<string, unknown>): void {
    const error = message.error as { code?: unknown; message?: unknown; data?: unknown } | null;
    if ("result" in message) {
      const result = message.result;
      if (result !== null && typeof result === "object" && !Array.isArray(result)) {
        pending.resolve(result as Record<string, unknown>);
      } else {
        pending.reject(
          new SdkError(SdkErrorCode.InvalidResult, "Invalid result: the result must be an object"),
        );
      }
      return;
    }
    if (error && typeof error === "object" && typeof error.code === "number") {
      pending.reject(
        ProtocolError.fromError(error.code, String(error.message ?? ""), error.data),
      );
      return;
    }
    pending.reject(new ProtocolError(-32603, "Invalid JSON-RPC response from the server"));
  }
}
