/**
 * Integration: real MCP servers in rootless Podman containers through the downstream pool.
 * Needs `MCP_ROUTER_PODMAN_SOCKET` (see runtime/setup.sh) and the base/node/uv runtime images
 * (`deno task images`); skipped with a message otherwise. First run builds install images
 * (npm / PyPI downloads), later runs reuse them.
 */
import assert from "node:assert/strict";
import { PodmanBackend } from "../../runtime/podman/backend.ts";
import { ensureImageFromContainerfile, ensureRuntimeImage } from "../../runtime/images.ts";
import {
  removeServerImage,
  serverImageResolver,
  serverImageTag,
} from "../../runtime/install_image.ts";
import { getLogs } from "../../runtime/log_buffer.ts";
import { testSettings } from "../../server/settings.ts";
import { type ServerRecord, ServerRecordSchema } from "../../server/schemas/server.ts";
import { DownstreamPool, type SessionEvent } from "../../server/mcp/downstream/pool.ts";
import { DownstreamError } from "../../server/mcp/downstream/errors.ts";
import { LIVE_SOCKET, NO_PODMAN, testContainerSpec } from "../runtime/podman/live.ts";

const socket = LIVE_SOCKET ?? "";
const skipReason = NO_PODMAN ? "MCP_ROUTER_PODMAN_SOCKET unset or not a socket" : "";
if (skipReason) console.warn(`downstream integration tests skipped: ${skipReason}`);

function record(name: string, fields: Record<string, unknown>): ServerRecord {
  return ServerRecordSchema.parse({
    id: `it-${name}`,
    name: `it-${name}`,
    display_name: name,
    description: "",
    source: { kind: "npx", ref: name },
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...fields,
  });
}

function textOf(result: unknown): string {
  const r = result as { content: { type: string; text?: string }[] };
  return r.content.map((c) => c.text ?? "").join("\n");
}

const EVERYTHING = "@modelcontextprotocol/server-everything";

/** A dependency-free stdio MCP server for the `image:` case. */
const TINY_SERVER = `
const rl = require("readline").createInterface({ input: process.stdin });
const send = (m) => process.stdout.write(JSON.stringify(m) + "\\n");
console.error("tiny server up");
rl.on("line", (line) => {
  let m; try { m = JSON.parse(line); } catch { return; }
  if (m.id === undefined) return;
  const ok = (result) => send({ jsonrpc: "2.0", id: m.id, result });
  if (m.method === "initialize") ok({ protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "tiny", version: "1" } });
  else if (m.method === "tools/list") ok({ tools: [{ name: "echo", inputSchema: { type: "object", properties: { message: { type: "string" } } } }] });
  else if (m.method === "tools/call") ok({ content: [{ type: "text", text: "tiny: " + m.params.arguments.message }] });
  else if (m.method === "ping") ok({});
  else send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "no such method" } });
});
`;

Deno.test({
  name: "Downstream integration - real servers in Podman containers",
  ignore: skipReason !== "",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const settings = testSettings({
      podmanSocket: socket,
      startTimeoutMs: 60_000,
      callTimeoutMs: 60_000,
    });
    const backend = PodmanBackend.fromSettings(settings);
    const deps = { settings, client: backend.client };
    const events: SessionEvent[] = [];
    const pool = new DownstreamPool({
      settings,
      backend,
      resolveImage: serverImageResolver(deps),
      onSessionEvent: (e) => events.push(e),
    });
    // Unique per run: other suites may share the Podman service.
    const run = crypto.randomUUID().slice(0, 6);
    const sessions = new Set<string>();
    const session = (id: string) => {
      const full = `${id}-${run}`;
      sessions.add(full);
      return full;
    };
    try {
      await t.step("npx server-everything: tools/list and echo", async () => {
        const server = record("everything", {
          runtime: "npx",
          command: "npx",
          args: ["-y", EVERYTHING],
        });
        const conn = await pool.get(session("it-s1"), server, {});
        const tools = (await conn.client.listTools()).tools as { name: string }[];
        assert.ok(tools.some((x) => x.name === "echo"));
        const r = await conn.callTool({ name: "echo", arguments: { message: "hi" } });
        assert.equal(textOf(r), "Echo: hi");
        assert.ok(conn.containerId);
        const listed = await backend.list({ "mcp-router.session": session("it-s1") });
        assert.equal(listed.length, 1);
        assert.equal(listed[0].labels["mcp-router.server"], "it-everything");
      });

      await t.step("npx server-memory: create_entities", async () => {
        const server = record("memory", {
          runtime: "npx",
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-memory"],
          env: [{ key: "MEMORY_FILE_PATH", default: "/tmp/memory.jsonl" }],
        });
        const conn = await pool.get(session("it-s1"), server, {});
        const r = await conn.callTool({
          name: "create_entities",
          arguments: {
            entities: [{ name: "Ada", entityType: "person", observations: ["wrote programs"] }],
          },
        });
        assert.match(textOf(r), /Ada/);
        const graph = await conn.callTool({ name: "read_graph", arguments: {} });
        assert.match(textOf(graph), /wrote programs/);
      });

      await t.step("uvx mcp-server-time: get_current_time", async () => {
        await ensureRuntimeImage("uv", deps);
        const server = record("time", {
          runtime: "uvx",
          command: "uvx",
          args: ["mcp-server-time", "--local-timezone", "UTC"],
          source: { kind: "uvx", ref: "mcp-server-time" },
        });
        const conn = await pool.get(session("it-s1"), server, {});
        const r = await conn.callTool({ name: "get_current_time", arguments: { timezone: "UTC" } });
        assert.match(textOf(r), /UTC/);
      });

      await t.step("image: a local image built FROM the node runtime", async () => {
        const node = await ensureRuntimeImage("node", deps);
        const tag = await ensureImageFromContainerfile(deps, {
          name: "localhost/mcp-router-it-tiny",
          containerfile:
            `FROM ${node}\nCOPY server.js /app/server.js\nCMD ["node", "/app/server.js"]\n`,
          contextFiles: { "server.js": TINY_SERVER },
        });
        const server = record("tiny", {
          runtime: "image",
          image: tag,
          command: null,
          source: { kind: "image", ref: tag },
        });
        const conn = await pool.get(session("it-s1"), server, {});
        const r = await conn.callTool({ name: "echo", arguments: { message: "boxed" } });
        assert.equal(textOf(r), "tiny: boxed");
        assert.ok(getLogs("it-tiny").some((l) => l.line.includes("tiny server up")));
      });

      await t.step(
        "source: install steps run at build time; removeServerImage deletes it",
        async () => {
          const server = record("source", {
            runtime: "source",
            install: [`cat > server.js <<'EOF'\n${TINY_SERVER}\nEOF`],
            command: "node",
            args: ["server.js"],
            source: { kind: "github", ref: "https://example.invalid/tiny" },
          });
          const conn = await pool.get(session("it-s1"), server, {});
          const r = await conn.callTool({ name: "echo", arguments: { message: "built" } });
          assert.equal(textOf(r), "tiny: built");
          await conn.close();
          const tag = await serverImageTag(server, settings);
          assert.ok(await backend.imageExists(tag));
          await removeServerImage(server, deps);
          assert.equal(await backend.imageExists(tag), false);
          await removeServerImage(server, deps); // already gone: fine
        },
      );

      await t.step("sse and streamable HTTP downstreams through a published port", async () => {
        for (const [transport, mode] of [["sse", "sse"], ["http", "streamableHttp"]] as const) {
          const server = record(`everything-${transport}`, {
            runtime: "npx",
            command: "npx",
            args: ["-y", EVERYTHING, mode],
            transport,
            port: 3001,
          });
          const conn = await pool.get(session("it-s1"), server, {});
          const r = await conn.callTool({ name: "echo", arguments: { message: transport } });
          assert.equal(textOf(r), `Echo: ${transport}`);
          const state = await backend.inspect(conn.containerId!);
          assert.ok(state.ports[3001] > 0);
        }
      });

      await t.step(
        "two sessions get two containers; ending one removes its container",
        async () => {
          const server = record("everything", {
            runtime: "npx",
            command: "npx",
            args: ["-y", EVERYTHING],
          });
          const a = await pool.get(session("it-s2"), server, {});
          const b = await pool.get(session("it-s3"), server, {});
          assert.notEqual(a.containerId, b.containerId);
          await pool.endSession(session("it-s2"));
          assert.deepEqual(await backend.list({ "mcp-router.session": session("it-s2") }), []);
          assert.equal((await backend.list({ "mcp-router.session": session("it-s3") })).length, 1);
          assert.ok(events.some((e) => e.type === "stopped" && e.sessionId === session("it-s2")));
        },
      );

      await t.step(
        "a server killed mid-call fails that call; the next call gets a fresh container",
        async () => {
          const server = record("everything", {
            runtime: "npx",
            command: "npx",
            args: ["-y", EVERYTHING],
          });
          const conn = await pool.get(session("it-s4"), server, {});
          const call = conn.callTool({
            name: "trigger-long-running-operation",
            arguments: { duration: 30, steps: 3 },
          });
          const outcome = call.then(() => null, (e: unknown) => e);
          await new Promise((r) => setTimeout(r, 1_500));
          await backend.remove(conn.containerId!, { force: true });
          await assert.rejects(
            outcome.then((e) => Promise.reject(e ?? new Error("call succeeded"))),
            (e: unknown) => {
              assert.ok(e instanceof DownstreamError, String(e));
              assert.equal(e.kind, "crashed");
              assert.match(e.message, /it-everything/);
              assert.match(e.message, /\/api\/servers\/it-everything\/logs/);
              return true;
            },
          );
          const fresh = await pool.get(session("it-s4"), server, {});
          assert.notEqual(fresh.containerId, conn.containerId);
          const r = await fresh.callTool({ name: "echo", arguments: { message: "again" } });
          assert.equal(textOf(r), "Echo: again");
        },
      );

      await t.step("sweepOrphans removes containers left by a crashed run", async () => {
        const node = await ensureRuntimeImage("node", deps);
        const id = await backend.create(testContainerSpec({
          image: node,
          command: ["sleep", "60"],
          labels: { "mcp-router": "1", "mcp-router.session": session("it-orphan") },
        }));
        await backend.start(id);
        assert.equal(
          await pool.sweepOrphans({
            match: (l) => l["mcp-router.session"]?.endsWith(run) ?? false,
          }),
          1,
        );
        assert.deepEqual(await backend.list({ "mcp-router.session": session("it-orphan") }), []);
        // live pool containers survive the sweep
        assert.equal((await backend.list({ "mcp-router.session": session("it-s3") })).length, 1);
      });
    } finally {
      await pool.shutdown();
      for (const s of sessions) {
        assert.deepEqual(
          await backend.list({ "mcp-router.session": s }),
          [],
          `session ${s} leaked`,
        );
      }
      backend.close();
    }
  },
});
