/**
 * Images built from a repository's Dockerfile: tar reading and re-rooting (unit), the analyzer's
 * plan for a Dockerfile-only repository (fake GitHub), and a real build + launch through Podman
 * from the fake GitHub tarball.
 */
import assert from "node:assert/strict";
import { readTarFiles, tarStream } from "../../runtime/podman/tar.ts";
import { rerootPath } from "../../runtime/repo_image.ts";
import { startFakeGithub } from "../fakes/github.ts";
import { analyze } from "../../server/analyzer/analyze.ts";
import { loadSettings, testSettings } from "../../server/settings.ts";
import { openServices } from "../../server/composition/wiring.ts";
import { runtimeImageTag } from "../../runtime/images.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { LIVE_SOCKET } from "./podman/live.ts";
import { quietLogs, withTmpDir } from "../helpers.ts";

Deno.test("Repo image - the tar reader reads what the tar writer wrote, long names included", async () => {
  const long = `${"deep/".repeat(30)}file.txt`;
  const files = await readTarFiles(tarStream([
    { name: "top/a.txt", content: "A" },
    { name: `top/${long}`, content: new Uint8Array([1, 2, 3]), mode: 0o755 },
  ]));
  assert.deepEqual(files.map((f) => f.name), ["top/a.txt", `top/${long}`]);
  assert.equal(new TextDecoder().decode(files[0].content), "A");
  assert.deepEqual([...files[1].content], [1, 2, 3]);
  assert.equal(files[1].mode, 0o755);
});

Deno.test("Repo image - re-rooting keeps one folder and drops traversal", () => {
  const files = [
    { name: "o-r-sha/README.md", content: new Uint8Array(), mode: 0o644 },
    { name: "o-r-sha/servers/x/Dockerfile", content: new Uint8Array(), mode: 0o644 },
    { name: "o-r-sha/servers/x/src/a.js", content: new Uint8Array(), mode: 0o644 },
    { name: "o-r-sha/servers/xy/b.js", content: new Uint8Array(), mode: 0o644 },
    { name: "o-r-sha/servers/x/../../evil", content: new Uint8Array(), mode: 0o644 },
  ];
  const reroot = (path: string) => files.flatMap((f) => rerootPath(f.name, path) ?? []);
  assert.deepEqual(reroot("servers/x"), ["Dockerfile", "src/a.js"]);
  assert.equal(reroot("").length, 4);
});

const SERVER_JS = `
import { createInterface } from "node:readline";
const send = (m) => process.stdout.write(JSON.stringify(m) + "\\n");
createInterface({ input: process.stdin }).on("line", (line) => {
  const m = JSON.parse(line);
  if (m.id === undefined) return;
  if (m.method === "initialize") {
    send({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: m.params.protocolVersion,
      capabilities: { tools: {} }, serverInfo: { name: "from-dockerfile", version: "1" } } });
  } else if (m.method === "tools/list") {
    send({ jsonrpc: "2.0", id: m.id, result: { tools: [{ name: "built_from_repo",
      inputSchema: { type: "object" } }] } });
  } else send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "no" } });
});
`;

function dockerRepo(dockerfile: string) {
  return {
    repo: "acme/tiny-mcp",
    subpath: null,
    description: "A tiny MCP server with only a Dockerfile",
    readme: "# Tiny MCP\n\nBuild the image and run it.\n",
    files: { Dockerfile: dockerfile, "server.mjs": SERVER_JS },
  };
}

Deno.test("Repo image - a Dockerfile-only repository gets a build-from-Dockerfile plan", async () => {
  quietLogs();
  const github = startFakeGithub([dockerRepo('FROM node:22\nCMD ["node", "server.mjs"]\n')]);
  try {
    const plan = await analyze({ source: "https://github.com/acme/tiny-mcp" }, {
      settings: testSettings({ githubApiUrl: github.url }),
    });
    assert.equal(plan.runtime, "image");
    assert.equal(plan.image ?? null, null);
    assert.deepEqual(plan.build, {
      repo: "acme/tiny-mcp",
      ref: "main",
      path: "",
      dockerfile: "Dockerfile",
    });
    assert.match(plan.warnings.join(" "), /Dockerfile/);
  } finally {
    await github.close();
  }
});

Deno.test({
  name: "Repo image - built from the GitHub tarball through Podman, then launched",
  ignore: LIVE_SOCKET === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    quietLogs();
    await using tmp = await withTmpDir();
    const probe = loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: LIVE_SOCKET,
    });
    const node = await runtimeImageTag("node", probe);
    const github = startFakeGithub([
      dockerRepo(
        `FROM ${node}\nWORKDIR /app\nCOPY server.mjs /app/server.mjs\nCMD ["node", "/app/server.mjs"]\n`,
      ),
    ]);
    const settings = loadSettings({ HOME: tmp.path }, {
      dataDir: tmp.path,
      podmanSocket: LIVE_SOCKET,
      githubApiUrl: github.url,
    });
    const services = await openServices(settings);
    try {
      const plan = await services.analyze(
        { source: "https://github.com/acme/tiny-mcp", verify: false },
        { existingNames: new Set() },
      );
      const record = await services.store.createServer(
        PlanSchema.parse({
          ...plan,
          name: `tiny-${crypto.randomUUID().slice(0, 6)}`,
        }),
      );
      const report = await services.runtime.test(record, {});
      assert.ok(report.ok, `${report.error}\n${report.logs.join("\n")}`);
      assert.deepEqual(report.tools.map((t) => t.name), ["built_from_repo"]);
      assert.ok(github.requests.some((r) => r.path.includes("/tarball/main")));
      await services.runtime.removeServer(record);
    } finally {
      await services.close();
      await github.close();
    }
  },
});
