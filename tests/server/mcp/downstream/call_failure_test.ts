import assert from "node:assert/strict";
import type { Client } from "@modelcontextprotocol/client";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { ServerRecord } from "../../../../server/schemas/server.ts";
import { echoRecord } from "./process_backend.ts";
import { explainCallFailure } from "../../../../server/mcp/downstream/call_failure.ts";
import type { ExitInfo, OpenedDownstream } from "../../../../server/mcp/downstream/types.ts";
import { DownstreamError } from "../../../../server/mcp/downstream/errors.ts";

const server: ServerRecord = echoRecord({ args: [] });

/** A connection that ends after `endsAfterMs` (never when null), or has ended already. */
function opened(
  options: { endsAfterMs?: number | null; endedAlready?: ExitInfo } = {},
): OpenedDownstream & { [Symbol.dispose](): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isEnded = options.endedAlready !== undefined;
  const ended = options.endedAlready
    ? Promise.resolve(options.endedAlready)
    : new Promise<ExitInfo>((resolve) => {
      if (options.endsAfterMs === null || options.endsAfterMs === undefined) return;
      timer = setTimeout(() => {
        isEnded = true;
        resolve({ exitCode: 3, unexpected: true });
      }, options.endsAfterMs);
    });
  return {
    client: {} as Client,
    containerId: "c1",
    ended,
    get isEnded() {
      return isEnded;
    },
    close: () => Promise.resolve({ exitCode: null, unexpected: false }),
    [Symbol.dispose]: () => clearTimeout(timer),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

Deno.test("explainCallFailure - an error that is not an McpError surfaces at once, unchanged", async () => {
  using live = opened({ endsAfterMs: null });
  const thrown = new TypeError("a bug in the caller");
  const { value, ms } = await timed(() => explainCallFailure(server, live, thrown, 1_000));
  assert.equal(value, thrown);
  assert.ok(ms < 200, `surfaced after ${Math.round(ms)} ms (the grace is 1500 ms)`);
});

Deno.test("explainCallFailure - a write failure while the container is still up surfaces at once", async () => {
  using live = opened({ endsAfterMs: 5_000 });
  const thrown = new Error("Not connected");
  const { value, ms } = await timed(() => explainCallFailure(server, live, thrown, 1_000));
  assert.equal(value, thrown);
  assert.ok(ms < 200, `surfaced after ${Math.round(ms)} ms`);
});

Deno.test("explainCallFailure - any error after the container ended says how it ended", async () => {
  using gone = opened({ endedAlready: { exitCode: 3, unexpected: true } });
  const { value, ms } = await timed(() =>
    explainCallFailure(server, gone, new Error("Not connected"), 1_000)
  );
  assert.ok(value instanceof DownstreamError, String(value));
  assert.equal(value.kind, "crashed");
  assert.match(value.message, /echo exited with code 3 while handling the request/);
  assert.match(value.message, /\/api\/servers\/srv-echo\/logs/);
  assert.ok(ms < 200, `surfaced after ${Math.round(ms)} ms`);
});

Deno.test("explainCallFailure - a closed connection waits briefly for the container's end", async () => {
  using dying = opened({ endsAfterMs: 100 });
  const closed = new McpError(ErrorCode.ConnectionClosed, "Connection closed");
  const { value } = await timed(() => explainCallFailure(server, dying, closed, 1_000));
  assert.ok(value instanceof DownstreamError, String(value));
  assert.equal(value.kind, "crashed");
  assert.equal(value.cause, closed);
});

Deno.test("explainCallFailure - a closed connection whose container lives on stays as it is", async () => {
  using live = opened({ endsAfterMs: null });
  const closed = new McpError(ErrorCode.ConnectionClosed, "Connection closed");
  const { value, ms } = await timed(() => explainCallFailure(server, live, closed, 1_000));
  assert.equal(value, closed);
  assert.ok(ms >= 1_000, "it waited for the grace");
});

Deno.test("explainCallFailure - protocol errors pass at once; timeouts name the server", async () => {
  using live = opened({ endsAfterMs: null });
  const invalid = new McpError(ErrorCode.InvalidParams, "bad arguments");
  const passed = await timed(() => explainCallFailure(server, live, invalid, 1_000));
  assert.equal(passed.value, invalid);
  assert.ok(passed.ms < 200);
  const timeout = new McpError(ErrorCode.RequestTimeout, "Request timed out");
  const told = await explainCallFailure(server, live, timeout, 1_000);
  assert.ok(told instanceof DownstreamError);
  assert.equal(told.kind, "timeout");
  assert.match(told.message, /echo did not answer within 1000 ms/);
});
