/**
 * Bridging through the router's `/mcp` with a 2026-era downstream (the SDK v2 conformance fixture
 * as a remote streamable-HTTP server on loopback, `namespace: none`), keys on:
 * - a 2025 client (v1 SDK `Client`) gets the fixture's `input_required` rounds as real
 *   sampling / elicitation requests, and a tool error naming the capability it did not declare;
 * - a 2026 client gets the fixture's `input_required` passed through with the requestState
 *   wrapped for its principal: another API key's replay is refused, its own retry completes.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport as V1Transport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  type ClientCapabilities as V1Capabilities,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { ROUTER_STATE_PREFIX } from "../../server/mcp/bridge/request_state.ts";
import { addTestedRemote, quietLogs, serveRouterInProcess, withTmpDir } from "../helpers.ts";

type JsonObject = Record<string, unknown>;

function text(result: JsonObject): string {
  return ((result.content ?? []) as { text?: string }[]).map((c) => c.text ?? "").join("\n");
}

Deno.test({
  name: "Bridging - 2025 and 2026 clients through the router to a 2026-era server",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    quietLogs();
    await using tmp = await withTmpDir();
    const fixture = await serveConformanceHttp({ port: 0 });
    const settings = loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: `${tmp.path}/no-podman.sock`,
      // API keys are on, so the loopback fixture must be allowed explicitly.
      allowedRemoteHosts: ["127.0.0.1"],
    });
    const router = await serveRouterInProcess(settings);
    const { services, url } = router;
    const closers: { close(): Promise<void> }[] = [];
    try {
      await addTestedRemote(services, "conformance", fixture.url);
      const a = await createApiKey(services.store, "alice");
      const b = await createApiKey(services.store, "bob");
      const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

      const legacyClient = async (capabilities: V1Capabilities, asked: string[]) => {
        const client = new V1Client({ name: "e2e-2025", version: "1" }, { capabilities });
        if (capabilities.sampling) {
          client.setRequestHandler(CreateMessageRequestSchema, (req) => {
            asked.push(`sampling:${JSON.stringify(req.params.messages[0].content)}`);
            return { model: "m", role: "assistant", content: { type: "text", text: "forty-two" } };
          });
        }
        if (capabilities.elicitation) {
          client.setRequestHandler(ElicitRequestSchema, () => {
            asked.push("elicitation");
            return { action: "accept", content: { username: "ada", email: "ada@example.com" } };
          });
        }
        await client.connect(new V1Transport(url, { requestInit: auth(a.key) }));
        closers.push(client);
        return client;
      };

      await t.step("2025 client: sampling and elicitation become real requests", async () => {
        const asked: string[] = [];
        const client = await legacyClient({ sampling: {}, elicitation: {} }, asked);
        const sampled = await client.callTool({
          name: "test_sampling",
          arguments: { prompt: "meaning?" },
        }) as JsonObject;
        assert.notEqual(sampled.isError, true, text(sampled));
        assert.match(text(sampled), /LLM response: forty-two/);
        const elicited = await client.callTool({
          name: "test_elicitation",
          arguments: { message: "who?" },
        }) as JsonObject;
        assert.notEqual(elicited.isError, true, text(elicited));
        assert.match(text(elicited), /action=accept/);
        assert.match(text(elicited), /ada@example.com/);
        assert.equal(asked.length, 2, asked.join(" | "));
        assert.match(asked[0], /meaning\?/);
      });

      await t.step("2025 client without sampling: a tool error names the capability", async () => {
        const asked: string[] = [];
        const client = await legacyClient({ elicitation: {} }, asked);
        const result = await client.callTool({
          name: "test_sampling",
          arguments: { prompt: "x" },
        }) as JsonObject;
        assert.equal(result.isError, true);
        assert.match(text(result), /sampling/);
        assert.deepEqual(asked, []);
      });

      await t.step("2026 client: passthrough state is bound to the API key", async () => {
        const modern = async (key: string) => {
          const client = new Client({ name: "e2e-2026", version: "1" }, {
            capabilities: { elicitation: { form: {} } },
            versionNegotiation: { mode: { pin: "2026-07-28" } },
            inputRequired: { autoFulfill: false },
          });
          await client.connect(new StreamableHTTPClientTransport(url, { requestInit: auth(key) }));
          closers.push(client);
          return client;
        };
        const alice = await modern(a.key);
        const bob = await modern(b.key);
        const call = { name: "test_input_required_result_tampered_state", arguments: {} };
        const first = await alice.callTool(call, { allowInputRequired: true }) as JsonObject;
        assert.equal(first.resultType, "input_required", JSON.stringify(first));
        const requestState = first.requestState as string;
        assert.ok(requestState.startsWith(ROUTER_STATE_PREFIX), "the router wraps the state");
        const key = Object.keys(first.inputRequests as JsonObject)[0];
        const retry = {
          ...call,
          inputResponses: { [key]: { action: "accept", content: { ok: true } } },
          requestState,
        };
        await assert.rejects(
          bob.callTool(retry as never, { allowInputRequired: true }),
          (e: Error & { code?: number }) => {
            assert.equal(e.code, -32602);
            assert.match(e.message, /Invalid or expired requestState/);
            return true;
          },
        );
        const done = await alice.callTool(retry as never, { allowInputRequired: true });
        assert.notEqual((done as JsonObject).resultType, "input_required", JSON.stringify(done));
      });
    } finally {
      for (const c of closers) await c.close().catch(() => {});
      await router[Symbol.asyncDispose]();
      await fixture.shutdown();
    }
  },
});
