import assert from "node:assert/strict";
import { errorFromReply } from "../../../runtime/podman/errors.ts";

Deno.test("podman errors - reply JSON message is kept with the status", () => {
  const err = errorFromReply(
    "POST /containers/create",
    500,
    '{"cause":"image not known","message":"localhost/x: image not known","response":500}',
  );
  assert.equal(err.status, 500);
  assert.equal(err.kind, "http");
  assert.equal(err.message, "POST /containers/create: localhost/x: image not known");
  assert.equal(errorFromReply("GET /x", 502, "bad gateway").message, "GET /x: bad gateway");
});
