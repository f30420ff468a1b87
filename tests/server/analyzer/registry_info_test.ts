/**
 * @module Package registry lookup: a fake npm registry and PyPI over HTTP for the edge cases,
 * the real ones (reachable from here) for the packages users add most, and the analyzer filling
 * an `npx:`/`uvx:` plan's description from them.
 */
import assert from "node:assert/strict";
import {
  lookupPackage,
  splitNpmSpec,
  splitPypiSpec,
} from "../../../server/analyzer/registry_info.ts";
import { analyze } from "../../../server/analyzer/analyze.ts";
import { createRetryingFetch } from "../../../server/http/retry_fetch.ts";
import { testSettings } from "../../../server/settings.ts";
import { quietLogs } from "../../helpers.ts";

quietLogs();

/** A fake registry answering npm `/<name>/<version>` and PyPI `/pypi/<name>[/<version>]/json`. */
function fakeRegistry() {
  const seen: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    seen.push(path);
    if (path === "/@acme%2Fmcp-thing/latest" || path === "/@acme%2Fmcp-thing/1.2.3") {
      return Response.json({
        name: "@acme/mcp-thing",
        version: "1.2.3",
        description: "  Thing   server\nfor MCP ",
      });
    }
    if (path === "/pypi/mcp-time-thing/json" || path === "/pypi/mcp-time-thing/0.6.2/json") {
      return Response.json({
        info: { version: "0.6.2", summary: "Time for MCP", project_url: null },
      });
    }
    if (path.startsWith("/broken")) return new Response("oops", { status: 500 });
    return Response.json({ error: "Not found" }, { status: 404 });
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    seen,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

const noRetry = createRetryingFetch({ retries: 0 });

Deno.test("registry - package specs split into name and exact version", () => {
  assert.deepEqual(splitNpmSpec("@acme/mcp-thing@1.2.3"), {
    name: "@acme/mcp-thing",
    version: "1.2.3",
  });
  assert.deepEqual(splitNpmSpec("@acme/mcp-thing"), { name: "@acme/mcp-thing", version: null });
  assert.deepEqual(splitNpmSpec("thing@^1"), { name: "thing", version: null });
  assert.deepEqual(splitPypiSpec("mcp-time-thing==0.6.2"), {
    name: "mcp-time-thing",
    version: "0.6.2",
  });
  assert.deepEqual(splitPypiSpec("mcp-time-thing[cli]>=0.6"), {
    name: "mcp-time-thing",
    version: null,
  });
  assert.deepEqual(splitPypiSpec("mcp-time-thing@0.6.2"), {
    name: "mcp-time-thing",
    version: "0.6.2",
  });
});

Deno.test("registry - npm and PyPI descriptions, pinned versions, unknown packages", async () => {
  await using reg = fakeRegistry();
  const opts = { npmRegistryUrl: reg.url, pypiUrl: reg.url, fetch: noRetry };
  const npm = await lookupPackage("npx", "@acme/mcp-thing", opts);
  assert.deepEqual(npm, {
    description: "Thing server for MCP",
    version: "1.2.3",
    homepage: "https://www.npmjs.com/package/@acme/mcp-thing",
  });
  assert.equal((await lookupPackage("npx", "@acme/mcp-thing@1.2.3", opts))?.version, "1.2.3");
  const py = await lookupPackage("uvx", "mcp-time-thing==0.6.2", opts);
  assert.equal(py?.description, "Time for MCP");
  assert.ok(reg.seen.includes("/pypi/mcp-time-thing/0.6.2/json"));
  assert.equal(await lookupPackage("npx", "no-such-thing", opts), null);
  assert.equal(await lookupPackage("uvx", "no-such-thing", opts), null);
  await assert.rejects(
    () => lookupPackage("npx", "x", { ...opts, npmRegistryUrl: `${reg.url}/broken` }),
    /HTTP 500/,
  );
  assert.equal(await lookupPackage("npx", "x", { ...opts, npmRegistryUrl: "" }), null);
});

Deno.test("registry - analyze fills an npx/uvx plan's description; a dead registry is a warning", async () => {
  await using reg = fakeRegistry();
  const steps: string[] = [];
  const settings = testSettings({ npmRegistryUrl: reg.url, pypiUrl: reg.url });
  const npx = await analyze({ source: "npx:@acme/mcp-thing" }, {
    settings,
    fetch: noRetry,
    onProgress: (step) => steps.push(step),
  });
  assert.equal(npx.description, "Thing server for MCP");
  assert.deepEqual(steps, ["reading_registry", "done"]);
  const uvx = await analyze({ source: "uvx:mcp-time-thing" }, { settings, fetch: noRetry });
  assert.equal(uvx.description, "Time for MCP");

  const unknown = await analyze({ source: "npx:not-published" }, { settings, fetch: noRetry });
  assert.equal(unknown.description, "");
  assert.match(unknown.warnings.join("\n"), /not found in the registry/);

  const dead = await analyze({ source: "npx:@acme/mcp-thing" }, {
    settings: testSettings({ npmRegistryUrl: "http://127.0.0.1:9" }),
    fetch: noRetry,
  });
  assert.equal(dead.command, "npx");
  assert.match(dead.warnings.join("\n"), /could not read @acme\/mcp-thing from the registry/);
});

Deno.test({
  name: "registry - the real npm registry and PyPI describe the reference servers",
  ignore: Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1",
  fn: async () => {
    const settings = testSettings({
      npmRegistryUrl: "https://registry.npmjs.org",
      pypiUrl: "https://pypi.org",
    });
    const everything = await analyze({ source: "npx:@modelcontextprotocol/server-everything" }, {
      settings,
    });
    assert.match(everything.description, /MCP/i);
    const time = await analyze({ source: "uvx:mcp-server-time" }, { settings });
    assert.match(time.description, /time/i);
  },
});
