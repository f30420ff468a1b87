/**
 * @module The router's requestState: round-trips its payload for the same principal and request;
 * missing, forged, expired and foreign states all get the one `-32602` error, saying nothing more.
 */
import assert from "node:assert/strict";
import { ProtocolError } from "@modelcontextprotocol/server";
import {
  INVALID_STATE_MESSAGE,
  isInvalidRequestStateError,
  RequestStateSealer,
  ROUTER_STATE_PREFIX,
  type StateBinding,
} from "../../../../server/mcp/bridge/request_state.ts";

const alice: StateBinding = { principal: "key-alice", method: "tools/call", name: "deploy" };

async function refusal(p: Promise<unknown>): Promise<ProtocolError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${error}`);
  assert.equal(error.code, -32602);
  assert.equal(error.message.includes(INVALID_STATE_MESSAGE), true);
  assert.deepEqual(error.data, { reason: "invalid_request_state" });
  assert.ok(isInvalidRequestStateError(error));
  return error;
}

Deno.test("request state - round-trips the payload for the same principal and request", async () => {
  const sealer = new RequestStateSealer<{ c: string; r: number }>();
  const state = await sealer.mint({ c: "call-1", r: 2 }, alice);
  assert.ok(state.startsWith(ROUTER_STATE_PREFIX));
  assert.ok(sealer.isRouterState(state));
  assert.equal(state.includes("key-alice"), false, "the principal is not readable in the state");
  assert.deepEqual(await sealer.verify(state, { ...alice }), { c: "call-1", r: 2 });
});

Deno.test("request state - every bad state gets the same error", async () => {
  const sealer = new RequestStateSealer<{ c: string }>();
  const state = await sealer.mint({ c: "call-1" }, alice);
  const messages = new Set<string>();
  const cases: unknown[] = [undefined, "", 42, "v1.abc.def", "mcpr.", "mcpr.v1.x.y"];
  // forged: one body character changed; MAC changed; payload swapped from another state
  const dot = state.lastIndexOf(".");
  const flip = (s: string, i: number) =>
    s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
  cases.push(flip(state, ROUTER_STATE_PREFIX.length + 5), flip(state, dot + 3));
  const other = await sealer.mint({ c: "call-2" }, alice);
  cases.push(other.slice(0, other.lastIndexOf(".")) + state.slice(dot));
  for (const bad of cases) messages.add((await refusal(sealer.verify(bad, alice))).message);
  // another principal, another tool, another method: replay refused
  for (
    const binding of [{ ...alice, principal: "key-bob" }, { ...alice, name: "other" }, {
      ...alice,
      method: "prompts/get",
    }]
  ) messages.add((await refusal(sealer.verify(state, binding))).message);
  // another process (key) refuses it too
  messages.add(
    (await refusal(new RequestStateSealer<{ c: string }>().verify(state, alice))).message,
  );
  assert.equal(messages.size, 1);
});

Deno.test("request state - an expired state is refused", async () => {
  const sealer = new RequestStateSealer<{ c: string }>({ ttlSeconds: -1 });
  const state = await sealer.mint({ c: "call-1" }, alice);
  await refusal(sealer.verify(state, alice));
});

Deno.test("request state - a key shorter than 32 bytes is refused", () => {
  assert.throws(() => new RequestStateSealer({ key: new Uint8Array(16) }), RangeError);
});
