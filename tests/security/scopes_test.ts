/**
 * Finding 4 (medium): keys are scoped. An `mcp` key (the default) reaches only `/mcp`, `/sse`
 * and `/messages`; it cannot add servers, set env values, read the audit log, create keys or
 * sign in to the admin UI. An `admin` key reaches everything. Scopes show in `keys list`, the UI
 * and the audit log. Checked against a real router with keys made by the CLI.
 */
import assert from "node:assert/strict";
import { cli, createKey } from "./cli.ts";
import { startRouter } from "../router_process.ts";
import { csrfOf, initializeRequest, MCP_HEADERS, withTmpDir } from "../helpers.ts";

Deno.test("Security - an mcp key reaches only the MCP endpoints; an admin key everything", async () => {
  await using tmp = await withTmpDir();
  const router = await startRouter(tmp.path);
  try {
    const defaulted = await cli(tmp.path, "keys", "create", "claude");
    assert.equal(defaulted.code, 0, defaulted.stderr);
    assert.match(defaulted.stderr, /scope mcp/);
    const mcpKey = defaulted.stdout.trim();
    const adminKey = await createKey(tmp.path, "ops", "admin");
    const bad = await cli(tmp.path, "keys", "create", "x", "--scope", "root");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--scope takes mcp or admin/);
    const dup = await cli(tmp.path, "keys", "create", "claude");
    assert.equal(dup.code, 1, "a second active key with the same name is refused");

    const as = (key: string, extra: Record<string, string> = {}) => ({
      authorization: `Bearer ${key}`,
      ...extra,
    });
    const json = { "content-type": "application/json" };
    const adminOnly: [string, string, string?][] = [
      ["GET", "/api/servers"],
      ["GET", "/api/audit"],
      ["GET", "/api/health"],
      ["GET", "/metrics"],
      ["GET", "/api/openapi.json"],
      [
        "POST",
        "/api/servers",
        JSON.stringify({ name: "x", runtime: "npx", command: "npx", args: ["y"] }),
      ],
      ["POST", "/api/servers/analyze", JSON.stringify({ source: "npx:x" })],
      ["PUT", "/api/servers/x/env/TOKEN", JSON.stringify({ value: "v" })],
      ["GET", "/connect"],
      ["POST", "/connect/keys", "name=evil&scope=admin"],
    ];
    for (const [method, path, body] of adminOnly) {
      const res = await router.request(path, {
        method,
        headers: as(mcpKey, json),
        body,
        redirect: "manual",
      });
      assert.equal(res.status, 403, `mcp key ${method} ${path}`);
      const text = await res.text();
      if (path.startsWith("/api/")) assert.match(text, /scope 'mcp'/);
    }
    const mcp = await router.request("/mcp", {
      method: "POST",
      headers: as(mcpKey, MCP_HEADERS),
      body: JSON.stringify(initializeRequest("scoped")),
    });
    assert.equal(mcp.status, 200, "the mcp key speaks MCP");
    await mcp.body?.cancel();
    const sse = await router.request("/sse", { headers: as(mcpKey) });
    assert.equal(sse.status, 200);
    await sse.body?.cancel();

    for (
      const [method, path] of [["GET", "/api/servers"], ["GET", "/api/audit"], ["GET", "/metrics"]]
    ) {
      const res = await router.request(path, { method, headers: as(adminKey) });
      assert.equal(res.status, 200, `admin key ${path}`);
      await res.body?.cancel();
    }
    // an mcp key cannot sign in to the admin UI; an admin key can
    const login = async (secret: string) => {
      const { cookie, token } = await csrfOf(await router.request("/login"));
      return await router.request("/login", {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password: secret, next: "/", _csrf: token }),
      });
    };
    const refused = await login(mcpKey);
    assert.equal(refused.status, 401);
    assert.match(await refused.text(), /scope &#39;mcp&#39;|scope 'mcp'/);
    const admitted = await login(adminKey);
    assert.equal(admitted.status, 303);
    await admitted.body?.cancel();
    // scopes show in the key list, the UI and the audit log
    const list = await cli(tmp.path, "keys", "list");
    assert.match(list.stdout, /claude\t\S+\tmcp\t/);
    assert.match(list.stdout, /ops\t\S+\tadmin\t/);
    const page = await (await router.request("/connect", { headers: as(adminKey) })).text();
    assert.match(page, /mcp \(MCP endpoints only\)/);
    assert.match(page, /admin \(everything\)/);
    const audit = (await (await router.request("/api/audit?limit=50", { headers: as(adminKey) }))
      .text()).trim().split("\n").map((l) => JSON.parse(l));
    const creates = audit.filter((e: { action: string }) => e.action === "key.create");
    assert.deepEqual(creates.map((e: { details: { scope: string } }) => e.details.scope).sort(), [
      "admin",
      "mcp",
    ]);
  } finally {
    await router.stop();
  }
});
