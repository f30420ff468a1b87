/**
 * The compat suite's own pieces, offline: failure kinds from real log lines seen in runs, and
 * README arguments placed after the package in an analyzed plan.
 */
import assert from "node:assert/strict";
import { classifyFailure } from "./failure_kind.ts";
import { applyArgs } from "./run_server.ts";

const kind = (lines: string[], stage = "test", serverErrors: string[] = []) =>
  classifyFailure({ stage, status: 200, serverErrors, lines }).kind;

Deno.test("Compat - failure kinds from real log lines", () => {
  assert.equal(kind(["ImportError: Failed to initialize: Bad git executable."]), "missing-binary");
  assert.equal(
    kind(["npm error gyp ERR! stack Error: Could not find any Python installation to use"]),
    "native-addon",
  );
  assert.equal(
    kind(["ImportError: cannot import name 'eval_type_backport' from 'pydantic._internal'"]),
    "python-dependency-drift",
  );
  assert.equal(
    kind(["AttributeError: 'Server' object has no attribute 'list_tools'"]),
    "python-dependency-drift",
  );
  assert.equal(
    kind([
      "cause: Because the current Python version (3.11.2) does not satisfy Python>=3.12 and …",
    ]),
    "python-version",
  );
  assert.equal(
    kind(["yfmcp 0.14.0 needs Python >=3.12, but the uv image has Python 3.11.2"]),
    "python-version",
  );
  assert.equal(
    kind(["ERROR (catatonit:6): failed to exec pid1: No such file or directory"]),
    "executable-name",
  );
  assert.equal(
    kind(["Error: In-memory databases require the --read-write flag."]),
    "needs-args-or-env",
  );
  assert.equal(kind(["something else entirely"]), "other");
  assert.equal(
    kind([
      "cause: failed to create directory `/tmp/uv-cache`: No space left on device (os error 28)",
    ]),
    "host-resources",
  );
  assert.equal(kind(["Usage: x [OPTIONS]", "Error: Missing option '--db'"]), "needs-args-or-env");
  assert.equal(kind(["MCP error -32603: fetch failed"]), "needs-network");
  assert.equal(
    kind(["TypeError: Value too large (max 65536 bytes)"], "test", ["POST /x 500"]),
    "kv-value-too-large",
  );
  assert.equal(kind(["internal"], "test", ["POST /api/servers/x/test 500"]), "5xx");
  assert.equal(
    classifyFailure({ stage: "save", status: 409, serverErrors: [], lines: ["name taken"] }).kind,
    "naming",
  );
});

Deno.test("Compat - README arguments follow the package, replacing the plan's", () => {
  const npx = { package: "@scope/pkg", args: ["-y", "@scope/pkg", "old"] };
  assert.deepEqual(applyArgs(npx, ["/tmp"]), ["-y", "@scope/pkg", "/tmp"]);
  assert.deepEqual(applyArgs(npx, undefined), ["-y", "@scope/pkg", "old"]);
  const uvx = { package: "tool", args: ["--from", "tool@1.0", "tool"] };
  assert.deepEqual(applyArgs(uvx, ["stdio"]), ["--from", "tool@1.0", "tool", "stdio"]);
  assert.deepEqual(applyArgs({ package: "x", args: ["y"] }, ["--a"]), ["y", "--a"]);
});
