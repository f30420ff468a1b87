/**
 * What the Connect page and `config claude-desktop` are built from: a launcher that never points
 * into the npx cache, the public `/mcp` origin, the `mcp-remote` snippets, and one-time reveals.
 */
import assert from "node:assert/strict";
import {
  currentLauncher,
  isNpxCachePath,
  launcherFor,
  remoteCommand,
  remoteEntry,
} from "../../../server/config/claude_desktop.ts";
import { publicMcpUrl } from "../../../server/config/public_origin.ts";
import { OneTimeReveals } from "../../../server/pages/key_reveals.ts";

const FACTS = {
  denoVersion: "2.9.6",
  mainPath: "/opt/mcp-router/main.ts",
  configPath: "/opt/mcp-router/deno.json",
};
const RUN = ["run", "-A", "--config", "/opt/mcp-router/deno.json", "/opt/mcp-router/main.ts"];

Deno.test("Launcher - deno from the npx cache becomes `npx -y deno@VERSION`, never the cache path", () => {
  const exec = "/home/u/.npm/_npx/7a40be787520bede/node_modules/deno/deno";
  assert.ok(isNpxCachePath(exec));
  assert.ok(isNpxCachePath("C:\\Users\\u\\AppData\\Local\\npm-cache\\_npx\\ab12\\deno.exe"));
  const launcher = launcherFor({ ...FACTS, execPath: exec });
  assert.deepEqual(launcher, { command: "npx", args: ["-y", "deno@2.9.6", ...RUN] });
  assert.ok(!JSON.stringify(launcher).includes("_npx"));
});

Deno.test("Launcher - a stable deno install and a compiled binary are used as they are", () => {
  assert.deepEqual(launcherFor({ ...FACTS, execPath: "/usr/bin/deno" }), {
    command: "/usr/bin/deno",
    args: RUN,
  });
  assert.deepEqual(launcherFor({ ...FACTS, execPath: "/opt/mcp-router/dist/mcp-router" }), {
    command: "/opt/mcp-router/dist/mcp-router",
    args: [],
  });
  assert.ok(!JSON.stringify(currentLauncher()).includes("_npx"), "this very process");
});

Deno.test("Remote snippets - the key fills the header once; plain http elsewhere needs --allow-http", () => {
  const key = "mcpr_" + "a".repeat(48);
  assert.equal(
    remoteCommand("https://mcp.example.com/mcp", key),
    `npx -y mcp-remote https://mcp.example.com/mcp --header "Authorization: Bearer ${key}"`,
  );
  assert.match(remoteCommand("https://h/mcp"), /Bearer \$\{KEY\}"$/);
  const entry = remoteEntry("https://mcp.example.com/mcp", key);
  assert.equal(entry.env?.MCP_ROUTER_AUTH, `Bearer ${key}`);
  assert.equal(JSON.stringify(entry).split(key).length - 1, 1);
  assert.ok(remoteEntry("http://10.0.0.5:8080/mcp").args.includes("--allow-http"));
  assert.ok(!remoteEntry("http://127.0.0.1:8080/mcp").args.includes("--allow-http"));
  assert.match(remoteCommand("http://10.0.0.5:8080/mcp"), /--allow-http$/);
});

Deno.test("Public origin - request Host, then allowed hosts, then a concrete listen address", () => {
  const settings = { host: "127.0.0.1", port: 8080, allowedHosts: [] as string[] };
  const req = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });
  assert.equal(publicMcpUrl(req("http://127.0.0.1:8080/connect"), settings), null);
  assert.equal(publicMcpUrl(req("http://localhost:8080/connect"), settings), null);
  assert.equal(
    publicMcpUrl(req("http://mcp.example.com/connect", { "x-forwarded-proto": "https" }), settings),
    "https://mcp.example.com/mcp",
  );
  assert.equal(
    publicMcpUrl(req("http://box.lan:8080/connect"), settings),
    "http://box.lan:8080/mcp",
  );
  assert.equal(
    publicMcpUrl(req("http://127.0.0.1:8080/"), {
      ...settings,
      allowedHosts: ["localhost", "mcp.example.com"],
    }),
    "https://mcp.example.com/mcp",
  );
  assert.equal(
    publicMcpUrl(req("http://127.0.0.1:8080/"), { ...settings, host: "192.168.1.9" }),
    "http://192.168.1.9:8080/mcp",
  );
  assert.equal(publicMcpUrl(req("http://127.0.0.1:8080/"), { ...settings, host: "0.0.0.0" }), null);
});

Deno.test("One-time reveals - read once, expire, bounded", () => {
  let now = 0;
  const reveals = new OneTimeReveals({ ttlMs: 1000, max: 2, now: () => now });
  const a = reveals.put({ name: "a", key: "ka" });
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.deepEqual(reveals.take(a), { name: "a", key: "ka" });
  assert.equal(reveals.take(a), null, "single use");
  const b = reveals.put({ name: "b", key: "kb" });
  now = 1000;
  assert.equal(reveals.take(b), null, "expired");
  const [c, d, e] = ["c", "d", "e"].map((n) => reveals.put({ name: n, key: n }));
  assert.equal(reveals.take(c), null, "the oldest went first");
  assert.equal(reveals.take(d)?.name, "d");
  assert.equal(reveals.take(e)?.name, "e");
});
