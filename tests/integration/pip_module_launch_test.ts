/**
 * A README's `pip install PKG` + `python -m pkg_module` plan, as the analyzer writes it (runtime
 * uvx, command `python`), launched for real: the install image's PATH puts the package's venv
 * first, so that `python` has the module and the server lists its tools.
 */
import assert from "node:assert/strict";
import { openServices } from "../../server/composition/wiring.ts";
import { loadSettings } from "../../server/settings.ts";
import { LIVE_SOCKET } from "../runtime/podman/live.ts";
import { addTested, quietLogs } from "../helpers.ts";

Deno.test({
  name:
    "pip module launch - `python -m mcp_server_time` from the installed package lists its tools",
  ignore: LIVE_SOCKET === undefined || Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    quietLogs();
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-pipmod-" });
    const settings = loadSettings({ HOME: dataDir, MCP_ROUTER_PODMAN_SOCKET: LIVE_SOCKET! }, {
      dataDir,
    });
    const services = await openServices(settings);
    try {
      const { report } = await addTested(services, {
        name: "time-module",
        runtime: "uvx",
        package: "mcp-server-time",
        command: "python",
        args: ["-m", "mcp_server_time"],
      });
      assert.ok(
        report.tools.some((t) => t.name === "get_current_time"),
        JSON.stringify(report.tools),
      );
    } finally {
      await services.close();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
