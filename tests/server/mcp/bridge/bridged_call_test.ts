/**
 * @module The legacy bridge with a scripted downstream (no SDK): failures before any input,
 * unanswered keys asked again, requests the downstream cancels dropped, malformed answers refused.
 */
import assert from "node:assert/strict";
import {
  type DownstreamRequestHandlers,
  type JsonObject,
  LegacyServerBridge,
} from "../../../../server/mcp/bridge/legacy_server_bridge.ts";

const binding = { principal: "alice", method: "tools/call", name: "t" };
type Ir = { resultType: string; inputRequests: Record<string, unknown>; requestState: string };

Deno.test("bridged call - a call that fails before asking anything rejects start", async () => {
  const bridge = new LegacyServerBridge({ gatherMs: 0 });
  await assert.rejects(
    bridge.start({ binding, run: () => Promise.reject(new Error("downstream down")) }),
    /downstream down/,
  );
  assert.equal(bridge.pendingCount(), 0);
});

Deno.test("bridged call - an unanswered key is asked again; a malformed answer fails that request", async () => {
  const bridge = new LegacyServerBridge({ gatherMs: 5 });
  const seen: string[] = [];
  const run = async ({ handlers }: { handlers: DownstreamRequestHandlers }) => {
    const a = handlers.handle("roots/list", {}).then(() => "a ok", (e) => `a ${e.message}`);
    const b = handlers.handle("sampling/createMessage", { _meta: { progressToken: 1 }, task: {} })
      .then((r) => `b ${(r as { model: string }).model}`);
    seen.push(...await Promise.all([a, b]));
    return { content: [] } as JsonObject;
  };
  const r1 = await bridge.start({ binding, run }) as Ir;
  assert.deepEqual(Object.keys(r1.inputRequests).sort(), ["roots_1", "sampling_2"]);
  assert.deepEqual(r1.inputRequests.sampling_2, { method: "sampling/createMessage", params: {} });
  const r2 = await bridge.resume({
    binding,
    requestState: r1.requestState,
    inputResponses: { roots_1: "not an object" },
  }) as Ir;
  assert.equal(r2.resultType, "input_required");
  assert.deepEqual(Object.keys(r2.inputRequests), ["sampling_2"]);
  assert.notEqual(r2.requestState, r1.requestState);
  const done = await bridge.resume({
    binding,
    requestState: r2.requestState,
    inputResponses: { sampling_2: { model: "m" } },
  });
  assert.deepEqual(done, { content: [] });
  assert.deepEqual(seen, ["a invalid client response", "b m"]);
  assert.equal(bridge.pendingCount(), 0);
});

Deno.test("bridged call - a request the downstream cancels is dropped", async () => {
  const bridge = new LegacyServerBridge({ gatherMs: 5 });
  const cancel = new AbortController();
  let finish!: () => void;
  const run = async ({ handlers }: { handlers: DownstreamRequestHandlers }) => {
    const dropped = handlers.handle("elicitation/create", { message: "x" }, cancel.signal)
      .catch((e) => e.message);
    await new Promise<void>((r) => finish = r);
    return { content: [{ type: "text", text: await dropped }] } as JsonObject;
  };
  const r1 = await bridge.start({ binding, run }) as Ir;
  assert.deepEqual(Object.keys(r1.inputRequests), ["elicitation_1"]);
  cancel.abort();
  const next = bridge.resume({ binding, requestState: r1.requestState, inputResponses: {} });
  setTimeout(() => finish(), 20);
  assert.deepEqual(await next, {
    content: [{ type: "text", text: "cancelled by the server" }],
  });
});

Deno.test("bridged call - a cancelled upstream request abandons the call", async () => {
  const bridge = new LegacyServerBridge({ gatherMs: 5 });
  const upstream = new AbortController();
  let downstreamAborted = false;
  const run = ({ signal }: { signal: AbortSignal }) =>
    new Promise<JsonObject>((_resolve, reject) => {
      signal.addEventListener("abort", () => {
        downstreamAborted = true;
        reject(new Error("aborted downstream"));
      });
    });
  const started = bridge.start({ binding, run, signal: upstream.signal });
  setTimeout(() => upstream.abort(), 10);
  await assert.rejects(started, /aborted downstream/);
  assert.ok(downstreamAborted);
  assert.equal(bridge.pendingCount(), 0);
});
