/**
 * @module `main.ts auth NAME` against a real OAuth-protected MCP server (a second router: its
 * embedded authorization server and `/mcp`): the command prints the authorization URL, listens
 * on the router's loopback address for the callback (no serve runs), finishes the exchange and
 * exits 0; run again it says the router is already authorized; the token is in the store, sealed.
 */
import assert from "node:assert/strict";
import { loadSettings } from "../../server/settings.ts";
import { createApiKey } from "../../server/auth/api_keys.ts";
import { createUiSession } from "../../server/auth/ui_sessions.ts";
import { KvStore } from "../../server/store/kv_store.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { ADMIN_PRINCIPAL } from "../../server/downstream_auth/principal.ts";
import { quietLogs, serveRouterInProcess, withTmpDir } from "../helpers.ts";
import { approveOnRouter } from "../conformance/headless_authorize.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test({
  name: "CLI - auth NAME prints the URL, takes the callback itself and stores the token",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    quietLogs();
    await using downDir = await withTmpDir();
    await using down = await serveRouterInProcess(loadSettings({ HOME: downDir.path }, {
      dataDir: downDir.path,
      podmanSocket: `${downDir.path}/none.sock`,
    }));
    await createApiKey(down.services.store, "gate");
    const cookie = `mcpr_session=${await createUiSession(down.services.store, "admin")}`;

    await using tmp = await withTmpDir();
    const data = `${tmp.path}/data`;
    const setup = await KvStore.open({ dataDir: data });
    const server = await setup.createServer(PlanSchema.parse({
      name: "down",
      runtime: "remote",
      transport: "http",
      url: down.url.href,
    }));
    setup.close();

    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", CONFIG, MAIN, "auth", "down"],
      env: {
        HOME: tmp.path,
        MCP_ROUTER_DATA: data,
        MCP_ROUTER_PORT: String(port),
        MCP_ROUTER_PODMAN_SOCKET: "/nonexistent/podman.sock",
        NO_COLOR: "1",
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let printed = "";
    while (!printed.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      printed += value;
    }
    const authorizeUrl = printed.split("\n")[0].trim();
    assert.ok(authorizeUrl.startsWith(`${down.url.origin}/oauth/authorize?`), printed);
    const back = await approveOnRouter(authorizeUrl, cookie);
    assert.equal(back.origin, `http://127.0.0.1:${port}`);
    const done = await fetch(back);
    assert.equal(done.status, 200, await done.clone().text());
    assert.match(await done.text(), /holds a token for down/);
    let rest = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += value;
    }
    const status = await child.status;
    assert.equal(status.code, 0, await stderr);
    assert.match(rest, /down: authorized/);

    const second = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", CONFIG, MAIN, "auth", "down"],
      env: {
        HOME: tmp.path,
        MCP_ROUTER_DATA: data,
        MCP_ROUTER_PORT: String(port),
        MCP_ROUTER_PODMAN_SOCKET: "/nonexistent/podman.sock",
        NO_COLOR: "1",
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(second.code, 0, new TextDecoder().decode(second.stderr));
    assert.match(new TextDecoder().decode(second.stdout), /already authorized/);

    const after = await KvStore.open({ dataDir: data });
    try {
      const tokens = await after.downstreamAuth.getTokens(server.id, ADMIN_PRINCIPAL);
      assert.ok(tokens?.access_token.startsWith("mcpo_"));
      for await (const entry of after.kv.list({ prefix: [] })) {
        assert.ok(
          !JSON.stringify(entry.value).includes(tokens!.access_token),
          "no token in clear in KV",
        );
      }
    } finally {
      after.close();
    }
  },
});
