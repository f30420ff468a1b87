/**
 * @module A launch first tries the image a server runs from once built (no engine round trip),
 * and resolves — checks, builds — it only when the engine says it lacks that image.
 */
import assert from "node:assert/strict";
import type { ContainerSpec } from "../../../../runtime/backend.ts";
import { PodmanError } from "../../../../runtime/podman/errors.ts";
import { testSettings } from "../../../../server/settings.ts";
import { DownstreamPool } from "../../../../server/mcp/downstream/pool.ts";
import { DownstreamError } from "../../../../server/mcp/downstream/errors.ts";
import type { ImageResolver } from "../../../../server/mcp/downstream/types.ts";
import { echoRecord, ProcessBackend } from "./process_backend.ts";

/** An engine that has only the images in `present`; other creates fail as Podman's do. */
class ImagesBackend extends ProcessBackend {
  readonly tried: string[] = [];
  constructor(readonly present: Set<string>, readonly failWith?: Error) {
    super();
  }

  override create(spec: ContainerSpec): Promise<string> {
    this.tried.push(spec.image);
    if (this.failWith) return Promise.reject(this.failWith);
    if (!this.present.has(spec.image)) {
      return Promise.reject(
        new PodmanError(`POST /containers/create: ${spec.image}: image not known`, {
          status: 500,
          kind: "http",
          operation: "POST /containers/create",
        }),
      );
    }
    return super.create(spec);
  }
}

function setup(backend: ImagesBackend) {
  const resolved: string[] = [];
  const resolveImage: ImageResolver = (_server, options) => {
    if (options.presume) return Promise.resolve("localhost/srv:built");
    resolved.push("resolve");
    backend.present.add("localhost/srv:built"); // "builds" it
    return Promise.resolve("localhost/srv:built");
  };
  const pool = new DownstreamPool({
    settings: testSettings({ startTimeoutMs: 20_000, callTimeoutMs: 10_000 }),
    backend,
    resolveImage,
  });
  return { pool, resolved };
}

Deno.test("presumed image - a built image is launched with no resolve", async () => {
  const backend = new ImagesBackend(new Set(["localhost/srv:built"]));
  const { pool, resolved } = setup(backend);
  try {
    const conn = await pool.get("s1", echoRecord(), {});
    const r = await conn.callTool({ name: "echo", arguments: { message: "x" } });
    assert.equal((r as { isError?: boolean }).isError ?? false, false);
    assert.deepEqual(backend.tried, ["localhost/srv:built"]);
    assert.deepEqual(resolved, []);
  } finally {
    await pool.shutdown();
  }
});

Deno.test("presumed image - a missing one is resolved (built) and the launch tried again", async () => {
  const backend = new ImagesBackend(new Set());
  const { pool, resolved } = setup(backend);
  try {
    const conn = await pool.get("s1", echoRecord(), {});
    assert.ok(conn.containerId);
    assert.deepEqual(backend.tried, ["localhost/srv:built", "localhost/srv:built"]);
    assert.deepEqual(resolved, ["resolve"]);
  } finally {
    await pool.shutdown();
  }
});

Deno.test("presumed image - another create failure is a start failure, nothing resolved", async () => {
  const backend = new ImagesBackend(
    new Set(["localhost/srv:built"]),
    new PodmanError("POST /containers/create: no space left", { status: 500, kind: "http" }),
  );
  const { pool, resolved } = setup(backend);
  try {
    const error = await pool.get("s1", echoRecord(), {}).then(() => null, (e) => e);
    assert.ok(error instanceof DownstreamError);
    assert.equal(error.kind, "start_failed");
    assert.match(error.message, /could not start the container for echo: .*no space left/);
    assert.deepEqual(resolved, []);
    assert.equal(backend.tried.length, 1);
  } finally {
    await pool.shutdown();
  }
});
