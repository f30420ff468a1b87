/**
 * Finding 6 (medium): rate limiters that locked out the wrong people. Against a real router:
 * a client-set `X-Forwarded-For` is not believed (so it neither escapes the login limit nor
 * frames someone else), it is believed only from `MCP_ROUTER_TRUSTED_PROXIES`, and a valid key
 * is never refused because of another client's failures.
 */
import assert from "node:assert/strict";
import { cli, createKey } from "./cli.ts";
import { type RouterProcess, startRouter } from "../router_process.ts";
import { csrfOf, withTmpDir } from "../helpers.ts";

async function login(router: RouterProcess, password: string, xff?: string): Promise<number> {
  const { cookie, token } = await csrfOf(await router.request("/login"));
  const res = await router.request("/login", {
    method: "POST",
    redirect: "manual",
    headers: {
      cookie,
      "content-type": "application/x-www-form-urlencoded",
      ...(xff ? { "x-forwarded-for": xff } : {}),
    },
    body: new URLSearchParams({ password, next: "/", _csrf: token }),
  });
  await res.body?.cancel();
  return res.status;
}

async function setPassword(dataDir: string, password: string): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${new URL("../../deno.json", import.meta.url).pathname}`,
      new URL("../../main.ts", import.meta.url).pathname,
      "admin",
      "set-password",
    ],
    env: { MCP_ROUTER_DATA: dataDir, MCP_ROUTER_PODMAN_SOCKET: `${dataDir}/none.sock` },
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(`${password}\n`));
  await w.close();
  assert.equal((await child.status).code, 0);
}

Deno.test("Security - X-Forwarded-For is believed only from trusted proxies", async () => {
  await using tmp = await withTmpDir();
  await setPassword(tmp.path, "correct horse battery");
  assert.equal((await cli(tmp.path, "keys", "create", "k")).code, 0);
  // Direct clients: a spoofed X-Forwarded-For changes nothing — 20 failures block this address.
  const direct = await startRouter(tmp.path);
  try {
    for (let i = 0; i < 20; i++) {
      assert.equal(await login(direct, "wrong", `203.0.113.${i}`), 401);
    }
    assert.equal(await login(direct, "wrong", "198.51.100.7"), 429, "rotating XFF escapes nothing");
  } finally {
    await direct.stop();
  }
  // Behind a trusted proxy: failures are counted per forwarded client.
  const proxied = await startRouter(tmp.path, undefined, {
    env: { MCP_ROUTER_TRUSTED_PROXIES: "127.0.0.1/8,::1" },
  });
  try {
    for (let i = 0; i < 20; i++) assert.equal(await login(proxied, "wrong", "203.0.113.9"), 401);
    assert.equal(await login(proxied, "wrong", "203.0.113.9"), 429, "the attacker is blocked");
    assert.equal(
      await login(proxied, "correct horse battery", "198.51.100.1"),
      303,
      "the admin, another client behind the same proxy, still signs in",
    );
    // a client cannot pose as a trusted hop: only the right-most untrusted entry counts
    assert.equal(
      await login(proxied, "correct horse battery", "198.51.100.1, 203.0.113.9"),
      429,
      "prepending someone else's address does not escape the block",
    );
  } finally {
    await proxied.stop();
  }
});

Deno.test("Security - a valid key is never refused for another client's bad tokens", async () => {
  await using tmp = await withTmpDir();
  const key = await createKey(tmp.path, "claude", "admin");
  const router = await startRouter(tmp.path);
  try {
    // Behind a reverse proxy without trusted-proxy config, every client shares one address.
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await router.request("/api/servers", {
        headers: { authorization: `Bearer mcpr_${"0".repeat(48 - String(i).length)}${i}` },
      });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.ok(statuses.slice(0, 20).every((s) => s === 401), statuses.join(","));
    assert.ok(statuses.slice(20).every((s) => s === 429), "bad tokens are rate-limited");
    for (const path of ["/api/servers", "/mcp"]) {
      const res = await router.request(path, {
        method: path === "/mcp" ? "POST" : "GET",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: path === "/mcp"
          ? JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "initialize",
            params: {
              protocolVersion: "2025-06-18",
              capabilities: {},
              clientInfo: { name: "t", version: "1" },
            },
          })
          : undefined,
      });
      assert.equal(res.status, 200, `${path}: the valid key still works from the same address`);
      await res.body?.cancel();
    }
  } finally {
    await router.stop();
  }
});
