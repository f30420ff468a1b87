import assert from "node:assert/strict";
import { attachContainer, parseReplyHead } from "../../../runtime/podman/attach.ts";
import { encodeFrame } from "./frames.ts";
import { PodmanError } from "../../../runtime/podman/errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("attach - parseReplyHead waits for the blank line and keeps the rest", () => {
  assert.equal(parseReplyHead(enc.encode("HTTP/1.1 101 UPGRADED\r\nUpgrade: tcp\r\n")), null);
  const head = parseReplyHead(enc.encode("HTTP/1.1 101 UPGRADED\r\nUpgrade: tcp\r\n\r\nXYZ"));
  assert.equal(head?.status, 101);
  assert.equal(head?.headers.upgrade, "tcp");
  assert.equal(dec.decode(head?.rest), "XYZ");
  assert.throws(() => parseReplyHead(enc.encode("garbage\r\n\r\n")), PodmanError);
});

/** A fake Podman: answers the attach upgrade, echoes stdin as stdout frames, errors on stderr. */
async function fakePodman(
  mode: "echo" | "404" | "silent",
): Promise<{ path: string; requests: string[]; stop: () => Promise<void> }> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/podman.sock`;
  const listener = Deno.listen({ transport: "unix", path });
  const requests: string[] = [];
  const conns: Deno.Conn[] = [];
  const served = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      (async () => {
        const buf = new Uint8Array(4096);
        let head = "";
        while (!head.includes("\r\n\r\n")) {
          const n = await conn.read(buf);
          if (n === null) return;
          head += dec.decode(buf.subarray(0, n));
        }
        requests.push(head.split("\r\n\r\n")[0]);
        if (mode === "silent") return;
        if (mode === "404") {
          const body =
            '{"cause":"no such container","message":"no container with name or ID \\"x\\" found: no such container","response":404}';
          await conn.write(
            enc.encode(
              `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
            ),
          );
          conn.close();
          return;
        }
        await conn.write(
          enc.encode(
            "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
          ),
        );
        await conn.write(encodeFrame(2, enc.encode("ready\n")));
        while (true) {
          const n = await conn.read(buf);
          if (n === null) break; // client half-closed stdin
          await conn.write(encodeFrame(1, buf.slice(0, n)));
        }
        await conn.write(encodeFrame(1, enc.encode("bye\n")));
        conn.close();
      })().catch(() => {});
    }
  })();
  return {
    path,
    requests,
    stop: async () => {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await served.catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += dec.decode(chunk);
  return out;
}

Deno.test("attach - upgrade, demux, stdin echo and half-close", async () => {
  const fake = await fakePodman("echo");
  try {
    const s = await attachContainer(fake.path, "/v4.0.0/libpod/containers/abc/attach", {
      timeoutMs: 2000,
    });
    assert.match(
      fake.requests[0],
      /^POST \/v4\.0\.0\/libpod\/containers\/abc\/attach\?stdin=true&stdout=true&stderr=true&stream=true HTTP\/1\.1/,
    );
    assert.match(fake.requests[0], /Upgrade: tcp/);
    const errText = readAll(s.stderr);
    const outText = readAll(s.stdout);
    const w = s.stdin.getWriter();
    await w.write(enc.encode("ping\n"));
    await w.close();
    assert.equal(await outText, "ping\nbye\n");
    assert.equal(await errText, "ready\n");
    s.close();
  } finally {
    await fake.stop();
  }
});

Deno.test("attach - an error reply becomes a PodmanError with Podman's message", async () => {
  const fake = await fakePodman("404");
  try {
    await assert.rejects(
      attachContainer(fake.path, "/v4.0.0/libpod/containers/x/attach", { timeoutMs: 2000 }),
      (err: unknown) => {
        assert.ok(err instanceof PodmanError);
        assert.equal(err.status, 404);
        assert.match(err.message, /no container with name or ID "x" found/);
        return true;
      },
    );
  } finally {
    await fake.stop();
  }
});

Deno.test("attach - handshake timeout", async () => {
  const fake = await fakePodman("silent");
  try {
    await assert.rejects(
      attachContainer(fake.path, "/v4.0.0/libpod/containers/x/attach", { timeoutMs: 100 }),
      (err: unknown) => err instanceof PodmanError && err.kind === "timeout",
    );
  } finally {
    await fake.stop();
  }
});

Deno.test("attach - unreachable socket", async () => {
  await assert.rejects(
    attachContainer("/nonexistent/podman.sock", "/x", { timeoutMs: 1000 }),
    (err: unknown) => err instanceof PodmanError && err.kind === "unreachable",
  );
});
