import assert from "node:assert/strict";
import { GuardedStdioServerTransport } from "../../../server/mcp/stdio_transport.ts";

function harness(options: { maxLineBytes?: number; maxDepth?: number } = {}) {
  const input = new TransformStream<Uint8Array, Uint8Array>();
  const output = new TransformStream<Uint8Array, Uint8Array>();
  const transport = new GuardedStdioServerTransport({
    ...options,
    input: input.readable,
    output: output.writable,
  });
  const received: unknown[] = [];
  transport.onmessage = (m) => received.push(m);
  const writer = input.writable.getWriter();
  const lines: string[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of output.readable) {
      buf += decoder.decode(chunk);
      const parts = buf.split("\n");
      buf = parts.pop()!;
      lines.push(...parts);
    }
  })();
  return { transport, writer, received, lines, reading };
}

Deno.test("Guarded stdio - valid messages pass, bad lines get errors, the session goes on", async () => {
  const h = harness({ maxLineBytes: 1000, maxDepth: 8 });
  await h.transport.start();
  const enc = new TextEncoder();
  const ping = (id: number) => JSON.stringify({ jsonrpc: "2.0", id, method: "ping" });
  await h.writer.write(enc.encode(`${ping(1)}\n{bad\n[${ping(2)}]\n`));
  await h.writer.write(enc.encode(`${"[".repeat(20)}${"]".repeat(20)}\n`));
  await h.writer.write(enc.encode(`\ufeff${ping(3)}\r\n`));
  await h.writer.write(new Uint8Array([0xff, 0xfe, 0x0a]));
  await h.writer.write(enc.encode("x".repeat(600)));
  await h.writer.write(enc.encode("x".repeat(600) + "\n" + ping(4) + "\n"));
  await h.writer.write(enc.encode(JSON.stringify({ jsonrpc: "2.0", id: 5, method: 7 }) + "\n"));
  await h.writer.close();
  await new Promise((r) => setTimeout(r, 50));
  await h.transport.close();
  await h.reading.catch(() => {});
  assert.deepEqual(h.received.map((m) => (m as { id: number }).id), [1, 3, 4]);
  const errors = h.lines.map((l) => JSON.parse(l).error.message);
  assert.equal(errors.length, 6, errors.join(" | "));
  assert.match(errors.join(" | "), /invalid JSON/);
  assert.match(errors.join(" | "), /batches/);
  assert.match(errors.join(" | "), /deeper than 8/);
  assert.match(errors.join(" | "), /UTF-8/);
  assert.match(errors.join(" | "), /longer than 1000/);
  assert.equal(
    JSON.parse(h.lines.at(-1)!).id,
    5,
    "an invalid request with an id is answered by id",
  );
});
