/**
 * @module Bridge for a 2026 client using a 2025-era downstream server (MCP 2026-07-28 ← 2025-11-25).
 *
 * Design: a 2025 server asks for sampling, elicitation or roots with real server→client requests
 * in the middle of a `tools/call` (or `prompts/get`, `resources/read`); a 2026 client can only be
 * asked through an `input_required` result. {@link LegacyServerBridge.start} runs the downstream
 * call with request handlers that park each downstream request; when the call has parked requests
 * (concurrent ones gathered into one round) the client gets
 * `{resultType:"input_required", inputRequests:{key:{method,params}}, requestState}` while the
 * downstream call and its requests stay pending. The requestState is sealed by
 * {@link RequestStateSealer}: it names the pending call and the round, and is bound to the principal
 * and the request (method + name). {@link LegacyServerBridge.resume} (the client's retry with
 * `inputResponses` + `requestState`) verifies it, answers the parked requests, and waits again for
 * the final result or the next round. A state that is missing, forged, expired, already used, or
 * from another principal or request gets `-32602 "Invalid or expired requestState"` (same for all).
 * Pending calls are bounded per principal ({@link PendingCalls}); past the bound the downstream's
 * requests are refused with an error and the call goes on. A call whose client never retries is
 * abandoned after `timeoutMs`: its parked requests are answered with an error and the signal given
 * to `run` aborts (cancelling the downstream request). The router routes a downstream connection's
 * requests to the `handlers` of the bridged call in flight on that connection.
 */
import {
  type BridgeClientCapabilities,
  BridgedCall,
  type BridgedMethod,
  type InputRequest,
  type JsonObject,
} from "./bridged_call.ts";
import { createLogger } from "../../../runtime/foundation/log.ts";
import { PendingCalls } from "./pending_calls.ts";
import {
  invalidRequestStateError,
  RequestStateSealer,
  type StateBinding,
} from "./request_state.ts";

const logger = createLogger("mcp.bridge.legacy");

export type { BridgeClientCapabilities, BridgedMethod, InputRequest, JsonObject };

/** The payload sealed in the bridge's requestState. */
export interface BridgeStatePayload {
  /** The pending call's id. */
  c: string;
  /** The round this state answers. */
  r: number;
}

/** The `input_required` result the router returns to the 2026 client. */
export interface InputRequiredResult {
  resultType: "input_required";
  inputRequests: Record<string, InputRequest>;
  requestState: string;
}

/** Request handlers the downstream connection delegates to while this call runs. */
export interface DownstreamRequestHandlers {
  /**
   * Answer one server→client request of the downstream (resolves with the client's answer).
   * Pass the downstream request's abort signal so a request the server cancels is dropped.
   */
  handle(
    method: BridgedMethod,
    params: JsonObject | undefined,
    signal?: AbortSignal,
  ): Promise<JsonObject>;
}

/** What `run` gets: the handlers to install for the call, and the call's abort signal. */
export interface LegacyRunContext {
  handlers: DownstreamRequestHandlers;
  signal: AbortSignal;
}

/** Arguments of {@link LegacyServerBridge.start}. */
export interface StartBridgedCall {
  /** Principal + method + name of the client's request. */
  binding: StateBinding;
  /** The 2026 client's declared capabilities (`_meta` envelope); undefined: not checked here. */
  clientCapabilities?: BridgeClientCapabilities;
  /** Run the call downstream with `handlers` installed; resolves with the downstream's result. */
  run(ctx: LegacyRunContext): Promise<JsonObject>;
  /** The upstream request's signal: when it aborts while the call runs, the call is abandoned. */
  signal?: AbortSignal;
}

/** Arguments of {@link LegacyServerBridge.resume}. */
export interface ResumeBridgedCall {
  /** Principal + method + name of the retry (must equal the original's). */
  binding: StateBinding;
  /** The echoed requestState. */
  requestState: unknown;
  /** The client's answers, by inputRequests key. */
  inputResponses?: Record<string, unknown>;
  /** The upstream request's signal: when it aborts while the call runs, the call is abandoned. */
  signal?: AbortSignal;
}

/** Options of {@link LegacyServerBridge}. */
export interface LegacyServerBridgeOptions {
  /** The state sealer (default: a new one with a random key and `stateTtlSeconds`). */
  states?: RequestStateSealer<BridgeStatePayload>;
  /** Lifetime of a requestState, s (default 600; used only when `states` is absent). */
  stateTtlSeconds?: number;
  /** Pending calls per principal (default 16). */
  maxPendingPerPrincipal?: number;
  /** How long a pending call waits for the client's retry, ms (default 300 000). */
  timeoutMs?: number;
  /** Window to gather concurrent downstream requests into one round, ms (default 20). */
  gatherMs?: number;
  /** Rounds per call before the downstream's further requests are refused (default 32). */
  maxRounds?: number;
}

/** Turns a 2025 downstream's server→client requests into input_required rounds (module doc). */
export class LegacyServerBridge {
  readonly #states: RequestStateSealer<BridgeStatePayload>;
  readonly #pending: PendingCalls<BridgedCall>;
  readonly #gatherMs: number;
  readonly #maxRounds: number;

  /** @param options limits, timeouts and the state sealer */
  constructor(options: LegacyServerBridgeOptions = {}) {
    this.#states = options.states ??
      new RequestStateSealer<BridgeStatePayload>({ ttlSeconds: options.stateTtlSeconds });
    this.#pending = new PendingCalls<BridgedCall>({
      maxPerPrincipal: options.maxPendingPerPrincipal,
      timeoutMs: options.timeoutMs,
    });
    this.#gatherMs = options.gatherMs ?? 20;
    this.#maxRounds = options.maxRounds ?? 32;
  }

  /** True when `state` looks like one of the router's states (then {@link resume} applies). */
  isBridgeState(state: unknown): boolean {
    return this.#states.isRouterState(state);
  }

  /** Pending calls of `principal` (or all). */
  pendingCount(principal?: string): number {
    return this.#pending.count(principal);
  }

  /**
   * Start a bridged call: resolves with the downstream's final result, or with an
   * `input_required` result when the downstream asked for client input.
   * @throws what `run` throws, when the call fails before any input request
   */
  start(args: StartBridgedCall): Promise<JsonObject | InputRequiredResult> {
    const call = new BridgedCall(
      crypto.randomUUID(),
      args.binding.principal,
      bindingKey(args.binding),
      args.clientCapabilities,
      this.#gatherMs,
    );
    const handlers: DownstreamRequestHandlers = {
      handle: (method, params, signal) => call.handle(method, params, signal),
    };
    call.run(() => args.run({ handlers, signal: call.signal }));
    return this.#round(call, args.binding, args.signal);
  }

  /**
   * Serve a retry: answer the pending call's parked requests and wait for the next outcome.
   * @throws `-32602 "Invalid or expired requestState"` for any bad, used or foreign state
   */
  async resume(args: ResumeBridgedCall): Promise<JsonObject | InputRequiredResult> {
    const payload = await this.#states.verify(args.requestState, args.binding);
    const call = this.#pending.get(payload.c);
    if (
      !call || !call.awaitingClient || call.round !== payload.r ||
      call.principal !== args.binding.principal || call.bindingKey !== bindingKey(args.binding)
    ) throw invalidRequestStateError();
    call.awaitingClient = false;
    call.round++;
    this.#pending.disarm(call.id);
    call.answer(args.inputResponses);
    return await this.#round(call, args.binding, args.signal);
  }

  /** Abandon every pending call (router shutdown). */
  close(): void {
    this.#pending.close();
  }

  async #round(
    call: BridgedCall,
    binding: StateBinding,
    signal: AbortSignal | undefined,
  ): Promise<JsonObject | InputRequiredResult> {
    const onAbort = () => {
      this.#pending.delete(call.id);
      call.abandon("the client cancelled the request");
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await this.#nextOutcome(call, binding);
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async #nextOutcome(
    call: BridgedCall,
    binding: StateBinding,
  ): Promise<JsonObject | InputRequiredResult> {
    for (;;) {
      let outcome;
      try {
        outcome = await call.nextRound();
      } catch (error) {
        this.#pending.delete(call.id);
        throw error;
      }
      if (outcome.kind === "complete") {
        this.#pending.delete(call.id);
        return outcome.result;
      }
      if (call.round >= this.#maxRounds) {
        logger.warn("bridged call refused input: too many rounds", { call: call.id });
        call.refuseOutstanding("too many input rounds for one call");
        continue;
      }
      if (!this.#pending.add(call)) {
        logger.warn("bridged call refused input: pending bound", { principal: call.principal });
        call.refuseOutstanding("too many calls awaiting client input for this principal");
        continue;
      }
      const requestState = await this.#states.mint({ c: call.id, r: call.round }, binding);
      call.awaitingClient = true;
      this.#pending.arm(call.id);
      return { resultType: "input_required", inputRequests: outcome.inputRequests, requestState };
    }
  }
}

function bindingKey(b: StateBinding): string {
  return JSON.stringify([b.method, b.name]);
}
