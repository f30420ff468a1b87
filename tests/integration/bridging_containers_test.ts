/**
 * Bridging with real containers (issue #12): a 2026-07-28 client (SDK v2 `Client` pinned to
 * 2026-07-28) calls `server-everything` (a 2025-era stdio server in a container) through the
 * router's `/mcp`; the server's sampling and elicitation requests reach the client as
 * `input_required` rounds and its handlers answer them. With two API keys, a requestState one key
 * got is refused when the other key replays it.
 */
import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { LIVE_SOCKET } from "../runtime/podman/live.ts";
import { addTested, quietLogs } from "../helpers.ts";

const SOCKET = LIVE_SOCKET ?? "";

type JsonObject = Record<string, unknown>;

/** A 2026 client for `key`; `auto`: its own handlers fulfil input_required rounds. */
async function modernClient(
  url: URL,
  key: string,
  auto: boolean,
  asked: string[] = [],
): Promise<Client> {
  const client = new Client({ name: "bridging-e2e", version: "1" }, {
    capabilities: { sampling: {}, elicitation: { form: {} } },
    versionNegotiation: { mode: { pin: "2026-07-28" } },
    ...(auto ? {} : { inputRequired: { autoFulfill: false } }),
  });
  client.setRequestHandler("sampling/createMessage", () => {
    asked.push("sampling");
    return {
      model: "e2e-model",
      role: "assistant",
      content: { type: "text", text: "the answer is 42" },
    };
  });
  client.setRequestHandler("elicitation/create", () => {
    asked.push("elicitation");
    return { action: "decline" };
  });
  await client.connect(
    new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

function text(result: JsonObject): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.map((c) => c.text ?? "").join("\n");
}

Deno.test({
  name:
    "Bridging with containers - a 2026 client answers server-everything's sampling and elicitation",
  ignore: LIVE_SOCKET === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    quietLogs();
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-bridge-" });
    const settings = loadSettings({ HOME: dataDir, MCP_ROUTER_PODMAN_SOCKET: SOCKET }, {
      dataDir,
      expose: "tools",
    });
    const services = await openServices(settings);
    const app = createRouterApp(services);
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    const url = new URL(`http://127.0.0.1:${server.addr.port}/mcp`);
    const clients: Client[] = [];
    try {
      await addTested(services, {
        name: "everything",
        runtime: "npx",
        package: "@modelcontextprotocol/server-everything",
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-everything"],
      });
      const a = await createApiKey(services.store, "alice");
      const b = await createApiKey(services.store, "bob");

      const asked: string[] = [];
      const auto = await modernClient(url, a.key, true, asked);
      clients.push(auto);
      assert.equal(auto.getProtocolEra(), "modern");
      const names = (await auto.listTools()).tools.map((t) => t.name);
      const sampling = names.find((n) => n.endsWith("trigger-sampling-request"));
      const elicitation = names.find((n) => n.endsWith("trigger-elicitation-request"));
      assert.ok(sampling && elicitation, `tools: ${names.join(", ")}`);

      await t.step("sampling: the 2026 client's handler answers", async () => {
        const result = await auto.callTool({
          name: sampling,
          arguments: { prompt: "What is the answer?", maxTokens: 20 },
        }) as JsonObject;
        assert.notEqual(result.isError, true, text(result));
        assert.match(text(result), /the answer is 42/);
        assert.ok(asked.includes("sampling"));
      });

      await t.step("elicitation: the 2026 client's handler answers", async () => {
        const result = await auto.callTool({ name: elicitation, arguments: {} }) as JsonObject;
        assert.notEqual(result.isError, true, text(result));
        assert.match(text(result), /decline/i);
        assert.ok(asked.includes("elicitation"));
      });

      await t.step("a requestState replayed by another API key is refused", async () => {
        const manualA = await modernClient(url, a.key, false);
        const manualB = await modernClient(url, b.key, false);
        clients.push(manualA, manualB);
        const call = { name: sampling, arguments: { prompt: "Replay?", maxTokens: 5 } };
        const first = await manualA.callTool(call, { allowInputRequired: true }) as JsonObject;
        assert.equal(first.resultType, "input_required", JSON.stringify(first));
        const requestState = first.requestState as string;
        const key = Object.keys(first.inputRequests as JsonObject)[0];
        const answer = {
          [key]: { model: "m", role: "assistant", content: { type: "text", text: "replayed" } },
        };
        const replay = { ...call, inputResponses: answer, requestState };
        await assert.rejects(
          manualB.callTool(replay as never, { allowInputRequired: true }),
          (e: Error & { code?: number }) => {
            assert.equal(e.code, -32602, e.message);
            assert.match(e.message, /Invalid or expired requestState/);
            return true;
          },
        );
        // A forged state is refused the same way; the rightful principal still completes.
        await assert.rejects(
          manualA.callTool({ ...replay, requestState: requestState + "x" } as never, {
            allowInputRequired: true,
          }),
          /Invalid or expired requestState/,
        );
        const done = await manualA.callTool(replay as never, {
          allowInputRequired: true,
        }) as JsonObject;
        assert.notEqual(done.resultType, "input_required");
        assert.match(text(done), /replayed/);
      });
    } finally {
      for (const c of clients) await c.close().catch(() => {});
      await app.closeSessions();
      await server.shutdown();
      await services.close().catch(() => {});
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
