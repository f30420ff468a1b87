/**
 * Hostile input - malformed JSON-RPC on the `stdio` verb (what Claude Desktop spawns): the real
 * router runs as a subprocess; garbage lines get JSON-RPC errors or are dropped, stdout carries
 * only JSON-RPC messages, and the process keeps answering valid requests.
 *
 * The child's PATH holds only the deno binary's directory so it never starts a Podman service of
 * its own (the runtime is reported unavailable, which these tests do not need).
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { INIT, Tally } from "./helpers.ts";

const REPO = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const enc = new TextEncoder();

/** The stdio router as a child process with a line-oriented stdout reader. */
class StdioRouter implements AsyncDisposable {
  readonly lines: string[] = [];
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reading: Promise<void>;
  readonly #stderr: Promise<string>;
  #waiters: (() => void)[] = [];

  constructor(readonly dataDir: string) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", `${REPO}/deno.json`, `${REPO}/main.ts`, "stdio"],
      env: {
        MCP_ROUTER_DATA: dataDir,
        MCP_ROUTER_PODMAN_SOCKET: `${dataDir}/none.sock`,
        MCP_ROUTER_LOG_LEVEL: "warn",
        PATH: dirname(Deno.execPath()),
      },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const child = this.#child;
    this.#writer = child.stdin.getWriter();
    this.#stderr = new Response(child.stderr).text();
    this.#reading = (async () => {
      let buffer = "";
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          this.lines.push(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
        }
        for (const w of this.#waiters.splice(0)) w();
      }
      for (const w of this.#waiters.splice(0)) w();
    })();
  }

  /** Write raw bytes (a line is the caller's business). */
  async write(bytes: Uint8Array | string): Promise<void> {
    await this.#writer.write(typeof bytes === "string" ? enc.encode(bytes) : bytes);
  }

  /** Wait for a response with `id` (throws after `ms`). */
  async response(id: number | string, ms = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    while (true) {
      for (const line of this.lines) {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.id === id) return msg;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no response to id ${id}; stderr: ${(await this.stderrSoFar()).slice(-500)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Ping and wait for the pong: the process is alive and its session works. */
  async assertAlive(id: number): Promise<void> {
    await this.write(`${JSON.stringify({ jsonrpc: "2.0", id, method: "ping" })}\n`);
    const pong = await this.response(id);
    assert.deepEqual(pong.result, {}, JSON.stringify(pong));
  }

  stderrSoFar(): Promise<string> {
    return Promise.race([this.#stderr, Promise.resolve("(stderr still open)")]);
  }

  /** Close stdin and wait for the exit status (the router exits on EOF). */
  async end(): Promise<{ code: number; stderr: string }> {
    await this.#writer.close().catch(() => {});
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 20_000);
    const status = await this.#child.status;
    clearTimeout(timer);
    await this.#reading;
    return { code: status.code, stderr: await this.#stderr };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await this.#child.status;
    await this.#reading.catch(() => {});
    await this.#stderr.catch(() => {});
  }
}

const deepArray = (n: number) => "[".repeat(n) + "]".repeat(n);
const rpc = (id: unknown, method: unknown, params?: unknown) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });

/** Garbage lines (no newline inside), by name. */
function garbageLines(): [string, Uint8Array | string][] {
  return [
    ["empty line", ""],
    ["spaces", "    "],
    ["lone CR", "\r"],
    ["not JSON", "hello"],
    ["truncated", '{"jsonrpc":"2.0","id":1'],
    ["bare null", "null"],
    ["bare number", "12345"],
    ["bare array", "[1,2,3]"],
    ["empty batch", "[]"],
    ["batch of requests", `[${rpc(900, "ping")},${rpc(901, "ping")}]`],
    ["id object", rpc({}, "ping")],
    ["id array", rpc([1], "ping")],
    ["method number", rpc(1, 5)],
    ["params string", rpc(1, "tools/list", "x")],
    ["params number", rpc(1, "tools/call", 7)],
    ["jsonrpc 1.0", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "ping" })],
    ["unknown method", rpc(902, "no/such/method")],
    ["re-initialize", JSON.stringify({ ...INIT, id: 903 })],
    ["tools/call wrong types", rpc(904, "tools/call", { name: 5, arguments: "x" })],
    ["tools/call unknown tool", rpc(905, "tools/call", { name: "../../etc/passwd" })],
    ["resources/read traversal", rpc(906, "resources/read", { uri: "file:///etc/passwd" })],
    ["logging/setLevel bad", rpc(907, "logging/setLevel", { level: "loud" })],
    ["response to nothing", JSON.stringify({ jsonrpc: "2.0", id: 999_999, result: {} })],
    [
      "error to nothing",
      JSON.stringify({ jsonrpc: "2.0", id: 999_998, error: { code: 1, message: "x" } }),
    ],
    ["unknown notification", JSON.stringify({ jsonrpc: "2.0", method: "notifications/what" })],
    [
      "cancel unknown",
      JSON.stringify({
        jsonrpc: "2.0",
        method: "notifications/cancelled",
        params: { requestId: 424242 },
      }),
    ],
    ["deep array 10k", deepArray(10_000)],
    ["deep object 10k", '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000)],
    [
      "deep params 100k",
      rpc(908, "ping", { x: JSON.parse("0") }).replace('"x":0', `"x":${deepArray(100_000)}`),
    ],
    ["10 MB string", rpc(909, "ping", { pad: "a".repeat(10_000_000) })],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d])],
    ["NUL bytes", "\u0000\u0000\u0000"],
    ["BOM then request", `\ufeff${rpc(910, "ping")}`],
    ["lone surrogate", rpc(911, "\ud800")],
    ["very long method", rpc(912, "m".repeat(100_000))],
    ["control characters", "\u0001\u0002\u0003\u001b[2J"],
  ];
}

Deno.test("Hostile - stdio survives garbage lines and keeps stdout pure JSON-RPC", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-hostile-stdio-" });
  const tally = new Tally("stdio");
  try {
    await using router = new StdioRouter(dataDir);
    await router.write(`${JSON.stringify(INIT)}\n`);
    const init = await router.response(1, 60_000);
    assert.ok((init.result as Record<string, unknown>)?.protocolVersion, JSON.stringify(init));
    await router.write(
      `${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`,
    );
    let pingId = 10_000;
    for (const [name, line] of garbageLines()) {
      await router.write(line);
      await router.write("\n");
      tally.add("garbage lines");
      await router.assertAlive(pingId++).catch((e) => {
        throw new Error(`after '${name}': ${(e as Error).message}`);
      });
      tally.add("liveness pings");
    }
    // every line gets an answer (an error for garbage), never silence; batches are refused with
    // an error (not part of MCP since 2025-06-18), a BOM is ignored
    const unanswered: number[] = [];
    for (const id of [902, 903, 904, 905, 906, 907, 909, 910, 911, 912]) {
      if (!(await router.response(id, 2_000).catch(() => null))) unanswered.push(id);
    }
    console.log(`requests with an id that got no answer: ${unanswered.join(", ") || "none"}`);
    assert.deepEqual(unanswered, []);
    const errors = router.lines.map((l) => JSON.parse(l)).filter((m) => m.error && m.id === null);
    assert.ok(errors.some((m) => /batches/.test(m.error.message)), "batches get an error");
    assert.ok(errors.some((m) => /deeper than/.test(m.error.message)), "deep JSON gets an error");
    // a burst of interleaved garbage and valid lines in one write
    const burst = Array.from({ length: 200 }, (_, i) => i % 2 ? rpc(20_000 + i, "ping") : "{bad")
      .join("\n") + "\n";
    await router.write(burst);
    tally.add("burst lines", 200);
    for (let i = 1; i < 200; i += 2) await router.response(20_000 + i);
    const list = rpc(30_000, "tools/list", {});
    await router.write(`${list}\n`);
    const tools = await router.response(30_000);
    assert.ok(Array.isArray((tools.result as { tools?: unknown[] }).tools), JSON.stringify(tools));
    for (const line of router.lines) {
      const msg = JSON.parse(line);
      assert.equal(msg.jsonrpc, "2.0", `stdout line is JSON-RPC: ${line.slice(0, 200)}`);
    }
    console.log(`stdout lines, all JSON-RPC: ${router.lines.length}`);
    const { code, stderr } = await router.end();
    assert.equal(code, 0, `clean exit on EOF; stderr: ${stderr.slice(-500)}`);
    assert.ok(!/Uncaught|panicked|RangeError/.test(stderr), stderr.slice(-1000));
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
  tally.print();
});

Deno.test("Hostile - stdio: an over-long line is skipped with an error; the session goes on", async () => {
  // Lines over the limit are not buffered: the router answers an error and keeps serving.
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-hostile-stdio-" });
  try {
    await using router = new StdioRouter(dataDir);
    await router.write(`${JSON.stringify(INIT)}\n`);
    await router.response(1, 60_000);
    await router.assertAlive(2);
    await router.write("x".repeat(40 * 1024 * 1024));
    await router.write("\n");
    await router.assertAlive(3);
    const errors = router.lines.map((l) => JSON.parse(l)).filter((m) => m.error);
    assert.ok(errors.some((m) => /longer than/.test(m.error.message)), JSON.stringify(errors));
    const { code, stderr } = await router.end();
    assert.equal(code, 0, stderr.slice(-500));
    assert.ok(!/Uncaught|panicked/.test(stderr), stderr.slice(-1000));
    for (const line of router.lines) assert.equal(JSON.parse(line).jsonrpc, "2.0");
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
