/**
 * @module Bridge for a 2025 client using a 2026-era downstream server (MCP 2025-11-25 ← 2026-07-28).
 *
 * Design: the router calls the 2026 downstream with a v2 `Client` in manual mode
 * (`inputRequired: { autoFulfill: false }` on the client, `allowInputRequired: true` per call), so an
 * `input_required` result reaches the router instead of being fulfilled by the client's own
 * handlers. {@link bridgeModernCall} turns each embedded request into a real server→client request
 * to the upstream 2025 client through `askUpstream` (all of a round's requests concurrently), then
 * retries downstream with the answers in `inputResponses` and the `requestState` echoed byte for
 * byte, until the downstream returns a final result or `maxRounds` is reached. An embedded request
 * for a capability the 2025 client did not declare at initialize is not sent: a tool call gets an
 * `isError` result naming the capability; prompts/resources get a `-32021`
 * MissingRequiredClientCapability error. If the router's 2025 leg is itself an SDK v2 `Server`, the
 * SDK's legacy shim can do the same job when the handler returns the downstream's `input_required`
 * result unchanged; this module is the explicit, SDK-independent path.
 */
import {
  type ClientCapabilities,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
} from "@modelcontextprotocol/server";
import { z } from "zod";

/** A JSON object (request params, results). */
type JsonObject = Record<string, unknown>;

/** The upstream client's capabilities as far as the bridge looks (v1 and v2 shapes both fit). */
export interface UpstreamClientCapabilities {
  sampling?: unknown;
  elicitation?: unknown;
  roots?: unknown;
}

/** The retry fields a downstream round carries after the first. */
export interface ModernRetry {
  inputResponses: Record<string, JsonObject>;
  requestState?: string;
}

/** Arguments of {@link bridgeModernCall}. */
export interface ModernCallArgs {
  /** `tools/call` results become `isError` results on failure; other kinds raise errors. */
  kind: "tool" | "prompt" | "resource";
  /**
   * One downstream round: the original request plus `retry` (absent on the first round), sent with
   * `allowInputRequired: true`; resolves with the raw result (final or input_required).
   */
  call(retry: ModernRetry | undefined): Promise<JsonObject>;
  /** Send a server→client request to the upstream 2025 client; resolves with its result. */
  askUpstream(method: string, params: JsonObject): Promise<JsonObject>;
  /** What the upstream client declared at initialize (undefined: nothing declared). */
  clientCapabilities: UpstreamClientCapabilities | undefined;
  /** Rounds before giving up (default 8). */
  maxRounds?: number;
}

const InputRequestSchema = z.object({
  method: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
});
const InputRequiredSchema = z.object({
  resultType: z.literal("input_required"),
  inputRequests: z.record(z.string(), InputRequestSchema).optional(),
  requestState: z.string().optional(),
});

/** The capability `method` needs of a 2025 client (undefined when it has it), as a path and shape. */
export function missingUpstreamCapability(
  caps: UpstreamClientCapabilities | undefined,
  method: string,
  params: JsonObject,
): { name: string; required: ClientCapabilities } | undefined {
  if (method === "sampling/createMessage") {
    return caps?.sampling ? undefined : { name: "sampling", required: { sampling: {} } };
  }
  if (method === "roots/list") {
    return caps?.roots ? undefined : { name: "roots", required: { roots: {} } };
  }
  if (method === "elicitation/create") {
    const elicitation = caps?.elicitation as { form?: unknown; url?: unknown } | undefined;
    if (!elicitation) return { name: "elicitation", required: { elicitation: {} } };
    if (params.mode === "url" && !elicitation.url) {
      return { name: "elicitation.url", required: { elicitation: { url: {} } } };
    }
    return undefined;
  }
  return { name: method, required: {} };
}

function failure(kind: ModernCallArgs["kind"], error: ProtocolError): JsonObject {
  if (kind !== "tool") throw error;
  return { content: [{ type: "text", text: error.message }], isError: true };
}

/**
 * Run one call against a 2026 downstream for a 2025 client, fulfilling `input_required` rounds
 * through the upstream client. Resolves with the final result (never an input_required one).
 */
export async function bridgeModernCall(args: ModernCallArgs): Promise<JsonObject> {
  const maxRounds = args.maxRounds ?? 8;
  let result = await args.call(undefined);
  for (let round = 0;; round++) {
    const parsed = InputRequiredSchema.safeParse(result);
    if (!parsed.success) {
      if (result.resultType === "input_required") {
        return failure(
          args.kind,
          new ProtocolError(ProtocolErrorCode.InternalError, "malformed input_required result"),
        );
      }
      return result;
    }
    if (round >= maxRounds) {
      return failure(
        args.kind,
        new ProtocolError(
          ProtocolErrorCode.InternalError,
          `the server asked for client input more than ${maxRounds} times`,
        ),
      );
    }
    const requests = Object.entries(parsed.data.inputRequests ?? {});
    for (const [, req] of requests) {
      const missing = missingUpstreamCapability(
        args.clientCapabilities,
        req.method,
        req.params ?? {},
      );
      if (missing) {
        return failure(
          args.kind,
          new MissingRequiredClientCapabilityError(
            { requiredCapabilities: missing.required },
            `the server needs the client capability ${missing.name}, which the client did not declare`,
          ),
        );
      }
    }
    const answers = await Promise.all(
      requests.map(async (
        [key, req],
      ) => [key, await args.askUpstream(req.method, req.params ?? {})]),
    );
    const retry: ModernRetry = { inputResponses: Object.fromEntries(answers) };
    if (parsed.data.requestState !== undefined) retry.requestState = parsed.data.requestState;
    result = await args.call(retry);
  }
}
