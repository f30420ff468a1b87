/** @module Downstream requestStates wrapped for the upstream principal: round-trip, replay refused. */
import assert from "node:assert/strict";
import { PassthroughStates } from "../../../../server/mcp/bridge/passthrough_state.ts";

const alice = { principal: "alice", method: "tools/call", name: "deploy" };

Deno.test("passthrough state - wraps and unwraps the downstream's state byte for byte", async () => {
  const states = new PassthroughStates();
  const raw = { resultType: "input_required", inputRequests: {}, requestState: "v1.down.mac" };
  const sealed = await states.seal(raw, alice);
  assert.notEqual(sealed.requestState, raw.requestState);
  assert.deepEqual(sealed.inputRequests, {});
  assert.equal(await states.open(sealed.requestState, alice), "v1.down.mac");
  assert.equal(await states.open(undefined, alice), undefined);
  const complete = { content: [] };
  assert.equal(await states.seal(complete, alice), complete);
});

Deno.test("passthrough state - another principal, a forged or a raw state is refused", async () => {
  const states = new PassthroughStates();
  const sealed = await states.seal({ resultType: "input_required", requestState: "s" }, alice);
  for (
    const [state, binding] of [
      [sealed.requestState, { ...alice, principal: "bob" }],
      [sealed.requestState + "x", alice],
      ["s", alice],
    ] as const
  ) {
    await assert.rejects(states.open(state, binding), /Invalid or expired requestState/);
  }
});
