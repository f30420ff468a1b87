/**
 * The stdout line reader takes plain result responses as parsed and everything else through the
 * SDK's envelope schema: the messages it hands out are the ones the SDK's `ReadBuffer` would.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { ReadBuffer } from "@modelcontextprotocol/client";
import {
  isPlainResultResponse,
  JsonRpcLineBuffer,
} from "../../../../server/mcp/downstream/jsonrpc_lines.ts";

const LINES = [
  { jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "x", extra: 1 }], n: 2 } },
  { jsonrpc: "2.0", id: "a", result: { _meta: { progressToken: 1 } } },
  { jsonrpc: "2.0", id: 1, error: { code: 1, message: "m", data: 2, more: 3 } },
  { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "d" } },
  { jsonrpc: "2.0", id: 7, method: "roots/list" },
];
const INVALID = [
  { jsonrpc: "2.0", id: 1.5, result: {} },
  { jsonrpc: "2.0", id: 1, result: {}, extra: 1 },
  { jsonrpc: "2.0", id: 1, result: [] },
  { jsonrpc: "2.0", id: null, error: { code: 1, message: "m" } },
];

function drain(buffer: { readMessage(): unknown }): unknown[] {
  const out: unknown[] = [];
  while (true) {
    const m = buffer.readMessage();
    if (m === null) return out;
    out.push(m);
  }
}

Deno.test("JsonRpcLineBuffer - hands out what the SDK's ReadBuffer does", () => {
  const text = ["a banner, not JSON", ...LINES.map((l) => JSON.stringify(l))].join("\n") + "\n";
  const ours = new JsonRpcLineBuffer();
  const sdk = new ReadBuffer();
  // Split mid-line: messages come whole only once their newline arrives.
  const bytes = Buffer.from(text);
  for (const part of [bytes.subarray(0, 40), bytes.subarray(40)]) {
    ours.append(part);
    sdk.append(part);
  }
  assert.deepEqual(drain(ours), drain(sdk));
  assert.ok(isPlainResultResponse(LINES[0]));
  assert.ok(!isPlainResultResponse(LINES[1]), "a result with _meta takes the schema");
});

Deno.test("JsonRpcLineBuffer - invalid messages throw as the SDK's do", () => {
  for (const message of INVALID) {
    assert.ok(!isPlainResultResponse(message));
    const ours = new JsonRpcLineBuffer();
    const sdk = new ReadBuffer();
    const line = Buffer.from(JSON.stringify(message) + "\n");
    ours.append(line);
    sdk.append(line);
    assert.throws(() => sdk.readMessage());
    assert.throws(() => ours.readMessage(), JSON.stringify(message));
  }
});

Deno.test("JsonRpcLineBuffer - whole lines, split lines and a drained buffer in turn", () => {
  const ours = new JsonRpcLineBuffer();
  const [a, b] = [LINES[0], LINES[3]].map((l) => JSON.stringify(l) + "\n");
  ours.append(Buffer.from(a));
  assert.deepEqual(drain(ours), [LINES[0]]);
  ours.append(Buffer.from(b.slice(0, 10)));
  assert.deepEqual(drain(ours), []);
  ours.append(Buffer.from(b.slice(10) + a));
  assert.deepEqual(drain(ours), [LINES[3], LINES[0]]);
  ours.append(Buffer.from(a));
  assert.deepEqual(drain(ours), [LINES[0]]);
});
