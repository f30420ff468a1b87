/**
 * Finding 3 (high): unauthenticated memory exhaustion. A real router gets 400 MB bodies on
 * public paths (`/login`, `/healthz`, a static asset) and protected ones — chunked (no length
 * announced) and with a `Content-Length` — and must refuse each with 413 while its resident
 * memory stays where it was.
 */
import assert from "node:assert/strict";
import { startRouter } from "../router_process.ts";
import { withTmpDir } from "../helpers.ts";

const TOTAL = 400 * 1024 * 1024;
const CHUNK = new Uint8Array(1024 * 1024).fill(0x61);

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/**
 * Stream up to `TOTAL` bytes as a body and read the response status (the router may answer
 * and close before the upload ends).
 */
async function flood(port: number, path: string, chunked: boolean): Promise<number | null> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n` +
    "content-type: application/x-www-form-urlencoded\r\n" +
    (chunked ? "transfer-encoding: chunked\r\n" : `content-length: ${TOTAL}\r\n`) + "\r\n";
  let status: number | null = null;
  const reading = (async () => {
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf).catch(() => null);
    if (n) status = Number(new TextDecoder().decode(buf.slice(0, n)).split(" ")[1]);
  })();
  try {
    await conn.write(new TextEncoder().encode(head));
    const frame = chunked
      ? new Uint8Array([
        ...new TextEncoder().encode(`${CHUNK.length.toString(16)}\r\n`),
        ...CHUNK,
        ...new TextEncoder().encode("\r\n"),
      ])
      : CHUNK;
    const deadline = Date.now() + 60_000;
    for (let sent = 0; sent < TOTAL && status === null && Date.now() < deadline;) {
      // A router that stopped reading leaves writes pending: that is a refusal too.
      const wrote = await Promise.race([
        conn.write(frame).then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 3_000)),
      ]);
      if (!wrote) break;
      sent += CHUNK.length;
    }
  } catch {
    // the router closed the connection: expected once it refused the body
  }
  await Promise.race([reading, new Promise((r) => setTimeout(r, 5_000))]);
  try {
    conn.close();
  } catch {
    // already closed
  }
  return status;
}

Deno.test("Security - 400 MB bodies on public and protected paths get 413 and no memory", async () => {
  await using tmp = await withTmpDir();
  const router = await startRouter(tmp.path);
  try {
    await (await router.request("/login")).body?.cancel();
    const before = rssMb(router.pid);
    for (
      const path of [
        "/login",
        "/healthz",
        "/static/app.css",
        "/api/servers",
        "/mcp",
        "/servers/new",
      ]
    ) {
      for (const chunked of [true, false]) {
        const status = await flood(router.port, path, chunked);
        assert.ok(status === 413 || status === null, `${path} chunked=${chunked}: ${status}`);
        if (!chunked) assert.equal(status, 413, `${path}: a declared length over the limit`);
      }
    }
    const after = rssMb(router.pid);
    console.log(
      `router RSS ${before.toFixed(0)} MB before, ${
        after.toFixed(0)
      } MB after 12 refused 400 MB bodies`,
    );
    assert.ok(after - before < 150, `resident memory grew by ${(after - before).toFixed(0)} MB`);
    const ok = await router.request("/healthz");
    assert.equal(ok.status, 200, "the router still serves");
    await ok.body?.cancel();
  } finally {
    await router.stop();
  }
});
