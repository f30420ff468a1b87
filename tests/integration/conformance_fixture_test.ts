/**
 * @module Integration tests for the MCP conformance fixture: the official conformance suite run
 * over HTTP against the fixture must pass every scenario not listed as an expected failure (0.1.16
 * `--suite all`) and every non-pending scenario of `--requirements 2026-07-28` and `2025-11-25`
 * (0.2.0-alpha.12, tasks extension included); the same fixture must work over stdio for a 2025
 * client (v1 SDK) and a 2026 client (SDK v2, pinned to 2026-07-28).
 */

import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Client as ClientV2 } from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioClientTransportV2 } from "@modelcontextprotocol/client/stdio";
import { readExpectedFailures, runConformance, sumChecks } from "../conformance_runner.ts";

const FIXTURE = new URL("../fixtures/conformance_server.ts", import.meta.url).pathname;
const EXPECTED_FAILURES = new URL("../fixtures/conformance_expected_failures.txt", import.meta.url);
const TOTAL_SCENARIOS = 32; // `conformance list --server` for 0.1.16

/** Spawn the fixture over HTTP on port 0 and wait for its `{"url":…}` line. */
async function startHttpFixture(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", FIXTURE, "--http", "--port", "0"],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const deadline = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    while (!buffered.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`fixture exited before listening: ${buffered}`);
      buffered += value;
    }
  } finally {
    clearTimeout(deadline);
  }
  const { url } = JSON.parse(buffered.slice(0, buffered.indexOf("\n")));
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
    },
  };
}

Deno.test("Conformance fixture - official suite passes over HTTP", async () => {
  const expected = await readExpectedFailures(EXPECTED_FAILURES);
  const fixture = await startHttpFixture();
  try {
    const result = await runConformance(fixture.url, { suite: "all", timeoutMs: 240_000 });
    const failing = result.scenarios.filter((s) => !s.ok);
    const report = failing.map((s) => `${s.name}: ${s.detail ?? ""}`).join("\n");
    assert.equal(result.timedOut, false, "suite timed out");
    assert.equal(result.scenarios.length, TOTAL_SCENARIOS, result.stdout.slice(-3000));
    assert.equal(result.passed, TOTAL_SCENARIOS - expected.length, report);
    assert.deepEqual(failing.map((s) => s.name).sort(), [...expected].sort(), report);
  } finally {
    await fixture.stop();
  }
});

Deno.test("Conformance fixture - serves tools, resources and prompts over stdio", async () => {
  const client = new Client({ name: "fixture-stdio-test", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: Deno.execPath(),
      args: ["run", "-A", FIXTURE],
      stderr: "inherit",
    }),
  );
  try {
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === "test_simple_text"));
    const schemaTool = tools.find((t) => t.name === "json_schema_2020_12_tool");
    assert.equal(schemaTool?.inputSchema.$schema, "https://json-schema.org/draft/2020-12/schema");
    const result = await client.callTool({ name: "test_simple_text", arguments: {} });
    assert.deepEqual(result.content, [{
      type: "text",
      text: "This is a simple text response for testing.",
    }]);
    const structured = await client.callTool({
      name: "test_structured_output",
      arguments: { a: 2, b: 3 },
    });
    assert.deepEqual(structured.structuredContent, { sum: 5 });
    const resource = await client.readResource({ uri: "test://template/7/data" });
    assert.ok(JSON.stringify(resource.contents).includes("Data for ID: 7"));
    const prompt = await client.getPrompt({
      name: "test_prompt_with_arguments",
      arguments: { arg1: "a", arg2: "b" },
    });
    assert.equal(prompt.messages.length, 1);
    const error = await client.callTool({ name: "test_error_handling", arguments: {} });
    assert.equal(error.isError, true);
  } finally {
    await client.close();
  }
});

for (const revision of ["2026-07-28", "2025-11-25"]) {
  Deno.test(`Conformance fixture - --requirements ${revision}: every non-pending scenario passes`, async () => {
    const fixture = await startHttpFixture();
    try {
      const result = await runConformance(fixture.url, {
        requirements: revision,
        timeoutMs: 240_000,
      });
      const failing = result.scenarios.filter((s) => !s.ok && s.unscored !== "pending");
      const pendingFailing = result.scenarios.filter((s) => !s.ok && s.unscored === "pending");
      console.log(
        `conformance ${revision} against the fixture: ${result.passed}/${result.scenarios.length}` +
          ` scenarios; checks ${sumChecks(result.scenarios, "checksPassed")} passed,` +
          ` ${sumChecks(result.scenarios, "checksFailed")} failed (scored:` +
          ` ${result.scoredChecks.passed} passed, ${result.scoredChecks.failed} failed); pending failing: ` +
          (pendingFailing.map((s) => s.name).join(", ") || "none"),
      );
      assert.equal(result.timedOut, false, "suite timed out");
      assert.ok(result.scenarios.length > 0, result.stdout.slice(-3000) + result.stderr);
      assert.deepEqual(failing.map((s) => `${s.name}: ${s.detail ?? ""}`), []);
      assert.equal(result.scoredChecks.failed, 0);
      if (revision === "2026-07-28") {
        assert.ok(result.scenarios.some((s) => s.unscored === "extension" && s.ok));
      }
    } finally {
      await fixture.stop();
    }
  });
}

Deno.test("Conformance fixture - a 2026-07-28 client is served statelessly over stdio", async () => {
  const client = new ClientV2({ name: "fixture-stdio-2026", version: "1.0.0" }, {
    versionNegotiation: { mode: { pin: "2026-07-28" } },
  });
  await client.connect(
    new StdioClientTransportV2({
      command: Deno.execPath(),
      args: ["run", "-A", FIXTURE],
      stderr: "inherit",
    }),
  );
  try {
    assert.equal(client.getProtocolEra(), "modern");
    assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === "test_input_required_result_elicitation"));
    const result = await client.callTool({ name: "test_simple_text", arguments: {} });
    assert.deepEqual(result.content, [{
      type: "text",
      text: "This is a simple text response for testing.",
    }]);
  } finally {
    await client.close();
  }
});
