import assert from "node:assert/strict";
import { traceContextOf } from "../../../server/mcp/forward_call.ts";

Deno.test("trace context - W3C traceparent, tracestate and baggage pass on; malformed ones do not", () => {
  const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  assert.deepEqual(
    traceContextOf({ traceparent, tracestate: "congo=t61rcWkgMzE", baggage: "k=v", other: 1 }),
    { traceparent, tracestate: "congo=t61rcWkgMzE", baggage: "k=v" },
  );
  assert.deepEqual(traceContextOf({ traceparent: "not-a-trace", tracestate: "a=b" }), {});
  assert.deepEqual(traceContextOf({ traceparent, tracestate: "x\nInjected: 1" }), { traceparent });
  assert.deepEqual(traceContextOf(undefined), {});
});
