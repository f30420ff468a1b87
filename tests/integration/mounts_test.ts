/**
 * Host folders in real containers, through a real router (`main.ts serve`) and an MCP client on
 * `/mcp`, added the way a user adds them (`analyze`, then the plan with `mounts` and the
 * container path in `args`):
 *
 * - `npx:@modelcontextprotocol/server-filesystem` reads a host file (0644, owned by the host
 *   user, in a folder of mode 0755) from a read-only mount; writing there fails; on a `rw` mount
 *   writing works where the host lets others write (a 0777 folder) and nowhere else;
 * - a mount outside the roots is refused, naming `MCP_ROUTER_MOUNT_ROOTS`;
 * - `uvx:mcp-server-git` on a mounted repository (made with `git init` and one commit on the
 *   host) lists its tools and returns the commit from `git_log`.
 *
 * Skipped without a Podman socket; the git part also without `git` on the host.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type RouterProcess, startRouter } from "../router_process.ts";
import { withTmpDir } from "../helpers.ts";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN } from "../runtime/podman/live.ts";

const JSON_HEADERS = { "content-type": "application/json" };
type Content = { type: string; text?: string }[];

/** Whether `git` runs on this host. */
const HAS_GIT = await new Deno.Command("git", { args: ["--version"], stdout: "null" }).output()
  .then((o) => o.success, () => false);

async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=Host User", "-c", "user.email=host@example.com", ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Analyze a source as a user would, then add mounts and the container path to its args. */
async function addWithMounts(
  router: RouterProcess,
  source: string,
  extra: { args: string[]; mounts: unknown[] },
): Promise<Response> {
  const analyzed = await router.request("/api/servers/analyze", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ source }),
  });
  assert.equal(analyzed.status, 200, await analyzed.clone().text());
  const plan = await analyzed.json() as { args: string[] };
  return await router.request("/api/servers", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({ ...plan, args: [...plan.args, ...extra.args], mounts: extra.mounts }),
  });
}

async function testServer(router: RouterProcess, id: string) {
  const res = await router.request(`/api/servers/${id}/test`, { method: "POST" });
  const report = await res.json() as {
    ok: boolean;
    tools: { name: string }[];
    error: string;
    logs: string[];
  };
  assert.equal(res.status, 200);
  assert.ok(report.ok, `${id}: ${report.error}\n${report.logs.join("\n")}`);
  return report.tools.map((t) => t.name);
}

/** Call one tool of a server through `/mcp` (servers exposure: the server is one tool). */
async function callThrough(
  client: Client,
  server: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<{ text: string; isError: boolean }> {
  const result = await client.callTool({ name: server, arguments: { tool, arguments: args } });
  const text = (result.content as Content).map((c) => c.text ?? "").join("\n");
  return { text, isError: result.isError === true };
}

Deno.test({
  name: `Mounts - filesystem and git servers work on mounted host folders${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  async fn() {
    await using tmp = await withTmpDir();
    const p = (rel: string) => `${tmp.path}/${rel}`;
    for (const d of ["roots/files", "roots/drop", "roots/repo", "outside", "data"]) {
      await Deno.mkdir(p(d), { recursive: true });
    }
    // The Podman user must reach the folders: the temp dir is 0700 by default.
    await Deno.chmod(tmp.path, 0o755);
    for (const d of ["roots", "roots/files", "roots/repo", "outside"]) {
      await Deno.chmod(p(d), 0o755);
    }
    await Deno.chmod(p("roots/drop"), 0o777);
    const marker = `hello from the host ${crypto.randomUUID()}`;
    await Deno.writeTextFile(p("roots/files/hello.txt"), marker);
    await Deno.chmod(p("roots/files/hello.txt"), 0o644);

    const router = await startRouter(p("data"), LIVE_SOCKET, {
      env: { MCP_ROUTER_MOUNT_ROOTS: p("roots"), MCP_ROUTER_LOG_LEVEL: "warn" },
    });
    const client = new Client({ name: "mounts-test", version: "1" });
    try {
      // Outside the roots: refused, naming the setting.
      const outside = await addWithMounts(router, "npx:@modelcontextprotocol/server-filesystem", {
        args: ["/data"],
        mounts: [{ source: p("outside"), target: "/data" }],
      });
      assert.equal(outside.status, 400);
      assert.match((await outside.json()).error.message, /outside MCP_ROUTER_MOUNT_ROOTS/);

      const created = await addWithMounts(
        router,
        "npx:@modelcontextprotocol/server-filesystem",
        {
          args: ["/data", "/drop"],
          mounts: [
            { source: p("roots/files"), target: "/data" },
            { source: p("roots/drop"), target: "/drop", readonly: false },
          ],
        },
      );
      assert.equal(created.status, 201, await created.clone().text());
      const fs = await created.json() as { id: string; name: string };
      const fsTools = await testServer(router, fs.id);
      const read = fsTools.includes("read_text_file") ? "read_text_file" : "read_file";
      assert.ok(fsTools.includes(read), fsTools.join(", "));

      await client.connect(new StreamableHTTPClientTransport(new URL(`${router.base}/mcp`)));
      const got = await callThrough(client, fs.name, read, { path: "/data/hello.txt" });
      assert.equal(got.isError, false, got.text);
      assert.match(got.text, new RegExp(marker));

      // Read-only mount: no writing. rw mount: writing where the host lets others write.
      const roWrite = await callThrough(client, fs.name, "write_file", {
        path: "/data/new.txt",
        content: "x",
      });
      assert.ok(roWrite.isError, `read-only mount refused the write: ${roWrite.text}`);
      assert.match(roWrite.text, /read-only|EROFS|permission/i);
      const rwWrite = await callThrough(client, fs.name, "write_file", {
        path: "/drop/out.txt",
        content: "written in the container",
      });
      assert.equal(rwWrite.isError, false, rwWrite.text);
      assert.equal(await Deno.readTextFile(p("roots/drop/out.txt")), "written in the container");
      const owner = (await Deno.stat(p("roots/drop/out.txt"))).uid;
      console.log(`rw: a file written on the rw mount belongs to host uid ${owner}`);

      if (!HAS_GIT) {
        console.log("git part skipped: no git on this host");
        return;
      }
      await git(p("roots/repo"), "init", "-q", "-b", "main");
      await Deno.writeTextFile(p("roots/repo/README.md"), "# mounted repo\n");
      await git(p("roots/repo"), "add", "README.md");
      await git(p("roots/repo"), "commit", "-q", "-m", "First commit on the host");
      await new Deno.Command("chmod", { args: ["-R", "o+rX", p("roots/repo")] }).output();

      const gitCreated = await addWithMounts(router, "uvx:mcp-server-git", {
        args: ["--repository", "/repo"],
        mounts: [{ source: p("roots/repo"), target: "/repo" }],
      });
      assert.equal(gitCreated.status, 201, await gitCreated.clone().text());
      const gitServer = await gitCreated.json() as { id: string; name: string };
      const gitTools = await testServer(router, gitServer.id);
      assert.ok(gitTools.includes("git_log"), gitTools.join(", "));
      const log = await callThrough(client, gitServer.name, "git_log", { repo_path: "/repo" });
      assert.equal(log.isError, false, log.text);
      assert.match(log.text, /First commit on the host/);
    } finally {
      await client.close().catch(() => {});
      await router.stop();
    }
  },
});
