/**
 * Finding 2 (high): revoking a key ends, at once, everything it opened — its UI sign-in cookie
 * (on the pages and the API), its open `GET /mcp` and `/sse` streams, its MCP sessions and their
 * containers — when the key is revoked by the CLI while a real router runs. UI session tokens
 * are stored only hashed.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { cli, createKey } from "./cli.ts";
import { type RouterProcess, startRouter } from "../router_process.ts";
import { csrfOf, initializeRequest, MCP_HEADERS, withTmpDir } from "../helpers.ts";
import { LIVE_OPTS, LIVE_SOCKET } from "../runtime/podman/live.ts";
import { PodmanClient } from "../../runtime/podman/client.ts";
import { LABELS } from "../../runtime/container_layout.ts";

/** Sign in on the login page with `secret`; returns the session cookie. */
async function signIn(router: RouterProcess, secret: string): Promise<string> {
  const { cookie, token } = await csrfOf(await router.request("/login"));
  const res = await router.request("/login", {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ password: secret, next: "/", _csrf: token }),
  });
  await res.body?.cancel();
  assert.equal(res.status, 303, "signed in");
  return /mcpr_session=[0-9a-f]+/.exec(res.headers.get("set-cookie") ?? "")![0];
}

/** Resolves with how the stream ended ("closed" or "open" after `ms`). */
function streamEnd(body: ReadableStream<Uint8Array>, ms: number): Promise<"closed" | "open"> {
  const reader = body.getReader();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve("open");
      reader.cancel().catch(() => {});
    }, ms);
    (async () => {
      try {
        while (!(await reader.read()).done) { /* keep reading */ }
      } catch {
        // reset counts as closed
      }
      clearTimeout(timer);
      resolve("closed");
    })();
  });
}

Deno.test({
  name: "Security - revoking a key ends its cookie, streams, sessions and containers at once",
  ...LIVE_OPTS,
  async fn() {
    await using tmp = await withTmpDir();
    const env: Record<string, string> = { MCP_ROUTER_SESSION_IDLE_TIMEOUT_MS: "600000" };
    const router = await startRouter(tmp.path, LIVE_SOCKET, { env });
    try {
      const adminKey = await createKey(tmp.path, "ops", "admin");
      const mcpKey = await createKey(tmp.path, "claude", "mcp");
      const other = await createKey(tmp.path, "bystander", "mcp");
      const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

      // A UI sign-in made with the admin key; the cookie works on the pages and the API.
      const cookie = await signIn(router, adminKey);
      const page = await router.request("/connect", { headers: { cookie }, redirect: "manual" });
      assert.equal(page.status, 200);
      const { token } = await csrfOf(page);
      const api = await router.request("/api/servers", { headers: { cookie } });
      assert.equal(api.status, 200);
      await api.body?.cancel();
      // only the hash of the cookie's token is stored
      const raw = cookie.split("=")[1];
      const kv = await Deno.openKv(`${tmp.path}/router.kv`);
      try {
        const stored: string[] = [];
        for await (const e of kv.list({ prefix: ["ui_sessions"] })) stored.push(String(e.key[1]));
        assert.equal(stored.length, 1);
        assert.ok(!stored.includes(raw) && !JSON.stringify(stored).includes(raw));
      } finally {
        kv.close();
      }

      // An MCP session of the mcp key with an open GET stream, and an SSE stream.
      const init = await router.request("/mcp", {
        method: "POST",
        headers: { ...MCP_HEADERS, ...bearer(mcpKey) },
        body: JSON.stringify(initializeRequest("revocation")),
      });
      assert.equal(init.status, 200);
      const sessionId = init.headers.get("mcp-session-id")!;
      await init.body?.cancel();
      const sessionHeaders = {
        ...MCP_HEADERS,
        ...bearer(mcpKey),
        "mcp-session-id": sessionId,
        "mcp-protocol-version": "2025-06-18",
      };
      await (await router.request("/mcp", {
        method: "POST",
        headers: sessionHeaders,
        body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
      })).body?.cancel();
      const get = await router.request("/mcp", {
        headers: { ...sessionHeaders, accept: "text/event-stream" },
      });
      assert.equal(get.status, 200);
      const sse = await router.request("/sse", { headers: bearer(mcpKey) });
      assert.equal(sse.status, 200);
      // a bystander's stream must survive
      const bystander = await router.request("/sse", { headers: bearer(other) });
      assert.equal(bystander.status, 200);

      // With Podman: the mcp key's session starts a sandbox container.
      let podman: PodmanClient | null = null;
      let client: Client | null = null;
      if (LIVE_SOCKET) {
        podman = new PodmanClient(LIVE_SOCKET, { timeoutMs: 60_000 });
        client = new Client({ name: "revoked", version: "1" });
        await client.connect(
          new StreamableHTTPClientTransport(new URL(`${router.base}/mcp`), {
            requestInit: { headers: bearer(mcpKey) },
          }),
        );
        const result = await client.callTool(
          {
            name: "python_sandbox",
            arguments: { code: "print(6 * 7)" },
          },
          undefined,
          { timeout: 600_000 },
        );
        assert.match(JSON.stringify(result.content), /42/);
        const owned = await podman.listContainers({ [LABELS.owner]: String(router.pid) });
        assert.ok(owned.length >= 1, "the key's session runs a container");
      }

      const getEnd = streamEnd(get.body!, 8_000);
      const sseEnd = streamEnd(sse.body!, 8_000);
      const bystanderEnd = streamEnd(bystander.body!, 4_000);
      // Revoke both keys from the CLI while the router runs.
      const started = Date.now();
      for (const name of ["ops", "claude"]) {
        const r = await cli(tmp.path, "keys", "revoke", name);
        assert.equal(r.code, 0, r.stderr);
      }
      assert.equal(await getEnd, "closed", "the GET /mcp stream ended");
      assert.equal(await sseEnd, "closed", "the /sse stream ended");
      console.log(`streams ended ${Date.now() - started} ms after the revoke command started`);
      assert.equal(await bystanderEnd, "open", "another key's stream is untouched");

      // The cookie is dead on the pages and the API, and cannot mint a key.
      const after = await router.request("/connect", { headers: { cookie }, redirect: "manual" });
      assert.equal(after.status, 303);
      await after.body?.cancel();
      const afterApi = await router.request("/api/servers", { headers: { cookie } });
      assert.equal(afterApi.status, 401);
      await afterApi.body?.cancel();
      const mint = await router.request("/connect/keys", {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ name: "minted", _csrf: token, scope: "admin" }),
      });
      assert.notEqual(mint.status, 200);
      await mint.body?.cancel();
      const keys = await cli(tmp.path, "keys", "list");
      assert.ok(!keys.stdout.includes("minted"));
      // The session is gone.
      const reuse = await router.request("/mcp", {
        method: "POST",
        headers: sessionHeaders,
        body: JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/list" }),
      });
      assert.equal(reuse.status, 401);
      await reuse.body?.cancel();
      if (podman) {
        const deadline = Date.now() + 20_000;
        let left = await podman.listContainers({ [LABELS.owner]: String(router.pid) });
        while (left.some((c) => c.State === "running") && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 250));
          left = await podman.listContainers({ [LABELS.owner]: String(router.pid) });
        }
        assert.deepEqual(left.filter((c) => c.State === "running"), [], "containers stopped");
        await client?.close().catch(() => {});
        podman.close();
      }
    } finally {
      await router.stop();
    }
  },
});
