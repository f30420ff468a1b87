import assert from "node:assert/strict";
import { testSettings } from "../../../../server/settings.ts";
import { DownstreamPool, type SessionEvent } from "../../../../server/mcp/downstream/pool.ts";
import { DownstreamError } from "../../../../server/mcp/downstream/errors.ts";
import { getLogs } from "../../../../runtime/log_buffer.ts";
import { ContainerSlots } from "../../../../runtime/sessions.ts";
import { echoRecord, ProcessBackend } from "./process_backend.ts";

const record = echoRecord;

function textOf(result: unknown): string {
  const r = result as { content: { type: string; text: string }[] };
  return r.content.map((c) => c.text).join("");
}

function setup(overrides: Record<string, unknown> = {}, slots?: ContainerSlots) {
  const backend = new ProcessBackend();
  const events: SessionEvent[] = [];
  const pool = new DownstreamPool({
    settings: testSettings({ startTimeoutMs: 20_000, callTimeoutMs: 10_000, ...overrides }),
    backend,
    onSessionEvent: (e) => events.push(e),
    slotWaitMs: 300,
    slots,
  });
  return { backend, pool, events };
}

Deno.test("DownstreamPool - first get starts one container, later gets reuse it", async () => {
  const { backend, pool, events } = setup();
  try {
    const server = record();
    const [a, b] = await Promise.all([
      pool.get("s1", server, { ECHO_PREFIX: "1:" }),
      pool.get("s1", server, { ECHO_PREFIX: "1:" }),
    ]);
    assert.equal(a.containerId, b.containerId);
    assert.equal(backend.created.length, 1);
    const r = await a.callTool({ name: "echo", arguments: { message: "x" } });
    assert.equal(textOf(r), "1:x");
    const c = await pool.get("s1", server, { ECHO_PREFIX: "1:" });
    assert.equal(c.containerId, a.containerId);
    assert.equal(events.filter((e) => e.type === "started").length, 1);
    const spec = backend.created[0];
    assert.equal(spec.labels["mcp-router.session"], "s1");
    assert.equal(spec.labels["mcp-router.server"], "echo");
    assert.equal(spec.env.ECHO_PREFIX, "1:");
  } finally {
    await pool.shutdown();
  }
  assert.equal(backend.containers.size, 0);
});

Deno.test("DownstreamPool - peek finds a principal's running connection and starts nothing", async () => {
  const { backend, pool } = setup();
  try {
    const server = record();
    assert.equal(pool.peek("s1", server, {}, { principal: "key:a" }), null);
    const a = await pool.get("s1", server, {}, { principal: "key:a" });
    assert.equal(pool.peek("s1", server, {}, { principal: "key:a" })?.containerId, a.containerId);
    assert.equal(pool.peek("s1", server, {}, { principal: "admin" }), null);
    assert.equal(pool.peek("s1", server, { X: "changed" }, { principal: "key:a" }), null);
    assert.equal(backend.created.length, 1);
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - two sessions get two containers; endSession removes only its own", async () => {
  const { backend, pool, events } = setup();
  try {
    const server = record();
    const a = await pool.get("s1", server, {});
    const b = await pool.get("s2", server, {});
    assert.notEqual(a.containerId, b.containerId);
    assert.equal(backend.containers.size, 2);
    await pool.endSession("s1");
    assert.equal(backend.containers.size, 1);
    assert.ok(backend.containers.has(b.containerId!));
    const stopped = events.find((e) => e.type === "stopped");
    assert.ok(stopped && stopped.type === "stopped" && stopped.reason === "session_ended");
    assert.deepEqual(await backend.list({ "mcp-router.session": "s1" }), []);
    const r = await b.callTool({ name: "echo", arguments: { message: "still" } });
    assert.equal(textOf(r), "still");
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - shutdown waits for a teardown already under way", async () => {
  const { backend, pool } = setup();
  const server = record();
  await pool.get("s1", server, {});
  // Slow removal, as over a busy Podman socket; the session end is not awaited (a client that
  // just disconnected), then the router shuts down and closes its backend.
  const remove = backend.remove.bind(backend);
  backend.remove = async (id: string) => {
    await new Promise((r) => setTimeout(r, 200));
    await remove(id);
  };
  const ending = pool.endSession("s1");
  await pool.shutdown();
  assert.equal(backend.containers.size, 0, "removed before shutdown returned");
  await ending;
});

Deno.test("DownstreamPool - crash mid-call rejects with a clear error and the next get is fresh", async () => {
  const { backend, pool, events } = setup();
  try {
    const server = record();
    const first = await pool.get("s1", server, {});
    await assert.rejects(
      first.callTool({ name: "crash", arguments: {} }),
      (error: unknown) => {
        assert.ok(error instanceof DownstreamError, String(error));
        assert.equal(error.kind, "crashed");
        assert.match(error.message, /echo exited with code 3/);
        assert.match(error.message, /\/api\/servers\/srv-echo\/logs/);
        return true;
      },
    );
    const second = await pool.get("s1", server, {});
    assert.notEqual(second.containerId, first.containerId);
    const r = await second.callTool({ name: "echo", arguments: { message: "back" } });
    assert.equal(textOf(r), "back");
    // the crashed container was removed
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!backend.containers.has(first.containerId!));
    const crashed = events.find((e) => e.type === "stopped" && e.reason === "crashed");
    assert.ok(crashed && crashed.type === "stopped" && crashed.exitCode === 3);
    assert.ok(getLogs("srv-echo").some((l) => l.line.includes("crashing on purpose")));
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - call lifecycle gets a fresh container per call", async () => {
  const { backend, pool } = setup();
  try {
    const server = record({ lifecycle: "call" });
    const pids: string[] = [];
    for (let i = 0; i < 2; i++) {
      pids.push(
        await pool.withConnection(
          "s1",
          server,
          {},
          async (conn) => textOf(await conn.callTool({ name: "pid", arguments: {} })),
        ),
      );
      assert.equal(backend.containers.size, 0);
    }
    assert.notEqual(pids[0], pids[1]);
    assert.equal(backend.created.length, 2);
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - shared lifecycle uses one container for all sessions", async () => {
  const { backend, pool } = setup();
  try {
    const server = record({ lifecycle: "shared" });
    const a = await pool.get("s1", server, {});
    const b = await pool.get("s2", server, {});
    assert.equal(a.containerId, b.containerId);
    assert.equal(backend.created[0].labels["mcp-router.session"], "shared");
    await pool.endSession("s1");
    assert.equal(backend.containers.size, 1);
  } finally {
    await pool.shutdown();
  }
  assert.equal(backend.containers.size, 0);
});

Deno.test("DownstreamPool - caps: over the limit waits then fails clearly", async () => {
  const { pool } = setup({ maxContainers: 2, maxContainersPerServer: 1 });
  try {
    await pool.get("s1", record(), {});
    await assert.rejects(pool.get("s2", record(), {}), /too many containers for echo/);
    await pool.get("s2", record({ name: "other" }), {});
    await assert.rejects(pool.get("s3", record({ name: "third" }), {}), /container limit reached/);
    // freeing a slot lets a waiter in
    const waiting = pool.get("s4", record({ name: "third" }), {});
    await pool.endSession("s1");
    const conn = await waiting;
    assert.equal(conn.serverName, "third");
    assert.equal(pool.containerCount(), 2);
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - idle reaping stops unused downstreams", async () => {
  const { backend, pool, events } = setup({ sessionIdleTimeoutMs: 1000 });
  try {
    await pool.get("s1", record(), {});
    assert.equal(await pool.reapIdle(Date.now()), 0);
    assert.equal(await pool.reapIdle(Date.now() + 5_000), 1);
    assert.equal(backend.containers.size, 0);
    assert.ok(events.some((e) => e.type === "stopped" && e.reason === "idle"));
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - withEphemeral uses a throw-away container", async () => {
  const { backend, pool } = setup();
  try {
    const tools = await pool.withEphemeral(
      record(),
      {},
      async (conn) => (await conn.client.listTools()).tools as unknown[],
    );
    assert.ok(tools.length >= 3);
    assert.equal(backend.containers.size, 0);
    assert.match(backend.created[0].labels["mcp-router.session"], /^test-/);
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - editing the record or env replaces the connection", async () => {
  const { backend, pool } = setup();
  try {
    const a = await pool.get("s1", record(), { ECHO_PREFIX: "a" });
    const b = await pool.get("s1", record(), { ECHO_PREFIX: "b" });
    assert.notEqual(a.containerId, b.containerId);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(backend.containers.size, 1);
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - startup failure is a clear error and frees the slot", async () => {
  const { backend, pool, events } = setup({ startTimeoutMs: 3_000, maxContainers: 1 });
  try {
    // mode "nope": the fixture runs no transport and exits 0 right away
    const server = record({ args: ["nope"] });
    await assert.rejects(pool.get("s1", server, {}), (error: unknown) => {
      assert.ok(error instanceof DownstreamError);
      assert.equal(error.kind, "start_failed");
      assert.match(error.message, /echo (exited during start-up \(code \d+\)|did not answer)/);
      return true;
    });
    assert.equal(backend.containers.size, 0);
    assert.equal(pool.containerCount(), 0);
    assert.ok(events.some((e) => e.type === "start_failed"));
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - sse and http containers are reached over the published port", async () => {
  const { backend, pool } = setup();
  try {
    for (const transport of ["http", "sse"] as const) {
      const server = record({
        name: `echo-${transport}`,
        transport,
        port: 3001,
        args: [transport],
      });
      const conn = await pool.get("s1", server, { ECHO_PREFIX: `${transport}:` });
      const r = await conn.callTool({ name: "echo", arguments: { message: "x" } });
      assert.equal(textOf(r), `${transport}:x`);
    }
    assert.equal(backend.created[0].publish[0].containerPort, 3001);
  } finally {
    await pool.shutdown();
  }
  assert.equal(backend.containers.size, 0);
});

Deno.test("DownstreamPool - sweepOrphans removes labelled containers it does not own", async () => {
  const { backend, pool } = setup();
  try {
    const live = await pool.get("s1", record(), {});
    backend.addOrphan({ "mcp-router": "1", "mcp-router.session": "old" });
    backend.addOrphan({ "mcp-router": "1" }); // no session label: not ours to sweep
    // owned by another live router process (pid 1 always exists): spared
    backend.addOrphan({ "mcp-router": "1", "mcp-router.session": "x", "mcp-router.owner": "1" });
    // owned by a dead process: swept
    backend.addOrphan({
      "mcp-router": "1",
      "mcp-router.session": "y",
      "mcp-router.owner": "999999999",
    });
    assert.equal(await pool.sweepOrphans(), 2);
    assert.ok(backend.containers.has(live.containerId!));
    assert.equal(backend.containers.size, 3);
    assert.equal(backend.created[0].labels["mcp-router.owner"], String(Deno.pid));
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - ending a session while its container starts leaks nothing", async () => {
  const { backend, pool } = setup();
  backend.createDelayMs = 200;
  try {
    const pending = pool.get("s1", record(), {});
    const outcome = pending.then(() => "connected", (e: unknown) => String(e));
    await pool.endSession("s1");
    assert.match(await outcome, /session ended while starting/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(backend.containers.size, 0);
    assert.equal(pool.containerCount(), 0);
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - an error thrown inside a call surfaces at once", async () => {
  const { pool } = setup();
  try {
    const server = record();
    await pool.get("s1", server, {}); // started beforehand: only the failure is timed
    const started = performance.now();
    await assert.rejects(
      pool.withConnection("s1", server, {}, () => {
        throw new TypeError("not the server's fault");
      }),
      (error: unknown) =>
        error instanceof TypeError && /not the server's fault/.test(error.message),
    );
    const ms = performance.now() - started;
    assert.ok(ms < 500, `surfaced after ${Math.round(ms)} ms (the crash grace is 1500 ms)`);
    // the connection is still good
    const conn = await pool.get("s1", server, {});
    assert.equal(textOf(await conn.callTool({ name: "echo", arguments: { message: "ok" } })), "ok");
  } finally {
    await pool.shutdown();
  }
});

Deno.test("DownstreamPool - counts against the container slots it is given", async () => {
  const slots = new ContainerSlots(1, 1);
  const { pool } = setup({}, slots);
  try {
    const held = slots.tryAcquire("sandbox"); // another container user holds the only slot
    assert.ok(held);
    await assert.rejects(pool.get("s1", record(), {}), /container limit reached \(1 running\)/);
    held();
    await pool.get("s1", record(), {});
    assert.equal(slots.count(), 1);
    assert.equal(slots.count("srv-echo"), 1);
    assert.equal(slots.tryAcquire("sandbox"), null, "the pool's container holds the slot");
  } finally {
    await pool.shutdown();
  }
  assert.equal(slots.count(), 0);
});

Deno.test("DownstreamPool - a stdio server that dies on the discover probe is started again with initialize", async () => {
  const { backend, pool } = setup();
  try {
    const server = record({ name: "strict", args: ["stdio-strict"] });
    const conn = await pool.get("s1", server, {});
    const r = await conn.callTool({ name: "echo", arguments: { message: "hi" } });
    assert.equal(textOf(r), "hi");
    assert.equal(backend.created.length, 2, "one start for the probe, one with initialize");
    assert.ok(
      getLogs(server.id, { lines: 50 }).some((l) =>
        l.line.includes("exited on the protocol probe")
      ),
    );
  } finally {
    await pool.shutdown();
  }
});
