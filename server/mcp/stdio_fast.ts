/**
 * @module The warm call fast path on stdio (`main.ts stdio`): inbound messages the fast path may
 * take (a plain `tools/call`, a `notifications/cancelled`) are offered to it first; the rest go
 * to the SDK server. Messages keep their order: while an offer is being decided, every later
 * message waits behind it, so a cancellation never overtakes the call it cancels.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import { cancelledIdOf, fastCallOf } from "./fast_wire.ts";

/** Offer one message to the fast path; true when it took it. */
export type FastOffer = (message: JSONRPCMessage) => Promise<boolean>;

/** An inbound message router: hands `message` to `deliver` (the SDK server) unless taken. */
export type InboundRouter = (
  message: JSONRPCMessage,
  deliver: (message: JSONRPCMessage) => void,
) => void;

/** Whether the fast path could take `message` (decided by the fast path itself). */
export function isFastCandidate(message: unknown): boolean {
  return fastCallOf(message) !== null || cancelledIdOf(message) !== undefined;
}

/**
 * An inbound router that offers fast-path candidates to `offer`, in order (see module doc).
 * @param offer the session's fast path (a failure counts as not taken)
 */
export function orderedFastInbound(offer: FastOffer): InboundRouter {
  let tail: Promise<void> | null = null;
  let waiting = 0;
  return (message, deliver) => {
    if (tail === null && !isFastCandidate(message)) return deliver(message);
    waiting++;
    tail = (tail ?? Promise.resolve()).then(async () => {
      const taken = isFastCandidate(message) && await offer(message).catch(() => false);
      if (!taken) deliver(message);
    }).finally(() => {
      if (--waiting === 0) tail = null;
    });
  };
}
