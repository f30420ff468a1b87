/** @module errorMessage: one line for anything thrown, with the cause of a generic error. */
import assert from "node:assert/strict";
import { AppError, errorMessage } from "../../server/errors.ts";

Deno.test("errorMessage - plain errors and non-errors", () => {
  assert.equal(errorMessage(new Error("boom")), "boom");
  assert.equal(
    errorMessage(new AppError("not_found", 404, "server x not found")),
    "server x not found",
  );
  assert.equal(errorMessage("text"), "text");
  assert.equal(errorMessage(42), "42");
});

Deno.test("errorMessage - a generic fetch error says what happened underneath", () => {
  const dns = new Error("client error (Connect): dns error: failed to lookup address information");
  const fetchError = new TypeError("fetch failed", { cause: new Error("sending", { cause: dns }) });
  assert.equal(
    errorMessage(fetchError),
    "fetch failed: client error (Connect): dns error: failed to lookup address information",
  );
  // A specific message is kept as is, causes and all.
  assert.equal(errorMessage(new Error("timed out", { cause: dns })), "timed out");
  assert.equal(errorMessage(new TypeError("fetch failed")), "fetch failed");
});

Deno.test("errorMessage - a real unreachable host names the cause", async () => {
  const error = await fetch("http://no-such-host.invalid/").then(() => null, (e) => e);
  assert.ok(error instanceof Error);
  assert.ok(errorMessage(error).length > "fetch failed".length, errorMessage(error));
});
