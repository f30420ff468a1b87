/**
 * The router's era dispatch (`bridge/bridging.ts`) with stand-in request contexts and clients:
 * 2025 → 2025 is forwarded unchanged, 2026 → 2026 wraps the downstream's state for the principal,
 * 2025 → 2026 asks the upstream client, and the helpers strip / merge round fields.
 */
import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/client";
import type { Server, ServerContext } from "@modelcontextprotocol/server";
import {
  type BridgedRequest,
  Bridging,
  downstreamParams,
  type ModernRetry,
  type RoundOptions,
  withoutRetryFields,
} from "../../../../server/mcp/bridge/bridging.ts";

type JsonObject = Record<string, unknown>;

const CAPS_KEY = "io.modelcontextprotocol/clientCapabilities";

function extra(opts: {
  modern: boolean;
  principal?: string;
  state?: unknown;
  responses?: JsonObject;
  send?: (m: { method: string; params: JsonObject }) => Promise<JsonObject>;
}): ServerContext {
  return {
    http: { authInfo: { token: "", clientId: opts.principal ?? "local", scopes: [] } },
    mcpReq: {
      envelope: opts.modern ? { [CAPS_KEY]: { elicitation: {} } } : undefined,
      requestState: () => opts.state,
      inputResponses: opts.responses,
      signal: new AbortController().signal,
      send: opts.send ?? (() => Promise.reject(new Error("no upstream"))),
    },
  } as unknown as ServerContext;
}

function request(
  ctx: ServerContext,
  era: "modern" | "legacy",
  send: (retry: ModernRetry | undefined, round: RoundOptions) => Promise<JsonObject>,
  caps: JsonObject = {},
): BridgedRequest {
  return {
    kind: "tool",
    method: "tools/call",
    name: "t",
    extra: ctx,
    upstream: { getClientCapabilities: () => caps } as unknown as Server,
    client: { getProtocolEra: () => era } as unknown as Client,
    send,
  };
}

Deno.test("bridging - 2025 → 2025 is forwarded once, unbridged", async () => {
  const rounds: RoundOptions[] = [];
  const b = new Bridging();
  const result = await b.run(request(extra({ modern: false }), "legacy", (_r, round) => {
    rounds.push(round);
    return Promise.resolve({ content: [] });
  }));
  assert.deepEqual(result, { content: [] });
  assert.deepEqual(rounds, [{}]);
  b.close();
});

Deno.test("bridging - 2026 → 2026 wraps the downstream state for its principal", async () => {
  const b = new Bridging();
  const sent: (ModernRetry | undefined)[] = [];
  const metas: unknown[] = [];
  const down = (retry: ModernRetry | undefined, round: RoundOptions) => {
    sent.push(retry);
    metas.push(round.meta);
    assert.equal(round.allowInputRequired, true);
    return Promise.resolve(
      retry
        ? { content: [{ type: "text", text: "done" }] }
        : { resultType: "input_required", inputRequests: {}, requestState: "down-1" },
    );
  };
  const first = await b.run(request(extra({ modern: true, principal: "key:a" }), "modern", down));
  const state = first.requestState as string;
  assert.notEqual(state, "down-1");
  assert.deepEqual(metas[0], { [CAPS_KEY]: { elicitation: {} } }, "the client's own caps");
  await assert.rejects(
    b.run(request(extra({ modern: true, principal: "key:b", state }), "modern", down)),
    /Invalid or expired requestState/,
  );
  const done = await b.run(
    request(
      extra({ modern: true, principal: "key:a", state, responses: { k: {} } }),
      "modern",
      down,
    ),
  );
  assert.deepEqual(done, { content: [{ type: "text", text: "done" }] });
  assert.deepEqual(sent.at(-1), { inputResponses: { k: {} }, requestState: "down-1" });
  b.close();
});

Deno.test("bridging - 2025 → 2026 asks the upstream client", async () => {
  const b = new Bridging();
  const asked: string[] = [];
  const ctx = extra({
    modern: false,
    send: (m) => {
      asked.push(m.method);
      return Promise.resolve({ action: "accept", content: { x: 1 } });
    },
  });
  const down = (retry: ModernRetry | undefined) =>
    Promise.resolve(
      retry ? { content: [{ type: "text", text: JSON.stringify(retry.inputResponses) }] } : {
        resultType: "input_required",
        inputRequests: { q: { method: "elicitation/create", params: { message: "?" } } },
      },
    );
  const result = await b.run(request(ctx, "modern", down, { elicitation: {} }));
  assert.deepEqual(asked, ["elicitation/create"]);
  assert.match(JSON.stringify(result), /accept/);
  b.close();
});

Deno.test("bridging - round helpers strip and merge", () => {
  assert.deepEqual(
    withoutRetryFields({ name: "p", inputResponses: {}, requestState: "s" }),
    { name: "p" },
  );
  assert.deepEqual(
    downstreamParams({ name: "p", _meta: { a: 1 } }, {
      retry: { inputResponses: { k: {} }, requestState: "s" },
      meta: { b: 2 },
    }),
    { name: "p", _meta: { a: 1, b: 2 }, inputResponses: { k: {} }, requestState: "s" },
  );
  const plain: { name: string; _meta?: Record<string, unknown> } = { name: "p" };
  assert.deepEqual(downstreamParams(plain, {}), { name: "p" });
});
