/**
 * @module One call of a 2026 client to a 2025-era downstream, while it waits for client input.
 *
 * Design: the call runs downstream in the background. Each server→client request the downstream
 * sends during it (sampling, elicitation, roots) is parked here as an outstanding request with a
 * key (`sampling_1`, `elicitation_2`, …). {@link BridgedCall.nextRound} waits until the call either
 * settles (its result is returned) or has outstanding requests; requests arriving within
 * `gatherMs` of the first are presented together, so concurrent downstream requests become several
 * `inputRequests` keys of one round. {@link BridgedCall.answer} resolves the outstanding requests
 * the client answered; unanswered keys are asked again in the next round. {@link BridgedCall.abandon}
 * answers every outstanding request with an error and aborts the call. The round number makes each
 * minted requestState single-use.
 */
import { ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";
import { z } from "zod";
import { createLogger } from "../../../runtime/foundation/log.ts";

const logger = createLogger("mcp.bridge.legacy");

/** The server→client requests a 2025-era downstream may send during a call. */
export type BridgedMethod = "sampling/createMessage" | "elicitation/create" | "roots/list";

/** A JSON object (request params, results). */
export type JsonObject = Record<string, unknown>;

/** One embedded request of an `input_required` result. */
export interface InputRequest {
  method: BridgedMethod;
  params: JsonObject;
}

/** What a round ends with: the call's final result, or the requests the client must answer. */
export type RoundOutcome =
  | { kind: "complete"; result: JsonObject }
  | { kind: "input_required"; inputRequests: Record<string, InputRequest> };

/** Client capabilities as far as the bridge looks at them. */
export interface BridgeClientCapabilities {
  sampling?: unknown;
  elicitation?: { form?: unknown; url?: unknown } | Record<string, unknown>;
  roots?: unknown;
}

interface Outstanding {
  request: InputRequest;
  resolve(result: JsonObject): void;
  reject(error: Error): void;
}

const KEY_PREFIX: Record<BridgedMethod, string> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

const JsonObjectSchema = z.record(z.string(), z.unknown());

/** The capability a 2026 client must have declared for `method`, or undefined when it has. */
export function missingCapability(
  caps: BridgeClientCapabilities | undefined,
  method: BridgedMethod,
  params: JsonObject,
): string | undefined {
  if (caps === undefined) return undefined;
  if (method === "sampling/createMessage") return caps.sampling ? undefined : "sampling";
  if (method === "roots/list") return caps.roots ? undefined : "roots";
  if (!caps.elicitation) return "elicitation";
  if (params.mode === "url") {
    return (caps.elicitation as { url?: unknown }).url ? undefined : "elicitation.url";
  }
  return undefined;
}

/** 2025 request params as a 2026 embedded request: no `_meta`/`task`, elicitation mode explicit. */
export function toInputRequest(
  method: BridgedMethod,
  params: JsonObject | undefined,
): InputRequest {
  const { _meta: _m, task: _t, ...rest } = params ?? {};
  if (method === "elicitation/create" && rest.mode === undefined) rest.mode = "form";
  return { method, params: rest };
}

/** The state of one bridged call between rounds (see the module doc). */
export class BridgedCall {
  readonly #outstanding = new Map<string, Outstanding>();
  readonly #abort = new AbortController();
  #seq = 0;
  #settled?: { result: JsonObject } | { error: unknown };
  #wake?: () => void;
  #done = false;
  /** The round the next valid requestState must name. */
  round = 0;
  /** True while a round's input_required is out with the client (a retry is acceptable). */
  awaitingClient = false;

  /**
   * @param id unique id of the call
   * @param principal who started it
   * @param bindingKey method + name of the request (retries must match)
   * @param caps the 2026 client's declared capabilities (undefined: not checked here)
   * @param gatherMs how long to wait for concurrent downstream requests after the first
   */
  constructor(
    readonly id: string,
    readonly principal: string,
    readonly bindingKey: string,
    readonly caps: BridgeClientCapabilities | undefined,
    readonly gatherMs: number,
  ) {}

  /** Aborted when the call is abandoned; pass it to the downstream request. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Start the downstream call. */
  run(task: () => Promise<JsonObject>): void {
    task().then(
      (result) => this.#settle({ result }),
      (error) => this.#settle({ error }),
    );
  }

  /**
   * What the downstream connection's request handler delegates to during this call.
   * @param signal the downstream request's own abort signal (it cancelled: the key is dropped)
   */
  handle(
    method: BridgedMethod,
    params: JsonObject | undefined,
    signal?: AbortSignal,
  ): Promise<JsonObject> {
    if (this.#done) {
      return Promise.reject(
        new ProtocolError(ProtocolErrorCode.InvalidRequest, "the call is no longer active"),
      );
    }
    const request = toInputRequest(method, params);
    const missing = missingCapability(this.caps, method, request.params);
    if (missing) {
      return Promise.reject(
        new ProtocolError(
          ProtocolErrorCode.InvalidRequest,
          `the client did not declare the ${missing} capability`,
        ),
      );
    }
    return new Promise<JsonObject>((resolve, reject) => {
      const key = `${KEY_PREFIX[method]}_${++this.#seq}`;
      this.#outstanding.set(key, { request, resolve, reject });
      signal?.addEventListener("abort", () => {
        if (this.#outstanding.delete(key)) reject(new Error("cancelled by the server"));
      }, { once: true });
      this.#notify();
    });
  }

  /** Wait for the call's result or its next set of outstanding requests. */
  async nextRound(): Promise<RoundOutcome> {
    while (!this.#settled && this.#outstanding.size === 0) {
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    if (!this.#settled && this.gatherMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.gatherMs));
    }
    if (this.#settled) {
      this.#finish(new ProtocolError(ProtocolErrorCode.InvalidRequest, "the call has finished"));
      if ("error" in this.#settled) throw this.#settled.error;
      return { kind: "complete", result: this.#settled.result };
    }
    const inputRequests: Record<string, InputRequest> = {};
    for (const [key, o] of this.#outstanding) inputRequests[key] = o.request;
    return { kind: "input_required", inputRequests };
  }

  /** Answer the outstanding requests named in `responses`; returns how many were answered. */
  answer(responses: Record<string, unknown> | undefined): number {
    let answered = 0;
    for (const [key, value] of Object.entries(responses ?? {})) {
      const o = this.#outstanding.get(key);
      if (!o) continue;
      this.#outstanding.delete(key);
      answered++;
      const parsed = JsonObjectSchema.safeParse(value);
      if (parsed.success) o.resolve(parsed.data);
      else o.reject(new ProtocolError(ProtocolErrorCode.InvalidParams, "invalid client response"));
    }
    return answered;
  }

  /** Fail every outstanding request with `reason` (e.g. over the pending bound); the call goes on. */
  refuseOutstanding(reason: string): void {
    const error = new ProtocolError(ProtocolErrorCode.InvalidRequest, reason);
    for (const o of this.#outstanding.values()) o.reject(error);
    this.#outstanding.clear();
  }

  /** Give the call up: fail its outstanding requests and abort the downstream call. */
  abandon(reason = "the client did not answer in time"): void {
    logger.info("bridged call abandoned", { call: this.id, principal: this.principal, reason });
    this.#finish(new ProtocolError(ProtocolErrorCode.InternalError, reason));
    this.#abort.abort(new Error(reason));
  }

  #finish(error: Error): void {
    this.#done = true;
    this.awaitingClient = false;
    for (const o of this.#outstanding.values()) o.reject(error);
    this.#outstanding.clear();
  }

  #settle(outcome: { result: JsonObject } | { error: unknown }): void {
    this.#settled ??= outcome;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
