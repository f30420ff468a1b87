/**
 * A slow-starting 2026-07-28 stdio server, end to end in a real Podman container: the real PyPI
 * `mcp-server-time` (Python SDK 2.x, which pins a connection's era on its first request) started
 * 6 s late, longer than the `server/discover` probe window. The late probe answer makes it refuse
 * the fallback `initialize`; the router starts it again as a 2026 server, lists its tools, and
 * remembers the era, so the next start waits for the probe instead of falling back.
 */
import assert from "node:assert/strict";
import { openServices } from "../../server/composition/wiring.ts";
import { loadSettings } from "../../server/settings.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { STDIO_PROBE_TIMEOUT_MS } from "../../server/mcp/downstream/era.ts";
import { UV_BIN_DIR } from "../../runtime/container_layout.ts";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN } from "../runtime/podman/live.ts";
import { quietLogs } from "../helpers.ts";

const OFFLINE = Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1";
const DELAY_S = Math.ceil(STDIO_PROBE_TIMEOUT_MS / 1000) + 1;

Deno.test({
  name: `Slow 2026-07-28 start - a late probe answer is not a failed start${LIVE_NOTE}`,
  ignore: NO_PODMAN || OFFLINE,
  ...LIVE_OPTS,
  fn: async () => {
    quietLogs();
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-slow-modern-" });
    const settings = loadSettings({ HOME: dataDir, MCP_ROUTER_PODMAN_SOCKET: LIVE_SOCKET! }, {
      dataDir,
    });
    const services = await openServices(settings);
    try {
      const record = await services.store.createServer(PlanSchema.parse({
        name: "slowtime",
        runtime: "uvx",
        // 2026.10.19 requires mcp>=2.3 (era pinned per connection).
        package: "mcp-server-time==2026.10.19",
        command: "sh",
        args: ["-c", `sleep ${DELAY_S}; exec ${UV_BIN_DIR}/mcp-server-time`],
      }));
      const first = await services.runtime.test(record, {});
      assert.ok(first.ok, `${first.error}\n${first.logs.join("\n")}`);
      assert.deepEqual(first.tools.map((t) => t.name).sort(), ["convert_time", "get_current_time"]);
      const saved = await services.store.getServer(record.id);
      assert.equal(saved?.capabilities?.protocol_era, "modern", "the era is remembered");

      const again = await services.runtime.test(saved!, {});
      assert.ok(
        again.ok,
        `known 2026 server, slow again: ${again.error}\n${again.logs.join("\n")}`,
      );
    } finally {
      await services.close();
    }
  },
});
