/**
 * Finding 9: `/sse` honours `MCP_ROUTER_MAX_SESSIONS_PER_KEY` like `/mcp` (it opened 40 against
 * 32); a closed stream frees its slot; another key is not affected. Real router.
 */
import assert from "node:assert/strict";
import { createKey } from "./cli.ts";
import { startRouter } from "../router_process.ts";
import { initializeRequest, MCP_HEADERS, withTmpDir } from "../helpers.ts";

Deno.test("Security - SSE and streamable-HTTP sessions share the per-key cap", async () => {
  await using tmp = await withTmpDir();
  const a = await createKey(tmp.path, "a");
  const b = await createKey(tmp.path, "b");
  const router = await startRouter(tmp.path, undefined, {
    env: { MCP_ROUTER_MAX_SESSIONS_PER_KEY: "4" },
  });
  const open: Response[] = [];
  try {
    const sse = (key: string) =>
      router.request("/sse", { headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 3; i++) {
      const res = await sse(a);
      assert.equal(res.status, 200, `stream ${i}`);
      open.push(res);
    }
    const http = await router.request("/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${a}` },
      body: JSON.stringify(initializeRequest("cap")),
    });
    assert.equal(http.status, 200, "the fourth session (streamable HTTP)");
    await http.body?.cancel();
    const over = await sse(a);
    assert.equal(over.status, 429, "a fifth session of the same key is refused");
    assert.match(await over.text(), /Too many sessions/);
    const overHttp = await router.request("/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, authorization: `Bearer ${a}` },
      body: JSON.stringify(initializeRequest("cap")),
    });
    assert.equal(overHttp.status, 429);
    await overHttp.body?.cancel();
    const other = await sse(b);
    assert.equal(other.status, 200, "another key has its own budget");
    open.push(other);
    // closing a stream frees its slot
    await open.shift()!.body?.cancel();
    let again: Response | null = null;
    for (let i = 0; i < 50; i++) {
      again = await sse(a);
      if (again.status === 200) break;
      await again.body?.cancel();
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(again?.status, 200, "a closed stream's slot is reused");
    open.push(again!);
  } finally {
    for (const r of open) await r.body?.cancel().catch(() => {});
    await router.stop();
  }
});
