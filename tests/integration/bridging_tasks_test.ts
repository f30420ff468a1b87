/**
 * The tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28) through the router's `/mcp`,
 * with the conformance fixture (which offers it) as a `namespace: none` downstream and API keys
 * on: the router advertises the extension, a task-augmented `tools/call` returns the fixture's
 * CreateTaskResult, `tasks/get` reaches the fixture for the key that created the task, another
 * key's `tasks/get` / `tasks/cancel` of that taskId is an unknown task, and a client that did not
 * declare the extension gets -32021. Raw JSON-RPC: the SDK client has no tasks runtime.
 */
import assert from "node:assert/strict";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { TASKS_EXTENSION } from "../../server/mcp/bridge/task_routes.ts";
import { addTestedRemote, quietLogs, serveRouterInProcess, withTmpDir } from "../helpers.ts";

type JsonObject = Record<string, unknown>;
const REVISION = "2026-07-28";
const NAME_OF: Record<string, string> = { "tools/call": "name" };

let nextId = 1;

/** One 2026-07-28 request; returns the JSON-RPC response (JSON or the SSE stream's answer). */
async function rpc(
  url: URL,
  key: string,
  method: string,
  params: JsonObject,
  declareTasks = true,
): Promise<{ result?: JsonObject; error?: { code: number; message: string } }> {
  const id = nextId++;
  const nameField = method.startsWith("tasks/") ? "taskId" : NAME_OF[method];
  const name = nameField ? params[nameField] : undefined;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${key}`,
      "mcp-protocol-version": REVISION,
      "mcp-method": method,
      ...(typeof name === "string" ? { "mcp-name": name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method,
      params: {
        ...params,
        _meta: {
          "io.modelcontextprotocol/protocolVersion": REVISION,
          "io.modelcontextprotocol/clientInfo": { name: "tasks-e2e", version: "1" },
          "io.modelcontextprotocol/clientCapabilities": declareTasks
            ? { extensions: { [TASKS_EXTENSION]: {} } }
            : {},
        },
      },
    }),
  });
  const text = await response.text();
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    for (const line of text.split("\n")) {
      if (!line.startsWith("data:")) continue;
      const message = JSON.parse(line.slice(5));
      if (message.id === id) return message;
    }
    throw new Error(`no answer in stream: ${text.slice(0, 500)}`);
  }
  return JSON.parse(text);
}

Deno.test({
  name: "Tasks extension - forwarded to the creating downstream, bound to the API key",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    quietLogs();
    await using tmp = await withTmpDir();
    const fixture = await serveConformanceHttp({ port: 0 });
    const settings = loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: `${tmp.path}/no-podman.sock`,
      allowedRemoteHosts: ["127.0.0.1"],
    });
    const router = await serveRouterInProcess(settings);
    const { services, url } = router;
    try {
      await addTestedRemote(services, "conformance", fixture.url);
      const alice = (await createApiKey(services.store, "alice")).key;
      const bob = (await createApiKey(services.store, "bob")).key;

      const discover = await rpc(url, alice, "server/discover", {});
      const caps = discover.result?.capabilities as { extensions?: JsonObject } | undefined;
      assert.ok(caps?.extensions?.[TASKS_EXTENSION] !== undefined, JSON.stringify(discover));

      const created = await rpc(url, alice, "tools/call", {
        name: "slow_compute",
        arguments: { seconds: 0.3 },
      });
      assert.equal(created.result?.resultType, "task", JSON.stringify(created));
      const taskId = created.result?.taskId as string;
      assert.equal(typeof taskId, "string");

      for (const method of ["tasks/get", "tasks/cancel"]) {
        const stolen = await rpc(url, bob, method, { taskId });
        assert.equal(stolen.error?.code, -32602, `${method}: ${JSON.stringify(stolen)}`);
      }
      const undeclared = await rpc(url, alice, "tasks/get", { taskId }, false);
      assert.equal(undeclared.error?.code, -32021, JSON.stringify(undeclared));

      let status = "";
      let last: JsonObject | undefined;
      for (let i = 0; i < 50 && status !== "completed"; i++) {
        const got = await rpc(url, alice, "tasks/get", { taskId });
        assert.equal(got.error, undefined, JSON.stringify(got));
        last = got.result;
        status = String(last?.status);
        if (status !== "completed") await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, "completed", JSON.stringify(last));
      assert.match(JSON.stringify(last?.result), /computed after 0.3s/);
    } finally {
      await router[Symbol.asyncDispose]();
      await fixture.shutdown();
    }
  },
});
