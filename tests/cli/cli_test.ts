import assert from "node:assert/strict";
import { withTmpDir } from "../helpers.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

async function cli(args: string[], env: Record<string, string>, stdin?: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, MAIN, ...args],
    env: {
      ...env,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      MCP_ROUTER_PODMAN_SOCKET: "/nonexistent/podman.sock",
      NO_COLOR: "1",
    },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const { code, stdout, stderr } = await child.output();
  return {
    code,
    stdout: new TextDecoder().decode(stdout),
    stderr: new TextDecoder().decode(stderr),
  };
}

Deno.test("CLI - add, list, env set, remove against a temp data dir", async () => {
  await using tmp = await withTmpDir();
  const env = { MCP_ROUTER_DATA: `${tmp.path}/data`, HOME: tmp.path };
  const add = await cli(["add", "npx:@modelcontextprotocol/server-memory"], env);
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /added server-memory/);
  const second = await cli(["add", "npx:@modelcontextprotocol/server-memory"], env);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /added server-memory-2/);
  const dup = await cli([
    "add",
    "npx:@modelcontextprotocol/server-memory",
    "--name",
    "server-memory",
  ], env);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /already exists/);
  assert.equal((await cli(["remove", "server-memory-2"], env)).code, 0);
  const list = await cli(["list"], env);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /server-memory\tnpx\tstdio/);
  const set = await cli(["env", "set", "server-memory", "MY_TOKEN"], env, "tok-value-123\n");
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /secret, encrypted/);
  const json = await cli(["list", "--json"], env);
  assert.ok(!json.stdout.includes("tok-value-123"));
  const rm = await cli(["remove", "server-memory"], env);
  assert.equal(rm.code, 0);
  assert.match((await cli(["list"], env)).stdout, /no servers yet/);
  assert.equal((await cli(["remove", "server-memory"], env)).code, 1);
});

Deno.test("CLI - usage errors exit 2, help exits 0", async () => {
  await using tmp = await withTmpDir();
  const env = { MCP_ROUTER_DATA: `${tmp.path}/data`, HOME: tmp.path };
  assert.equal((await cli(["frobnicate"], env)).code, 2);
  assert.equal((await cli(["add"], env)).code, 2);
  assert.equal((await cli(["add", "--bogus", "x"], env)).code, 2);
  assert.equal((await cli([], env)).code, 2);
  for (const verb of ["serve", "add", "list", "remove", "env", "config"]) {
    const r = await cli([verb, "--help"], env);
    assert.equal(r.code, 0, verb);
    assert.match(r.stdout, /Usage/);
  }
  const bad = await cli(["add", "ftp://example.com/x"], env);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split("\n").length, 1);
});

Deno.test("CLI - config claude-desktop --install merges into a temp HOME", async () => {
  await using tmp = await withTmpDir();
  const env = {
    MCP_ROUTER_DATA: `${tmp.path}/data`,
    HOME: tmp.path,
    MCP_ROUTER_CA_BUNDLE: "/etc/ssl/certs/ca-certificates.crt",
    MCP_ROUTER_PORT: "9999",
    ANTHROPIC_API_KEY: "sk-ant-never-in-config",
    GITHUB_TOKEN: "ghp_never_in_config",
  };
  const printed = await cli(["config", "claude-desktop"], env);
  assert.equal(printed.code, 0);
  const entry = JSON.parse(printed.stdout).mcpServers["mcp-router"];
  assert.equal(entry.args.at(-1), "stdio");
  assert.ok(entry.args.includes(MAIN));
  assert.equal(entry.env.MCP_ROUTER_DATA, `${tmp.path}/data`);
  // The spawned router gets this shell's settings (socket, CA bundle), never a secret.
  assert.equal(entry.env.MCP_ROUTER_PODMAN_SOCKET, "/nonexistent/podman.sock");
  assert.equal(entry.env.MCP_ROUTER_CA_BUNDLE, "/etc/ssl/certs/ca-certificates.crt");
  assert.equal(entry.env.MCP_ROUTER_PORT, undefined);
  assert.ok(!printed.stdout.includes("never"), printed.stdout);

  const dir = `${tmp.path}/.config/Claude`;
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/claude_desktop_config.json`;
  const original = { theme: "dark", mcpServers: { other: { command: "x", args: [] } } };
  await Deno.writeTextFile(path, JSON.stringify(original));
  const install = await cli(["config", "claude-desktop", "--install"], env);
  assert.equal(install.code, 0, install.stderr);
  const merged = JSON.parse(await Deno.readTextFile(path));
  assert.equal(merged.theme, "dark");
  assert.deepEqual(merged.mcpServers.other, original.mcpServers.other);
  assert.equal(merged.mcpServers["mcp-router"].args.at(-1), "stdio");
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${path}.bak`)), original);

  await Deno.writeTextFile(path, "{not json");
  const invalid = await cli(["config", "claude-desktop", "--install"], env);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /not valid JSON/);
  assert.equal(await Deno.readTextFile(path), "{not json");
});
