/**
 * @module Tamper-proof `requestState` for the router's own `input_required` results (MCP 2026-07-28).
 *
 * Design: the SDK's `createRequestStateCodec` (HMAC-SHA256, signed, not encrypted) seals a small
 * payload (e.g. the id of a pending bridged call) with an expiry. The key is random per process
 * (32 bytes), so a state is only good on the router process that minted it, and a restart voids all
 * states. Each state is bound to a {@link StateBinding} — the principal (API key id or "local"), the
 * method and the tool/prompt/resource name — through the codec's bind tag, so replaying a state under
 * another principal or for another request fails. Router states carry the prefix
 * {@link ROUTER_STATE_PREFIX} so they can be told apart from a downstream server's own states that
 * the router passes through. Every failure (missing, malformed, forged, expired, wrong binding)
 * raises the same `-32602 "Invalid or expired requestState"` error the SDK's verify seam uses, with
 * the same `data`; the reason never reaches the wire. The payload is readable by the client (signed
 * only): never put secrets in it.
 */
import {
  createRequestStateCodec,
  ProtocolError,
  ProtocolErrorCode,
  type RequestStateCodec,
  type ServerContext,
} from "@modelcontextprotocol/server";

/** Prefix of every state this router mints (downstream states never start with it). */
export const ROUTER_STATE_PREFIX = "mcpr.";

/** The message of the one error every bad state gets (same as the SDK's verify seam). */
export const INVALID_STATE_MESSAGE = "Invalid or expired requestState";

/** What a state is bound to: who asked, and for which request. */
export interface StateBinding {
  /** API key id, or "local" for the unauthenticated local principal. */
  principal: string;
  /** The MCP method of the request (`tools/call`, `prompts/get`, `resources/read`). */
  method: string;
  /** Tool or prompt name, or resource URI, as the client sent it. */
  name: string;
}

/** Options of {@link RequestStateSealer}. */
export interface RequestStateOptions {
  /** HMAC key, at least 32 bytes; a fresh random key when absent (the normal case). */
  key?: Uint8Array;
  /** Lifetime of a state in seconds (default 600). */
  ttlSeconds?: number;
}

/** The error for every refused state; identical for all causes so nothing leaks. */
export function invalidRequestStateError(): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, INVALID_STATE_MESSAGE, {
    reason: "invalid_request_state",
  });
}

/** True when `error` is the refused-state error of {@link invalidRequestStateError}. */
export function isInvalidRequestStateError(error: unknown): boolean {
  return error instanceof ProtocolError && error.code === ProtocolErrorCode.InvalidParams &&
    error.message.includes(INVALID_STATE_MESSAGE);
}

/** The codec's bind callback reads the binding from this stand-in for a server context. */
interface BindingCarrier {
  routerBinding: string;
}

function carrier(binding: StateBinding): ServerContext {
  const c: BindingCarrier = {
    routerBinding: JSON.stringify([binding.principal, binding.method, binding.name]),
  };
  // The SDK codec only hands this object back to our own bind callback below.
  return c as unknown as ServerContext;
}

/**
 * Mints and verifies the router's `requestState` strings around a JSON payload `T`.
 * One instance per process (its key is the process key).
 */
export class RequestStateSealer<T> {
  readonly #codec: RequestStateCodec<T>;

  /** @param options key (default: 32 random bytes) and lifetime (default 600 s) */
  constructor(options: RequestStateOptions = {}) {
    this.#codec = createRequestStateCodec<T>({
      key: options.key ?? crypto.getRandomValues(new Uint8Array(32)),
      ttlSeconds: options.ttlSeconds ?? 600,
      bind: (ctx) => (ctx as unknown as BindingCarrier).routerBinding,
    });
  }

  /** Seal `payload` for `binding`; the result goes into `InputRequiredResult.requestState`. */
  async mint(payload: T, binding: StateBinding): Promise<string> {
    return ROUTER_STATE_PREFIX + await this.#codec.mint(payload, carrier(binding));
  }

  /** True when `state` was (by its form) minted by a router, not by a downstream server. */
  isRouterState(state: unknown): state is string {
    return typeof state === "string" && state.startsWith(ROUTER_STATE_PREFIX);
  }

  /**
   * Verify an echoed state against the retry's binding and return its payload.
   * @throws the error of {@link invalidRequestStateError} for any bad, expired or foreign state
   */
  async verify(state: unknown, binding: StateBinding): Promise<T> {
    if (!this.isRouterState(state)) throw invalidRequestStateError();
    try {
      return await this.#codec.verify(state.slice(ROUTER_STATE_PREFIX.length), carrier(binding));
    } catch {
      throw invalidRequestStateError();
    }
  }
}
