/**
 * @module 2025 client → router → 2026-era server: the server's input_required rounds become real
 * sampling/elicitation/roots requests to the client, and the answers go back in the retry; a
 * capability the client did not declare is named in the error.
 */
import assert from "node:assert/strict";
import { startModernHarness } from "./modern_harness.ts";

type Text = { content: { type: string; text: string }[]; isError?: boolean };

Deno.test("modern bridge - one round: an elicitation reaches the 2025 client", async () => {
  const h = await startModernHarness();
  try {
    const r = await h.client.callTool({ name: "confirm", arguments: {} }) as Text;
    assert.equal(r.content[0].text, "confirmed accept:Ada");
    assert.deepEqual(h.asked, ["elicitation:form"]);
  } finally {
    await h.close();
  }
});

Deno.test("modern bridge - multiple rounds with the requestState echoed", async () => {
  const h = await startModernHarness();
  try {
    const r = await h.client.callTool({ name: "two_rounds", arguments: {} }) as Text;
    assert.equal(r.isError, undefined, r.content[0].text);
    assert.equal(r.content[0].text, "accept:Ada then 4");
    assert.deepEqual(h.asked, ["elicitation:form", "sampling"]);
  } finally {
    await h.close();
  }
});

Deno.test("modern bridge - two inputRequests in one round are both asked", async () => {
  const h = await startModernHarness();
  try {
    const r = await h.client.callTool({ name: "both", arguments: {} }) as Text;
    assert.equal(r.content[0].text, "both accept:Ada file:///w");
    assert.deepEqual([...h.asked].sort(), ["elicitation:form", "roots"]);
  } finally {
    await h.close();
  }
});

Deno.test("modern bridge - prompts are bridged too", async () => {
  const h = await startModernHarness();
  try {
    const r = await h.client.getPrompt({ name: "greet" });
    assert.deepEqual(r.messages[0].content, { type: "text", text: "Greet Ada" });
  } finally {
    await h.close();
  }
});

Deno.test("modern bridge - a 2025 client without the capability gets an error naming it", async () => {
  const h = await startModernHarness({ sampling: {} });
  try {
    const r = await h.client.callTool({ name: "confirm", arguments: {} }) as Text;
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /client capability elicitation/);
    assert.deepEqual(h.asked, []);
    await assert.rejects(h.client.getPrompt({ name: "greet" }), (e: Error & { code?: number }) => {
      assert.equal(e.code, -32021);
      assert.match(e.message, /elicitation/);
      return true;
    });
  } finally {
    await h.close();
  }
});

Deno.test("modern bridge - rounds past maxRounds end in an error result", async () => {
  const h = await startModernHarness(undefined, 1);
  try {
    const r = await h.client.callTool({ name: "two_rounds", arguments: {} }) as Text;
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /more than 1 times/);
  } finally {
    await h.close();
  }
});
