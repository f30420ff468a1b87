/**
 * The router end to end with real containers, through each upstream transport (stdio as Claude
 * Desktop spawns it, streamable HTTP on /mcp, legacy SSE): list (starts nothing), load, call,
 * image content, resources, prompts, progress; closing the session removes its containers.
 */
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/client/sse"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { openServices, type RouterServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { loadSettings } from "../../server/settings.ts";
import { currentLauncher, stdioEntry } from "../../server/config/claude_desktop.ts";
import { LIVE_SOCKET } from "../runtime/podman/live.ts";
import { addTested, quietLogs } from "../helpers.ts";

const SOCKET = LIVE_SOCKET ?? "";
const hasSocket = LIVE_SOCKET !== undefined;
const PNG = [0x89, 0x50, 0x4e, 0x47];

type Content = { type: string; text?: string; data?: string; mimeType?: string }[];

async function addServers(services: RouterServices) {
  const plans = [
    {
      name: "everything",
      runtime: "npx",
      package: "@modelcontextprotocol/server-everything",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-everything"],
      description: "Reference server with every MCP feature",
    },
    {
      name: "memory",
      runtime: "npx",
      package: "@modelcontextprotocol/server-memory",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-memory"],
      env: [{ key: "MEMORY_FILE_PATH", default: "/tmp/memory.json" }],
    },
    {
      name: "time",
      runtime: "uvx",
      package: "mcp-server-time",
      command: "uvx",
      args: ["mcp-server-time"],
    },
  ];
  for (const plan of plans) await addTested(services, plan);
}

async function routerContainers(owner?: number): Promise<number> {
  const filters = JSON.stringify({
    label: ["mcp-router=1", ...(owner ? [`mcp-router.owner=${owner}`] : [])],
  });
  const client = Deno.createHttpClient({ proxy: { transport: "unix", path: SOCKET } });
  try {
    const res = await fetch(
      `http://d/v4.0.0/libpod/containers/json?all=true&filters=${encodeURIComponent(filters)}`,
      { client },
    );
    return (await res.json() as unknown[]).length;
  } finally {
    client.close();
  }
}

/** Everything a client should be able to do through the router, whatever the transport. */
/**
 * The router's own pid under `root`: the entry may start deno through `npx -y deno@VERSION`
 * (when this deno runs from the npx cache), and containers carry the router's pid as owner.
 */
function routerPid(root: number): number {
  const parents = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      parents.set(Number(e.name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const comm = (pid: number) => {
    try {
      return Deno.readTextFileSync(`/proc/${pid}/comm`).trim();
    } catch {
      return "";
    }
  };
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (comm(pid) === "deno") return pid;
    for (const [child, parent] of parents) if (parent === pid) queue.push(child);
  }
  return root;
}

async function exercise(client: Client, label: string, containers: () => Promise<number>) {
  const before = await containers();
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  for (const n of ["everything", "memory", "time", "python_sandbox"]) {
    assert.ok(names.includes(n), `${label}: ${n}`);
  }
  assert.equal(await containers(), before, `${label}: tools/list starts no container`);
  assert.match(tools.find((t) => t.name === "everything")!.description ?? "", /echo/);

  const loaded = await client.callTool({ name: "everything", arguments: {} });
  const listed = (loaded.structuredContent as { tools: { name: string }[] }).tools.map((t) =>
    t.name
  );
  assert.ok(listed.includes("echo"), label);

  const echo = await client.callTool({
    name: "everything",
    arguments: { tool: "echo", arguments: { message: `hello via ${label}` } },
  });
  assert.match((echo.content as Content)[0].text ?? "", new RegExp(`hello via ${label}`));

  const image = await client.callTool({
    name: "everything",
    arguments: { tool: "get-tiny-image" },
  });
  const img = (image.content as Content).find((c) => c.type === "image");
  assert.ok(img?.data, `${label}: image content`);
  const bytes = Uint8Array.from(atob(img.data), (c) => c.charCodeAt(0));
  assert.deepEqual([...bytes.slice(0, 4)], PNG);

  const progress: number[] = [];
  const long = await client.callTool(
    {
      name: "everything",
      arguments: { tool: "trigger-long-running-operation", arguments: { duration: 1, steps: 3 } },
    },
    undefined,
    { onprogress: (p) => progress.push(p.progress) },
  );
  assert.ok(!long.isError, JSON.stringify(long.content));
  assert.ok(progress.length >= 2, `${label}: progress relayed (${progress.length})`);

  const entity = `router-${label}`;
  const created = await client.callTool({
    name: "memory",
    arguments: {
      tool: "create_entities",
      arguments: { entities: [{ name: entity, entityType: "test", observations: ["x"] }] },
    },
  });
  assert.ok(!created.isError, JSON.stringify(created.content));
  const graph = await client.callTool({ name: "memory", arguments: { tool: "read_graph" } });
  assert.match(JSON.stringify(graph.content), new RegExp(entity));

  const time = await client.callTool({
    name: "time",
    arguments: { tool: "get_current_time", arguments: { timezone: "UTC" } },
  });
  assert.match(JSON.stringify(time.content), /UTC/);

  const { resources } = await client.listResources();
  const doc = resources.find((r) => r.uri.startsWith("mcp-router://everything/"));
  assert.ok(doc, `${label}: resources listed`);
  const read = await client.readResource({ uri: doc.uri });
  assert.ok(read.contents.length > 0);

  const { prompts } = await client.listPrompts();
  const simple = prompts.find((p) => p.name === "everything__simple-prompt");
  assert.ok(simple, `${label}: prompts listed`);
  const prompt = await client.getPrompt({ name: simple.name });
  assert.ok(prompt.messages.length > 0);

  const unknown = await client.callTool({ name: "everything", arguments: { tool: "nope" } });
  assert.equal(unknown.isError, true);
  assert.equal(await containers(), before + 3, `${label}: one container per loaded server`);
}

Deno.test({
  name: "Router with containers - stdio, streamable HTTP and SSE clients",
  ignore: !hasSocket,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    quietLogs();
    const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-e2e-" });
    const settings = loadSettings({ HOME: dataDir, MCP_ROUTER_PODMAN_SOCKET: SOCKET }, { dataDir });
    const services = await openServices(settings);
    const app = createRouterApp(services);
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    try {
      await addServers(services);

      await t.step("streamable HTTP /mcp", async () => {
        const client = new Client({ name: "e2e-http", version: "1" });
        const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
        await client.connect(transport);
        await exercise(client, "http", () => Promise.resolve(services.pool.containerCount()));
        await transport.terminateSession();
        await client.close();
        for (let i = 0; i < 50 && services.pool.containerCount() > 0; i++) {
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(services.pool.containerCount(), 0, "DELETE ends the session's containers");
      });

      await t.step("legacy SSE /sse", async () => {
        const client = new Client({ name: "e2e-sse", version: "1" });
        await client.connect(new SSEClientTransport(new URL(`${base}/sse`)));
        await exercise(client, "sse", () => Promise.resolve(services.pool.containerCount()));
        await client.close();
        for (let i = 0; i < 50 && services.pool.containerCount() > 0; i++) {
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(services.pool.containerCount(), 0, "closing the SSE stream ends the session");
      });

      await t.step("stdio, as Claude Desktop spawns it from the generated entry", async () => {
        await services.close();
        // The entry `config claude-desktop` prints, run with nothing else but the SDK's default
        // environment (HOME, PATH, USER…), as Claude Desktop does.
        const entry = stdioEntry(currentLauncher(), dataDir, {
          MCP_ROUTER_PODMAN_SOCKET: SOCKET,
          MCP_ROUTER_LOG_LEVEL: "warn",
          DENO_TLS_CA_STORE: Deno.env.get("DENO_TLS_CA_STORE"),
          ANTHROPIC_API_KEY: "sk-ant-not-carried",
        });
        assert.equal(entry.env?.ANTHROPIC_API_KEY, undefined);
        const transport = new StdioClientTransport({
          command: entry.command,
          args: entry.args,
          env: entry.env,
          stderr: "ignore",
        });
        const client = new Client({ name: "e2e-stdio", version: "1" });
        await client.connect(transport);
        const pid = routerPid(transport.pid!);
        await exercise(client, "stdio", () => routerContainers(pid));
        await client.close();
        for (let i = 0; i < 100 && (await routerContainers(pid)) > 0; i++) {
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(
          await routerContainers(pid),
          0,
          "closing stdio removes the session's containers",
        );
      });
    } finally {
      await app.closeSessions();
      await server.shutdown();
      await services.close().catch(() => {});
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
