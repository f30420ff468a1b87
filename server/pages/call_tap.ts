/**
 * @module Call tap: watches the JSON-RPC messages between the admin UI's MCP client and its
 * router session (the server side of the in-memory pair) and files them under the UI call they
 * belong to. A request the UI tags with `_meta[UI_CALL_META]` (the tag is taken off before the
 * router sees it) opens a call; its response, the notifications sent about it (progress, logs)
 * and the server→client requests made inside it (elicitation, sampling) with their answers are
 * filed under the same call. That is how an elicitation is tied to the Try-it call that caused
 * it, and what the raw request/response view shows.
 */
import type { JSONRPCMessage, Transport } from "@modelcontextprotocol/client";

/** The `_meta` key the admin UI tags its requests with (never forwarded). */
export const UI_CALL_META = "dev.mcp-router/ui-call";

/** Which way a message went, seen from the admin UI. */
export type TapDirection = "sent" | "received";

/** One message filed under a call. */
export interface TappedMessage {
  direction: TapDirection;
  message: JSONRPCMessage;
}

type Id = string | number;

function field(message: JSONRPCMessage, key: string): unknown {
  return (message as Record<string, unknown>)[key];
}

/** Files the messages of tagged UI requests by call id. */
export class CallTap {
  /** UI request id → call id. */
  readonly #requests = new Map<Id, string>();
  /** Router→UI request id → call id. */
  readonly #serverRequests = new Map<Id, string>();

  /** @param onMessage told of every message that belongs to a call */
  constructor(private readonly onMessage: (callId: string, tapped: TappedMessage) => void) {}

  /** The call a router→UI request (elicitation, sampling) was made in, if known. */
  callOfServerRequest(id: Id): string | undefined {
    return this.#serverRequests.get(id);
  }

  /**
   * Watch `transport` (the router session's side of the pair). Call after the session's server
   * is connected to it (the server sets `onmessage` on connect).
   */
  attach(transport: Transport): void {
    const receive = transport.onmessage;
    transport.onmessage = (message, extra) => {
      receive?.(this.#fromUi(message), extra);
    };
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      this.#toUi(message, options?.relatedRequestId);
      return send(message, options);
    };
  }

  #fromUi(message: JSONRPCMessage): JSONRPCMessage {
    const id = field(message, "id") as Id | undefined;
    const method = field(message, "method");
    if (typeof method === "string") {
      const params = field(message, "params") as Record<string, unknown> | undefined;
      const meta = params?._meta as Record<string, unknown> | undefined;
      const callId = meta?.[UI_CALL_META];
      if (typeof callId !== "string") return message;
      const { [UI_CALL_META]: _tag, ...rest } = meta!;
      const { _meta: _old, ...others } = params!;
      const cleaned = {
        ...message,
        params: Object.keys(rest).length ? { ...others, _meta: rest } : others,
      } as JSONRPCMessage;
      if (id !== undefined) this.#requests.set(id, callId);
      this.onMessage(callId, { direction: "sent", message: cleaned });
      return cleaned;
    }
    if (id !== undefined) {
      const callId = this.#serverRequests.get(id);
      if (callId) {
        this.#serverRequests.delete(id);
        this.onMessage(callId, { direction: "sent", message });
      }
    }
    return message;
  }

  #toUi(message: JSONRPCMessage, related: Id | undefined): void {
    const id = field(message, "id") as Id | undefined;
    const isRequest = typeof field(message, "method") === "string";
    if (!isRequest && id !== undefined) {
      const callId = this.#requests.get(id);
      if (!callId) return;
      this.#requests.delete(id);
      this.onMessage(callId, { direction: "received", message });
      return;
    }
    const callId = related !== undefined ? this.#requests.get(related) : undefined;
    if (!callId) return;
    if (isRequest && id !== undefined) this.#serverRequests.set(id, callId);
    this.onMessage(callId, { direction: "received", message });
  }
}
