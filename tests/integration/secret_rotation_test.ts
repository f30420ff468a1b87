/**
 * `secrets rotate` run by the CLI while `serve` runs on the same data dir: the running router
 * keeps reading every secret (it follows the new key file without a restart), and what it seals
 * afterwards is sealed under the new key. A remote downstream behind a recording proxy shows the
 * decrypted value the router sends (`API_KEY` → `X-API-Key`). No Podman needed.
 */
import assert from "node:assert/strict";
import { serveConformanceHttp } from "../fixtures/conformance/http.ts";
import { cli } from "../security/cli.ts";
import { callJson, startRouter } from "../router_process.ts";
import { withTmpDir } from "../helpers.ts";

/** An HTTP proxy to `target` that records the `X-API-Key` of every request. */
function recordingProxy(target: string) {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const key = req.headers.get("x-api-key");
    if (key !== null) seen.push(key);
    const headers = new Headers(req.headers);
    headers.delete("host");
    headers.delete("content-length");
    const body = req.method === "GET" || req.method === "HEAD"
      ? undefined
      : await req.arrayBuffer();
    const res = await fetch(target, { method: req.method, headers, body });
    return new Response(res.body, { status: res.status, headers: res.headers });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/mcp`,
    seen,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

const JSON_HEADERS = { "content-type": "application/json" };

Deno.test({
  name: "Secrets - a running serve reads secrets the CLI rotated, and seals under the new key",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using tmp = await withTmpDir();
    const fixture = await serveConformanceHttp({ port: 0 });
    await using proxy = recordingProxy(fixture.url);
    const router = await startRouter(tmp.path);
    try {
      await callJson(router, "/api/servers", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({
          name: "vault",
          runtime: "remote",
          transport: "http",
          url: proxy.url,
          env: [{ key: "API_KEY", secret: true, required: true }],
        }),
      }, 201);
      const setSecret = (value: string) =>
        callJson(router, "/api/servers/vault/env/API_KEY", {
          method: "PUT",
          headers: JSON_HEADERS,
          body: JSON.stringify({ value }),
        }, 200);
      const testOk = async (secret: string, when: string) => {
        proxy.seen.length = 0;
        const report = await callJson<{ ok: boolean; error: string | null }>(
          router,
          "/api/servers/vault/test",
          { method: "POST" },
          200,
        );
        assert.equal(report.ok, true, `${when}: ${report.error}\n${router.output()}`);
        assert.ok(proxy.seen.length > 0, `${when}: the downstream was reached`);
        assert.ok(proxy.seen.every((k) => k === secret), `${when}: the decrypted secret was sent`);
      };

      await setSecret("sk-before-rotation-0123456789");
      await testOk("sk-before-rotation-0123456789", "before rotating");
      const keyBefore = JSON.parse(await Deno.readTextFile(`${tmp.path}/secret.key`)).kid;

      const rotated = await cli(tmp.path, "secrets", "rotate");
      assert.equal(rotated.code, 0, rotated.stderr);
      assert.match(rotated.stdout, /re-encrypted 1 secret value/);
      const keyAfter = JSON.parse(await Deno.readTextFile(`${tmp.path}/secret.key`)).kid;
      assert.notEqual(keyAfter, keyBefore);

      // The running serve still reads the value, now sealed under the CLI's new key.
      await testOk("sk-before-rotation-0123456789", "after the CLI rotated");

      // What it seals now is under the new key (so no key but secret.key is ever needed).
      await setSecret("sk-after-rotation-9876543210");
      const kv = await Deno.openKv(`${tmp.path}/router.kv`);
      try {
        let kids: string[] = [];
        for await (const e of kv.list<{ sealed?: { kid: string } }>({ prefix: ["env"] })) {
          kids.push(e.value.sealed?.kid ?? "");
        }
        kids = [...new Set(kids)];
        assert.deepEqual(kids, [keyAfter]);
      } finally {
        kv.close();
      }
      await testOk("sk-after-rotation-9876543210", "a value set after rotating");
    } finally {
      await router.stop();
      await fixture.shutdown();
    }
  },
});
