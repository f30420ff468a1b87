/**
 * Hostile input - the router behind a real `Deno.serve` on a loopback port: raw bytes on the
 * socket (CRLF injection, invalid UTF-8, bare LF, NUL, truncated and chunked bodies), huge
 * numbers of headers and huge header values. No request may get a 5xx or stop the server.
 */
import assert from "node:assert/strict";
import {
  assertMcpHealthy,
  hostileRouter,
  INIT,
  MCP_HEADERS,
  type Requester,
  Tally,
} from "./helpers.ts";

const enc = new TextEncoder();

/** Send raw bytes to the server and return what it answers (until close or 3 s). */
async function raw(port: number, bytes: Uint8Array): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const chunks: Uint8Array[] = [];
  const timer = setTimeout(() => conn.close(), 3000);
  try {
    await conn.write(bytes).catch(() => 0);
    const buf = new Uint8Array(65_536);
    while (true) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
      const text = new TextDecoder().decode(chunks.at(-1));
      if (/\r\n0\r\n\r\n$/.test(text)) break;
    }
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // closed by the timer
    }
  }
  return new TextDecoder().decode(
    chunks.reduce((a, b) => new Uint8Array([...a, ...b]), new Uint8Array()),
  );
}

/** The status code of a raw HTTP/1.1 answer, or null when the server just closed. */
function statusOf(answer: string): number | null {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
  return m ? Number(m[1]) : null;
}

function bytesOf(head: string, body: Uint8Array = new Uint8Array()): Uint8Array {
  return new Uint8Array([...enc.encode(head), ...body]);
}

Deno.test("Hostile - the wire: raw bytes, header floods and injections never get a 5xx", async () => {
  await using r = await hostileRouter();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    r.app.fetch,
  );
  const port = server.addr.port;
  const base = `http://127.0.0.1:${port}`;
  const fetchIt: Requester = (p, i) => fetch(`${base}${p}`, i);
  const tally = new Tally("/mcp on the wire");
  try {
    const init = JSON.stringify(INIT);
    const len = enc.encode(init).length;
    const cases: [string, Uint8Array][] = [
      [
        "CRLF-injected session id",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMcp-Session-Id: abc\r\nSet-Cookie: evil=1\r\nConnection: close\r\nContent-Length: ${len}\r\n\r\n${init}`,
        ),
      ],
      [
        "bare LF inside a header value",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nMcp-Session-Id: a\nX-Evil: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        ),
      ],
      [
        "bare CR inside a header value",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nMcp-Session-Id: a\rX-Evil: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        ),
      ],
      [
        "NUL in a header value",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nMcp-Session-Id: a\u0000b\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        ),
      ],
      [
        "obs-fold header",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nMcp-Session-Id: a\r\n  folded\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        ),
      ],
      [
        "invalid UTF-8 header value",
        new Uint8Array([
          ...enc.encode(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nMcp-Session-Id: `),
          0xff,
          0xfe,
          0xc3,
          0x28,
          ...enc.encode(
            `\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`,
          ),
        ]),
      ],
      [
        "invalid UTF-8 body",
        new Uint8Array([
          ...enc.encode(
            `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\nContent-Length: 6\r\n\r\n`,
          ),
          0x7b,
          0x22,
          0xff,
          0x22,
          0xfe,
          0x7d,
        ]),
      ],
      [
        "truncated body (content-length lies)",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\nContent-Length: 5000\r\n\r\n{"jsonrpc":`,
        ),
      ],
      [
        "chunked deep body without content-length",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n${
            (20_000).toString(16)
          }\r\n${"[".repeat(20_000)}\r\n0\r\n\r\n`,
        ),
      ],
      [
        "chunked body over the limit",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n${
            Array.from(
              { length: 3 },
              () => `${(600_000).toString(16)}\r\n${"a".repeat(600_000)}\r\n`,
            )
              .join("")
          }0\r\n\r\n`,
        ),
      ],
      [
        "bad chunk size",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
        ),
      ],
      [
        "content-length and chunked (smuggling)",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\n`,
        ),
      ],
      [
        "two content-lengths",
        bytesOf(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 2\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{}`,
        ),
      ],
      [
        "no Host header",
        bytesOf(`POST /mcp HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`),
      ],
      [
        "absolute-form target to another host",
        bytesOf(
          `POST http://evil.example/mcp HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\nContent-Length: ${len}\r\n\r\n${init}`,
        ),
      ],
      [
        "path traversal target",
        bytesOf(
          `GET /static/../../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
        ),
      ],
      [
        "encoded traversal target",
        bytesOf(
          `GET /static/%2e%2e%2f%2e%2e%2fetc%2fpasswd HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
        ),
      ],
      [
        "garbage request line",
        bytesOf(`\u0001\u0002GARBAGE / HTTP/9.9\r\n\r\n`),
      ],
      ["HTTP/0.9 style", bytesOf(`GET /mcp\r\n\r\n`)],
      [
        "10,000 headers",
        bytesOf(
          `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${
            Array.from({ length: 10_000 }, (_, i) => `X-H${i}: v\r\n`).join("")
          }Connection: close\r\n\r\n`,
        ),
      ],
      [
        "1 MB header value",
        bytesOf(
          `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nMcp-Session-Id: ${
            "a".repeat(1_000_000)
          }\r\nConnection: close\r\n\r\n`,
        ),
      ],
    ];
    for (const [name, bytes] of cases) {
      const answer = await raw(port, bytes);
      tally.add("raw socket");
      const status = statusOf(answer);
      assert.ok(status === null || status < 500, `${name}: ${answer.slice(0, 300)}`);
      assert.ok(!/^set-cookie: evil/im.test(answer), `${name}: injected header echoed`);
      assert.ok(!/^x-evil/im.test(answer), `${name}: injected header echoed`);
      assert.ok(!/root:x:0:0/.test(answer), `${name}: file contents leaked`);
      if (name.startsWith("chunked deep")) assert.equal(status, 400, name);
      if (name.startsWith("chunked body over")) assert.equal(status, 413, name);
    }
    await assertMcpHealthy(fetchIt, "after raw socket cases");

    // fetch refuses to send CR/LF/NUL in header values: document what a client can send
    for (const value of ["a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\u0000b", "é€"]) {
      await assert.rejects(
        () =>
          fetch(`${base}/mcp`, {
            method: "POST",
            headers: { ...MCP_HEADERS, "mcp-session-id": value },
            body: "{}",
          }),
        TypeError,
      );
      tally.add("fetch-refused header values");
    }
    // what fetch can send: long, odd but legal header values
    for (const value of ["a".repeat(60_000), "\u00ff\u00fe", "  spaced  ", "a\tb", '"quoted"']) {
      const res = await fetch(`${base}/mcp`, {
        method: "POST",
        headers: { ...MCP_HEADERS, "mcp-session-id": value, "mcp-protocol-version": value },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
      tally.add("odd legal session ids");
      const text = await res.text();
      assert.ok(res.status < 500, `${res.status} ${text.slice(0, 200)}`);
      assert.ok(res.status >= 400, "an unknown session is refused");
    }
    // many headers through fetch
    for (const count of [100, 1_000, 5_000]) {
      const headers = new Headers(MCP_HEADERS);
      for (let i = 0; i < count; i++) headers.append(`x-flood-${i}`, "v".repeat(10));
      const res = await fetch(`${base}/mcp`, {
        method: "POST",
        headers,
        body: JSON.stringify(INIT),
      }).catch((e) => e as Error);
      tally.add("header floods");
      if (res instanceof Response) {
        const text = await res.text();
        assert.ok(res.status < 500, `${count} headers: ${res.status} ${text.slice(0, 200)}`);
        const id = res.headers.get("mcp-session-id");
        if (id) {
          const del = await fetch(`${base}/mcp`, {
            method: "DELETE",
            headers: { ...MCP_HEADERS, "mcp-session-id": id },
          });
          await del.body?.cancel();
        }
      }
    }
    await assertMcpHealthy(fetchIt, "after header floods");
    assert.equal(r.services.hub.size, 0, "no session was left open");
  } finally {
    await r.app.closeSessions();
    await server.shutdown();
  }
  tally.print();
});
