import assert from "node:assert/strict";
import { appendLog, clearLogs } from "../../../../runtime/log_buffer.ts";
import {
  asOfRetryCause,
  importFailure,
  retryAsOfRelease,
} from "../../../../server/mcp/downstream/resolve_retry.ts";
import type { ServerRecord } from "../../../../server/schemas/server.ts";
import { testSettings } from "../../../../server/settings.ts";
import { serverRecord } from "../../../helpers.ts";

const MCP2 = "ModuleNotFoundError: No module named 'mcp.server.fastmcp'. This is mcp 2.x, " +
  "where FastMCP was renamed to MCPServer";

Deno.test("as-of retry - import failures are found in a traceback", () => {
  const traceback = [
    "Traceback (most recent call last):",
    '  File "/opt/server/bin/ppt_mcp_server", line 4, in <module>',
    "    from mcp.server.fastmcp import FastMCP",
    MCP2,
  ];
  assert.equal(importFailure(traceback), MCP2);
  for (
    const line of [
      "ImportError: cannot import name 'Tool' from 'mcp.types' (/opt/uv/tools/x/mcp/types.py)",
      "pydantic.errors.PydanticImportError: `BaseSettings` has been moved to `pydantic-settings`",
      "AttributeError: module 'httpx' has no attribute 'AsyncHTTPTransport'",
      // seen in the compat suite: cli-mcp-server and mcp-server-duckdb under mcp 2.x
      "AttributeError: 'Server' object has no attribute 'list_tools'",
      "TypeError: FastMCP.__init__() got an unexpected keyword argument 'description'",
    ]
  ) assert.equal(importFailure(["noise", line]), line);
  assert.equal(importFailure(["KeyError: 'API_KEY'", "ValueError: bad token"]), null);
  assert.equal(importFailure([]), null);
});

Deno.test("as-of retry - only uvx servers resolved fresh are retried", () => {
  const uvx = serverRecord({ runtime: "uvx", command: "uvx", args: ["pkg"] });
  assert.equal(asOfRetryCause(uvx, [MCP2]), MCP2);
  assert.equal(asOfRetryCause({ ...uvx, install_resolution: "as-of 2025-01-01" }, [MCP2]), null);
  assert.equal(asOfRetryCause(serverRecord({}), [MCP2]), null);
  assert.equal(asOfRetryCause(uvx, ["Error: API_KEY is required"]), null);
});

/** A PyPI answering for one project whose newest release is 2.0.7. */
const pypi = (() =>
  Promise.resolve(Response.json({
    info: { name: "office-powerpoint-mcp-server", version: "2.0.7", requires_python: ">=3.6" },
    releases: {
      "2.0.6": [{ upload_time_iso_8601: "2025-11-02T10:00:00Z", requires_python: ">=3.6" }],
      "2.0.7": [{ upload_time_iso_8601: "2025-12-31T13:24:01.189Z", requires_python: ">=3.6" }],
    },
  }))) as typeof fetch;

interface Outcome {
  report: {
    ok: boolean;
    error: string | null;
    install_resolution?: string | null;
    notes?: string[];
  };
}

function failed(error: string): Outcome {
  return { report: { ok: false, error, notes: [] } };
}

Deno.test("as-of retry - a start-up that died importing is rebuilt as of the release date", async () => {
  const server = serverRecord({
    id: "retry-ok",
    runtime: "uvx",
    command: "uvx",
    args: ["--from", "office-powerpoint-mcp-server", "ppt_mcp_server"],
  });
  clearLogs(server.id);
  const since = new Date(Date.now() - 1000);
  appendLog(server.id, MCP2);
  const probed: ServerRecord[] = [];
  const result = await retryAsOfRelease(server, failed("exited during start-up"), {
    settings: testSettings({ pypiUrl: "https://pypi.test" }),
    fetch: pypi,
    since,
    probe: (resolved) => {
      probed.push(resolved);
      return Promise.resolve({ report: { ok: true, error: null, notes: [] } });
    },
  });
  assert.deepEqual(probed.map((s) => s.install_resolution), ["as-of 2025-12-31"]);
  assert.equal(result.report.ok, true);
  assert.equal(result.report.install_resolution, "as-of 2025-12-31");
  assert.equal(result.report.notes?.length, 1);
  assert.match(
    result.report.notes![0],
    /^rebuilt with dependencies as of 2025-12-31 \(the release date of office-powerpoint-mcp-server 2\.0\.7\): the fresh resolve failed with ModuleNotFoundError/,
  );
});

Deno.test("as-of retry - a retry that fails too is reported, and its image removed", async () => {
  const server = serverRecord({ id: "retry-bad", runtime: "uvx", command: "uvx", args: ["pkg"] });
  clearLogs(server.id);
  const since = new Date(Date.now() - 1000);
  appendLog(server.id, MCP2);
  const removed: (string | null | undefined)[] = [];
  let probes = 0;
  const first = failed("exited during start-up");
  const result = await retryAsOfRelease(server, first, {
    settings: testSettings({ pypiUrl: "https://pypi.test" }),
    fetch: pypi,
    since,
    probe: () => {
      probes++;
      return Promise.resolve(failed("still broken"));
    },
    removeImage: (s) => {
      removed.push(s.install_resolution);
      return Promise.resolve();
    },
  });
  assert.equal(probes, 1, "retried once");
  assert.equal(result, first);
  assert.equal(result.report.ok, false);
  assert.match(
    result.report.notes![0],
    /also tried with dependencies as of 2025-12-31 .*: still broken/,
  );
  assert.deepEqual(removed, ["as-of 2025-12-31"]);
});

Deno.test("as-of retry - nothing happens without an import failure or without PyPI", async () => {
  const server = serverRecord({ id: "retry-none", runtime: "uvx", command: "uvx", args: ["pkg"] });
  clearLogs(server.id);
  const since = new Date(Date.now() - 1000);
  appendLog(server.id, "Error: GITHUB_TOKEN is required");
  const probe = () => Promise.reject(new Error("must not relaunch"));
  const first = failed("exited");
  const options = {
    settings: testSettings({ pypiUrl: "https://pypi.test" }),
    fetch: pypi,
    since,
    probe,
  };
  assert.equal(await retryAsOfRelease(server, first, options), first);
  appendLog(server.id, MCP2);
  const offline = { ...options, settings: testSettings({ pypiUrl: "" }) };
  assert.equal(await retryAsOfRelease(server, first, offline), first);
  const down = { ...options, fetch: (() => Promise.reject(new TypeError("down"))) as typeof fetch };
  assert.equal(await retryAsOfRelease(server, first, down), first);
  assert.deepEqual(first.report.notes, []);
});
