/**
 * Runtime images and the install toolchain, end to end with real packages from npm and PyPI in
 * real Podman containers: a native-addon npm server compiles in the toolchain (no prebuilt binary
 * is downloadable here) and runs on the compiler-free runtime image; keytar finds libsecret at run
 * time; `uvx:mcp-server-git` lists its tools (GitPython needs the `git` binary); and a PyPI server
 * broken by a fresh resolve (`mcp` 2.x removed `mcp.server.fastmcp`) works after the
 * as-of-release-date retry, which the report and the saved plan record.
 */
import { exitCodeOf } from "../../runtime/sessions.ts";
import assert from "node:assert/strict";
import { PodmanBackend } from "../../runtime/podman/backend.ts";
import { ensureServerImage, RUNTIME_PACKAGES } from "../../runtime/install_image.ts";
import { testSettings } from "../../server/settings.ts";
import { serverRecord } from "../helpers.ts";
import {
  LIVE_NOTE,
  LIVE_OPTS,
  LIVE_SOCKET,
  NO_PODMAN,
  testContainerSpec,
} from "../runtime/podman/live.ts";
import {
  addAndTest as addAndTestServer,
  callJson,
  type RouterProcess,
  startRouter,
} from "../router_process.ts";

const OFFLINE = Deno.env.get("MCP_ROUTER_TEST_OFFLINE") === "1";
const IGNORE = NO_PODMAN || OFFLINE;

interface Report {
  ok: boolean;
  error: string | null;
  tools: { name: string }[];
  logs: string[];
  notes: string[];
  install_resolution?: string | null;
}

const call = callJson;

/** Add `source` as a user would and test it (see `addAndTest`). */
const addAndTest = (
  router: RouterProcess,
  source: string,
  patch: Record<string, unknown> = {},
  added?: string[],
) => addAndTestServer<Report>(router, source, patch, added);

function explain(report: Report): string {
  return `${report.error}\n${report.notes.join("\n")}\n${report.logs.join("\n")}`;
}

/** Run `script` in `image` (no network) and return its output. */
async function runIn(backend: PodmanBackend, image: string, script: string): Promise<string> {
  const id = await backend.create(testContainerSpec({ image, command: ["sh", "-c", script] }));
  try {
    await backend.start(id);
    const code = await exitCodeOf(backend, id, { waitMs: 600_000 });
    const out = (await backend.logs(id)).join("\n");
    assert.equal(code, 0, out);
    return out;
  } finally {
    await backend.remove(id).catch(() => {});
  }
}

Deno.test({
  name: `Runtime images - real servers need a toolchain, git and a fresh-resolve retry${LIVE_NOTE}`,
  ignore: IGNORE,
  ...LIVE_OPTS,
  fn: async (t) => {
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-images-" });
    const router = await startRouter(dataDir, LIVE_SOCKET);
    const added: string[] = [];
    try {
      await t.step("npx:mcp-memory-keeper compiles better-sqlite3 and lists tools", async () => {
        const { report } = await addAndTest(router, "npx:mcp-memory-keeper", {}, added);
        assert.ok(report.ok, explain(report));
        assert.ok(report.tools.length > 0, explain(report));
      });

      await t.step("uvx:mcp-server-git lists its tools: git is in the uv image", async () => {
        const { report } = await addAndTest(router, "uvx:mcp-server-git", {}, added);
        assert.ok(report.ok, explain(report));
        const names = report.tools.map((tool) => tool.name);
        for (const tool of ["git_status", "git_log", "git_diff"]) {
          assert.ok(names.includes(tool), `${tool} in ${names.join(", ")}`);
        }
      });

      await t.step(
        "a server broken by a fresh resolve works as of its release date, and says so",
        async () => {
          // Its README: `uvx --from office-powerpoint-mcp-server ppt_mcp_server`. It imports
          // `mcp.server.fastmcp` with `mcp[cli]>=1.8.0` unpinned; mcp 2.x removed that module.
          const { id, report } = await addAndTest(router, "uvx:office-powerpoint-mcp-server", {
            command: "uvx",
            args: ["--from", "office-powerpoint-mcp-server", "ppt_mcp_server"],
          }, added);
          assert.ok(report.ok, explain(report));
          assert.ok(report.tools.length > 0);
          assert.match(report.install_resolution ?? "", /^as-of \d{4}-\d{2}-\d{2}$/);
          const date = report.install_resolution!.slice("as-of ".length);
          assert.ok(
            report.notes.some((n) =>
              n.startsWith(`rebuilt with dependencies as of ${date} (the release date of `) &&
              /office-powerpoint-mcp-server \S+\): the fresh resolve failed with .*(ModuleNotFoundError|ImportError)/
                .test(n)
            ),
            report.notes.join("\n"),
          );
          const saved = await call<{ install_resolution?: string }>(router, `/api/servers/${id}`);
          assert.equal(saved.install_resolution, report.install_resolution, "kept in the plan");
          // The next test uses the as-of image straight away: no second rebuild, no note.
          const again = await call<Report>(router, `/api/servers/${id}/test`, { method: "POST" });
          assert.ok(again.ok, explain(again));
          assert.deepEqual(again.notes, []);
        },
      );
    } finally {
      // Deleting a server removes its install image (disk is the scarce resource here).
      for (const id of added) {
        await router.request(`/api/servers/${id}`, { method: "DELETE" }).then((r) =>
          r.body?.cancel()
        )
          .catch(() => {});
      }
      await router.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name:
    `Runtime images - keytar compiles against libsecret and loads without a compiler${LIVE_NOTE}`,
  ignore: IGNORE,
  ...LIVE_OPTS,
  fn: async () => {
    const settings = testSettings({ podmanSocket: LIVE_SOCKET });
    const backend = PodmanBackend.fromSettings(settings);
    try {
      // keytar's prebuilt binaries come from GitHub, unreachable here: node-gyp compiles it.
      const server = serverRecord({
        id: "it-keytar",
        name: "it-keytar",
        args: [
          "-y",
          "-p",
          "keytar",
          "-p",
          "@modelcontextprotocol/server-everything",
          "mcp-server-everything",
        ],
      });
      const image = await ensureServerImage(server, {
        deps: { settings, client: backend.client },
      });
      const out = await runIn(
        backend,
        image,
        `cd /opt/server && node -e 'console.log("keytar", typeof require("keytar").getPassword)' && ` +
          `ls node_modules/keytar/build/Release/obj.target >/dev/null && echo compiled-here && ` +
          `cat ${RUNTIME_PACKAGES} && (command -v gcc g++ cc make || echo no-compiler)`,
      );
      assert.match(out, /^keytar function$/m);
      assert.match(out, /^compiled-here$/m);
      assert.match(out, /^libsecret-1-0$/m, "the runtime stage installed keytar's library");
      assert.match(out, /^no-compiler$/m);
      await backend.client.removeImage(image, { force: true }).catch(() => {});
    } finally {
      backend.close();
    }
  },
});
