/**
 * @module 2026 client → router → 2025-era server: the server's sampling, elicitation and roots
 * requests become input_required rounds to the client, and its retries answer them; bad, foreign
 * and reused states are refused with the one `-32602`; unanswered calls are abandoned.
 */
import assert from "node:assert/strict";
import {
  callRound,
  downstreamErrors,
  firstText,
  modernClient,
  startLegacyHarness,
} from "./legacy_harness.ts";

const STATE_ERROR = /Invalid or expired requestState/;

Deno.test("legacy bridge - one round: sampling answered by the 2026 client's handler", async () => {
  const h = await startLegacyHarness();
  const { client, answers } = await modernClient(h.url, "alice", true);
  try {
    assert.equal(client.getProtocolEra(), "modern");
    assert.equal(firstText(await client.callTool({ name: "sample", arguments: {} })), "sampled 4");
    assert.deepEqual(answers.asked, ["sampling"]);
    assert.equal(
      firstText(await client.callTool({ name: "roots", arguments: {} })),
      "roots file:///w",
    );
    assert.equal(
      firstText(await client.callTool({ name: "plain", arguments: {} })),
      "plain result",
    );
    assert.equal(h.bridge.pendingCount(), 0);
  } finally {
    await client.close();
    await h.close();
  }
});

Deno.test("legacy bridge - multiple rounds: elicitation, then sampling", async () => {
  const h = await startLegacyHarness();
  const { client, answers } = await modernClient(h.url, "alice", true);
  try {
    const r = await client.callTool({ name: "two_rounds", arguments: {} });
    assert.equal(firstText(r), "accept:Ada then 4");
    assert.deepEqual(answers.asked, ["elicitation", "sampling"]);
    assert.equal(h.bridge.pendingCount(), 0);
  } finally {
    await client.close();
    await h.close();
  }
});

Deno.test("legacy bridge - two concurrent downstream requests become two inputRequests keys", async () => {
  const h = await startLegacyHarness();
  const { client } = await modernClient(h.url, "alice", false);
  try {
    const r1 = await callRound(client, "both");
    assert.equal(r1.resultType, "input_required");
    const requests = r1.inputRequests as Record<string, { method: string; params: unknown }>;
    const byMethod = Object.fromEntries(Object.entries(requests).map(([k, v]) => [v.method, k]));
    assert.deepEqual(Object.keys(byMethod).sort(), [
      "elicitation/create",
      "sampling/createMessage",
    ]);
    const elicit = requests[byMethod["elicitation/create"]].params as Record<string, unknown>;
    assert.equal(elicit.mode, "form");
    assert.equal(elicit.message, "Your name?");
    assert.equal(h.bridge.pendingCount("alice"), 1);
    const r2 = await callRound(client, "both", {
      requestState: r1.requestState,
      inputResponses: {
        [byMethod["sampling/createMessage"]]: {
          model: "m",
          role: "assistant",
          content: { type: "text", text: "four" },
        },
        [byMethod["elicitation/create"]]: { action: "accept", content: { name: "Bo" } },
      },
    });
    assert.equal(firstText(r2), "both four accept:Bo");
    assert.equal(h.bridge.pendingCount(), 0);
  } finally {
    await client.close();
    await h.close();
  }
});

Deno.test("legacy bridge - forged, reused and other-principal states are refused alike", async () => {
  const h = await startLegacyHarness();
  const alice = await modernClient(h.url, "alice", false);
  const bob = await modernClient(h.url, "bob", false);
  try {
    const r1 = await callRound(alice.client, "sample");
    assert.equal(r1.resultType, "input_required");
    const [key] = Object.keys(r1.inputRequests as object);
    const answer = {
      [key]: { model: "m", role: "assistant", content: { type: "text", text: "4" } },
    };
    const state = r1.requestState as string;
    // forged (a MAC character changed — not the last, whose low bits are base64 padding), and a
    // state this router never minted
    const at = state.length - 3;
    const forged = state.slice(0, at) + (state[at] === "A" ? "B" : "A") + state.slice(at + 1);
    for (const bad of [forged, "mcpr.v1.e30.AAAA", "not-a-state"]) {
      await assert.rejects(
        callRound(alice.client, "sample", { requestState: bad, inputResponses: answer }),
        STATE_ERROR,
      );
    }
    // cross-principal replay: bob echoes alice's state
    await assert.rejects(
      callRound(bob.client, "sample", { requestState: state, inputResponses: answer }),
      STATE_ERROR,
    );
    // same principal, other tool
    await assert.rejects(
      callRound(alice.client, "roots", { requestState: state, inputResponses: answer }),
      STATE_ERROR,
    );
    // the refusals did not burn alice's state; once used, it is gone
    const done = await callRound(alice.client, "sample", {
      requestState: state,
      inputResponses: answer,
    });
    assert.equal(firstText(done), "sampled 4");
    await assert.rejects(
      callRound(alice.client, "sample", { requestState: state, inputResponses: answer }),
      STATE_ERROR,
    );
  } finally {
    await alice.client.close();
    await bob.client.close();
    await h.close();
  }
});

Deno.test("legacy bridge - an expired state is refused", async () => {
  const h = await startLegacyHarness({ stateTtlSeconds: -1 });
  const { client } = await modernClient(h.url, "alice", false);
  try {
    const r1 = await callRound(client, "elicit_or_fail");
    assert.equal(r1.resultType, "input_required");
    const [key] = Object.keys(r1.inputRequests as object);
    await assert.rejects(
      callRound(client, "elicit_or_fail", {
        requestState: r1.requestState,
        inputResponses: { [key]: { action: "decline" } },
      }),
      STATE_ERROR,
    );
  } finally {
    await client.close();
    await h.close();
  }
});

Deno.test("legacy bridge - a call nobody retries is abandoned after the timeout", async () => {
  downstreamErrors.length = 0;
  const h = await startLegacyHarness({ timeoutMs: 150 });
  const { client } = await modernClient(h.url, "alice", false);
  try {
    const r1 = await callRound(client, "elicit_or_fail");
    assert.equal(r1.resultType, "input_required");
    assert.equal(h.bridge.pendingCount("alice"), 1);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(h.bridge.pendingCount(), 0);
    assert.equal(downstreamErrors.length, 1, "the downstream's elicitation got an error");
    const [key] = Object.keys(r1.inputRequests as object);
    await assert.rejects(
      callRound(client, "elicit_or_fail", {
        requestState: r1.requestState,
        inputResponses: { [key]: { action: "accept", content: { name: "late" } } },
      }),
      STATE_ERROR,
    );
  } finally {
    await client.close();
    await h.close();
  }
});

Deno.test("legacy bridge - past the per-principal bound the downstream's request is refused", async () => {
  downstreamErrors.length = 0;
  const h = await startLegacyHarness({ maxPendingPerPrincipal: 1 });
  const alice = await modernClient(h.url, "alice", false);
  const bob = await modernClient(h.url, "bob", false);
  try {
    const first = await callRound(alice.client, "elicit_or_fail");
    assert.equal(first.resultType, "input_required");
    const second = await callRound(alice.client, "elicit_or_fail");
    assert.equal(second.isError, true);
    assert.match(firstText(second), /too many calls awaiting client input/);
    // another principal is not affected
    const other = await callRound(bob.client, "elicit_or_fail");
    assert.equal(other.resultType, "input_required");
    assert.equal(h.bridge.pendingCount("alice"), 1);
    assert.equal(h.bridge.pendingCount("bob"), 1);
  } finally {
    await alice.client.close();
    await bob.client.close();
    await h.close();
  }
});

Deno.test("legacy bridge - a downstream request the 2026 client cannot answer is refused at once", async () => {
  const h = await startLegacyHarness();
  const { client } = await modernClient(h.url, "alice", false, { sampling: {} });
  try {
    const r = await callRound(client, "elicit_or_fail");
    assert.equal(r.isError, true);
    assert.match(firstText(r), /did not declare the elicitation capability/);
    assert.equal(h.bridge.pendingCount(), 0);
  } finally {
    await client.close();
    await h.close();
  }
});
