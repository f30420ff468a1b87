/**
 * A secret env value reaches the server inside its container, yet never appears in the
 * container's `inspect` output (config, argv, labels), any API response, log line or audit entry.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { openServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { LIVE_SOCKET } from "../runtime/podman/live.ts";
import { withTmpDir } from "../helpers.ts";

const SECRET = `sk-live-${crypto.randomUUID()}`;

Deno.test({
  name: "Secrets - reach the server, never inspect/API/logs/audit",
  ignore: LIVE_SOCKET === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const lines: string[] = [];
    const previous = setLogSink((l) => lines.push(l));
    await using tmp = await withTmpDir();
    const settings = loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: LIVE_SOCKET,
    });
    const services = await openServices(settings);
    const app = createRouterApp(services);
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const json = { "content-type": "application/json" };
    const bodies: string[] = [];
    try {
      const created = await app.request("/api/servers", {
        method: "POST",
        headers: json,
        body: JSON.stringify({
          name: "everything",
          runtime: "npx",
          package: "@modelcontextprotocol/server-everything",
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-everything"],
          env: [{ key: "SERVICE_TOKEN", secret: true, required: true, description: "a token" }],
        }),
      });
      bodies.push(await created.text());
      const set = await app.request("/api/servers/everything/env/SERVICE_TOKEN", {
        method: "PUT",
        headers: json,
        body: JSON.stringify({ value: SECRET }),
      });
      bodies.push(await set.text());
      const test = await app.request("/api/servers/everything/test", { method: "POST" });
      bodies.push(await test.text());
      assert.equal(JSON.parse(bodies.at(-1)!).ok, true, bodies.at(-1));

      const client = new Client({ name: "secrets", version: "1" });
      const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
      await client.connect(transport);
      const env = await client.callTool({ name: "everything", arguments: { tool: "get-env" } });
      assert.match(JSON.stringify(env.content), new RegExp(SECRET), "the server sees its secret");

      const containers = await services.backend!.list({ "mcp-router.server": "everything" });
      assert.equal(containers.length, 1);
      const inspect = await services.backend!.client.request(
        "GET",
        `/containers/${containers[0].id}/json`,
        {},
      );
      const inspected = await inspect.text();
      assert.match(inspected, /mcp-router\.secrets/, "secrets are mounted, by name");
      assert.ok(!inspected.includes(SECRET), "podman inspect never shows the value");

      for (const path of ["/api/servers", "/api/servers/everything", "/api/health"]) {
        bodies.push(await (await app.request(path)).text());
      }
      bodies.push(await (await app.request("/api/servers/everything/logs?lines=1000")).text());
      bodies.push(await (await app.request("/api/audit?limit=1000")).text());
      bodies.push(await (await app.request("/servers/everything")).text());
      await transport.terminateSession();
      await client.close();
      for (const b of bodies) assert.ok(!b.includes(SECRET), b.slice(0, 200));
      assert.ok(!lines.join("\n").includes(SECRET), "no log line carries the secret");
      const secrets = await services.backend!.client.request("GET", "/secrets/json", {});
      assert.ok(!(await secrets.text()).includes(SECRET));
    } finally {
      setLogSink(previous);
      await app.closeSessions();
      await server.shutdown();
      await services.close();
    }
  },
});
