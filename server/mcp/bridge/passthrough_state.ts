/**
 * @module Binding a 2026 downstream's own `requestState` to the principal that got it.
 *
 * Design: when a 2026 client calls a 2026 server through the router, the server's
 * `input_required` results pass through, but its `requestState` is sealed by the server's key only,
 * and a shared container would accept it from any principal. {@link PassthroughStates.seal} wraps
 * the downstream's state in a router state (HMAC, per-process key, bound to principal + method +
 * name, see {@link RequestStateSealer}); {@link PassthroughStates.open} unwraps it on the retry before
 * the router forwards the retry downstream. A retry whose wrapper is missing, forged, expired or
 * from another principal gets `-32602 "Invalid or expired requestState"`; a result without a
 * requestState passes through unchanged.
 */
import {
  type RequestStateOptions,
  RequestStateSealer,
  type StateBinding,
} from "./request_state.ts";

/** The payload of a wrapped downstream state. */
interface Wrapped {
  /** The downstream's own requestState, byte for byte. */
  s: string;
}

/** Seals downstream requestStates for the upstream client and opens them on retry. */
export class PassthroughStates {
  readonly #sealer: RequestStateSealer<Wrapped>;

  /** @param options key (default: random) and lifetime (default 600 s) */
  constructor(options: RequestStateOptions = {}) {
    this.#sealer = new RequestStateSealer<Wrapped>(options);
  }

  /** `result` with its `requestState` (if any) wrapped for `binding`; other results unchanged. */
  async seal<R extends Record<string, unknown>>(result: R, binding: StateBinding): Promise<R> {
    if (result.resultType !== "input_required" || typeof result.requestState !== "string") {
      return result;
    }
    return {
      ...result,
      requestState: await this.#sealer.mint({ s: result.requestState }, binding),
    };
  }

  /**
   * The downstream's state inside the echoed `state` (undefined when the retry carries none).
   * @throws `-32602 "Invalid or expired requestState"` for a bad, expired or foreign wrapper
   */
  async open(state: unknown, binding: StateBinding): Promise<string | undefined> {
    if (state === undefined) return undefined;
    return (await this.#sealer.verify(state, binding)).s;
  }
}
