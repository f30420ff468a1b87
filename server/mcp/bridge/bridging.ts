/**
 * @module The router's bridging between protocol generations, per forwarded request
 * (`tools/call`, `prompts/get`, `resources/read`), chosen by the upstream request's era (a
 * 2026-07-28 request carries the `_meta` envelope) and the downstream connection's era:
 *
 * - 2026 client → 2025 server: {@link LegacyServerBridge} — the server's sampling, elicitation and
 *   roots requests become `input_required` results; the retry's `inputResponses` answer them.
 *   While such a call runs, the downstream connection's server→client requests are routed to it
 *   ({@link Bridging.handlerFor}, read by the relay's `bridgeRequest` hook).
 * - 2025 client → 2026 server: {@link bridgeModernCall} — the server's `input_required` rounds
 *   become real server→client requests to the upstream client (when it declared the capability).
 * - 2026 → 2026: the server's `input_required` passes through, its `requestState` wrapped by
 *   {@link PassthroughStates} (bound to the principal, request method and name).
 * - 2025 → 2025: unchanged (the relays ask the upstream client directly).
 *
 * States are verified here, per request, never with a server-wide verify hook. The principal is
 * the request's `authInfo.clientId` (`key:<id>` or `local`, see `stateless_unit.ts`).
 */
import type { Client, RequestOptions } from "@modelcontextprotocol/client";
import {
  CLIENT_CAPABILITIES_META_KEY,
  type Server,
  type ServerContext,
} from "@modelcontextprotocol/server";
import {
  type DownstreamRequestHandlers,
  type InputRequiredResult,
  type JsonObject,
  LegacyServerBridge,
} from "./legacy_server_bridge.ts";
import { bridgeModernCall, type ModernRetry } from "./modern_server_bridge.ts";
import { PassthroughStates } from "./passthrough_state.ts";
import type { StateBinding } from "./request_state.ts";
import { TaskRoutes } from "./task_routes.ts";

export type { ModernRetry };

/** What one downstream round is sent with. */
export interface RoundOptions {
  /** Hand an `input_required` result back instead of fulfilling it (2026 downstreams). */
  allowInputRequired?: boolean;
  /** Cancels the downstream request (a bridged call's own signal; default: the upstream's). */
  signal?: AbortSignal;
  /**
   * `_meta` keys to send downstream: a 2026 client's own declared capabilities on passthrough,
   * so the server asks only for what that client can answer.
   */
  meta?: Record<string, unknown>;
}

/** One forwarded request that may need bridging. */
export interface BridgedRequest {
  /** What kind of request (tool failures become `isError` results). */
  kind: "tool" | "prompt" | "resource";
  /** The upstream method. */
  method: "tools/call" | "prompts/get" | "resources/read";
  /** Tool or prompt name, or resource URI, as the upstream client sent it. */
  name: string;
  /** The upstream request's context. */
  extra: ServerContext;
  /** The upstream SDK server (a 2025 session's declared client capabilities). */
  upstream: Server;
  /** The downstream connection's SDK client. */
  client: Client;
  /** Send one round downstream: the original request plus `retry` (absent on the first). */
  send(retry: ModernRetry | undefined, options: RoundOptions): Promise<JsonObject>;
}

/** Retry fields of an upstream 2026 request, stripped from params before they go downstream. */
export function withoutRetryFields<P extends Record<string, unknown>>(params: P): P {
  const { inputResponses: _i, requestState: _s, ...rest } = params;
  return rest as P;
}

/** `params` for one downstream round: plus the retry fields, with `meta` merged into `_meta`. */
export function downstreamParams<P extends { _meta?: Record<string, unknown> }>(
  params: P,
  round: { retry?: ModernRetry; meta?: Record<string, unknown> },
): P {
  const meta = round.meta ? { _meta: { ...params._meta, ...round.meta } } : {};
  return { ...params, ...round.retry, ...meta };
}

/** The principal of an upstream request (`authInfo.clientId`, else `local`). */
export function principalOfRequest(extra: ServerContext): string {
  return extra.http?.authInfo?.clientId ?? "local";
}

/** Options of {@link Bridging} (tests shorten the timeouts). */
export interface BridgingOptions {
  legacy?: LegacyServerBridge;
  passthrough?: PassthroughStates;
  tasks?: TaskRoutes;
}

/** Process-wide bridging state: pending legacy calls, state keys, active call routing. */
export class Bridging {
  readonly legacy: LegacyServerBridge;
  readonly passthrough: PassthroughStates;
  /** Where the tasks extension's tasks live downstream (see `task_routes.ts`). */
  readonly tasks: TaskRoutes;
  readonly #active = new WeakMap<Client, DownstreamRequestHandlers[]>();

  /** @param options the bridges (defaults: fresh ones with random per-process keys) */
  constructor(options: BridgingOptions = {}) {
    this.legacy = options.legacy ?? new LegacyServerBridge();
    this.passthrough = options.passthrough ?? new PassthroughStates();
    this.tasks = options.tasks ?? new TaskRoutes();
  }

  /**
   * The bridged call that owns server→client requests of downstream `client` right now (the most
   * recent one when several run on one connection), or undefined.
   */
  handlerFor(client: Client): DownstreamRequestHandlers | undefined {
    return this.#active.get(client)?.at(-1);
  }

  /** Forward `req` downstream, bridging the two eras as the module doc says. */
  async run(req: BridgedRequest): Promise<JsonObject> {
    return await this.#run(req) as JsonObject;
  }

  async #run(req: BridgedRequest): Promise<JsonObject | InputRequiredResult> {
    const envelope = req.extra.mcpReq.envelope as Record<string, unknown> | undefined;
    const modernUp = envelope !== undefined;
    const modernDown = req.client.getProtocolEra() === "modern";
    const binding: StateBinding = {
      principal: principalOfRequest(req.extra),
      method: req.method,
      name: req.name,
    };
    const state = modernUp ? req.extra.mcpReq.requestState() : undefined;
    const responses = modernUp
      ? req.extra.mcpReq.inputResponses as Record<string, unknown> | undefined
      : undefined;
    if (modernUp && !modernDown) {
      if (state !== undefined) {
        return await this.legacy.resume({
          binding,
          requestState: state,
          inputResponses: responses,
          signal: req.extra.mcpReq.signal,
        });
      }
      return await this.legacy.start({
        binding,
        clientCapabilities: envelope[CLIENT_CAPABILITIES_META_KEY] as never,
        signal: req.extra.mcpReq.signal,
        run: ({ handlers, signal }) => this.#withHandlers(req, handlers, signal),
      });
    }
    if (modernUp) {
      const inner = await this.passthrough.open(state, binding);
      const retry = inner !== undefined || responses !== undefined
        ? {
          inputResponses: (responses ?? {}) as Record<string, JsonObject>,
          ...(inner !== undefined ? { requestState: inner } : {}),
        }
        : undefined;
      const caps = envelope[CLIENT_CAPABILITIES_META_KEY];
      const meta = caps === undefined ? undefined : { [CLIENT_CAPABILITIES_META_KEY]: caps };
      const result = await req.send(retry, { allowInputRequired: true, meta });
      return await this.passthrough.seal(result, binding);
    }
    if (modernDown) {
      return await bridgeModernCall({
        kind: req.kind,
        clientCapabilities: req.upstream.getClientCapabilities(),
        askUpstream: (method, params) =>
          req.extra.mcpReq.send({ method, params } as never) as Promise<JsonObject>,
        call: (retry) => req.send(retry, { allowInputRequired: true }),
      });
    }
    return await req.send(undefined, {});
  }

  /** Abandon every pending bridged call (shutdown). */
  close(): void {
    this.legacy.close();
  }

  async #withHandlers(
    req: BridgedRequest,
    handlers: DownstreamRequestHandlers,
    signal: AbortSignal,
  ): Promise<JsonObject> {
    const list = this.#active.get(req.client) ?? [];
    list.push(handlers);
    this.#active.set(req.client, list);
    try {
      return await req.send(undefined, { signal });
    } finally {
      list.splice(list.indexOf(handlers), 1);
    }
  }
}

/** Request options of one round: `base` with the round's signal and input_required mode. */
export function roundRequestOptions(
  base: RequestOptions,
  upstreamSignal: AbortSignal,
  round: RoundOptions,
): RequestOptions {
  return {
    ...base,
    signal: round.signal ?? upstreamSignal,
    ...(round.allowInputRequired ? { allowInputRequired: true } : {}),
  };
}
