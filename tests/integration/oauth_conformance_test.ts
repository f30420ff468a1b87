/**
 * The official conformance suite's authorization-server scenarios
 * (`@modelcontextprotocol/conformance@0.2.0-alpha.12 authorization`) against the embedded
 * authorization server of a router in OAuth test mode (`MCP_ROUTER_OAUTH_TEST_CLIENT`, loopback
 * only): the suite reads the metadata, prints an authorization URL for "a browser" and waits on
 * its own loopback callback; this test plays the browser (the test client's consent is
 * pre-approved, so the router redirects straight to the callback), and the suite then redeems
 * the code at the token endpoint.
 *
 * Scenarios (the CLI's whole `authorization` set in this version):
 * - `authorization-server-metadata-endpoint`: RFC 8414 metadata at the issuer's well-known URI,
 *   issuer = `--url`, S256, `client_id_metadata_document_supported`.
 * - `authorization-code-grant`: code + PKCE with `resource`, `state` and `iss` on the redirect,
 *   a JSON `no-store` token response.
 *
 * Expected failures: none.
 */
import assert from "node:assert/strict";
import { loadSettings } from "../../server/settings.ts";
import { conformanceCli, parseSummary } from "../conformance_runner.ts";
import { quietLogs, serveRouterInProcess, withTmpDir } from "../helpers.ts";

const VERSION = "0.2.0-alpha.12";
const TEST_CLIENT = "conformance-test";
/** Scenarios expected to fail, each with its reason (none today). */
const EXPECTED_FAILURES: Record<string, string> = {};

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The lines of a byte stream as they arrive. */
async function* linesOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let rest = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, nl).replace(/\r$/, "");
      rest = rest.slice(nl + 1);
    }
  }
  if (rest) yield rest;
}

Deno.test("Conformance - authorization-server scenarios against the embedded AS", async () => {
  quietLogs();
  await using tmp = await withTmpDir();
  const settings = loadSettings({ HOME: tmp.path }, {
    dataDir: tmp.path,
    podmanSocket: `${tmp.path}/no-podman.sock`,
    oauthTestClient: TEST_CLIENT,
  });
  await using router = await serveRouterInProcess(settings);
  const issuer = router.url.origin;
  const callbackPort = freePort();
  const out = `${tmp.path}/conformance`;
  const child = new Deno.Command(Deno.execPath(), {
    args: conformanceCli(VERSION, [
      "authorization",
      "--url",
      issuer,
      "--client-id",
      TEST_CLIENT,
      "--resource",
      `${issuer}/mcp`,
      "--port",
      String(callbackPort),
      "-o",
      out,
    ]),
    cwd: tmp.path,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const timer = setTimeout(() => child.kill(), 240_000);
  const stderr = new Response(child.stderr).text();
  let stdout = "";
  let browsed = 0;
  for await (const line of linesOf(child.stdout)) {
    stdout += line + "\n";
    if (!line.startsWith(`${issuer}/oauth/authorize?`)) continue;
    // the "browser": follow the router's redirect to the suite's callback (retry while the
    // callback server starts listening)
    const res = await fetch(line, { redirect: "manual" });
    const location = res.headers.get("location") ?? "";
    await res.body?.cancel();
    assert.equal(res.status, 302, `authorize answered ${res.status}`);
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await (await fetch(location)).body?.cancel();
        browsed++;
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  const status = await child.status;
  clearTimeout(timer);
  const summary = parseSummary(stdout);
  const passed = [...summary].filter(([, s]) => s.ok).map(([n]) => n);
  const failed = [...summary].filter(([, s]) => !s.ok).map(([n]) => n);
  console.log(
    `conformance authorization: passed ${passed.join(", ")}; failed ${failed.join(", ") || "none"}`,
  );
  assert.equal(browsed, 1, "the suite asked for one authorization");
  assert.deepEqual(
    [...summary.keys()].sort(),
    ["authorization-code-grant", "authorization-server-metadata-endpoint"],
    `${stdout}\n${await stderr}`,
  );
  assert.deepEqual(failed.sort(), Object.keys(EXPECTED_FAILURES).sort(), stdout);
  assert.equal(status.code, failed.length ? 1 : 0, stdout);
});
