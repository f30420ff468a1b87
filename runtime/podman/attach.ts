/**
 * @module Attach: hijacked HTTP connection to a container's stdin/stdout/stderr.
 *
 * Speaks HTTP/1.1 directly over `Deno.connect({transport: "unix"})`: sends the attach request
 * with `Upgrade: tcp`, reads the `101`/`200` reply head, then treats the socket as a raw
 * multiplexed stream (8-byte frame headers, non-TTY). Closing `stdin` half-closes the socket
 * (`closeWrite`) so the container sees EOF while its output keeps flowing.
 *
 * Output is buffered without bound until read: consumers should drain (or cancel) both stdout and
 * stderr.
 */
import type { AttachedStreams } from "../backend.ts";
import { concat } from "../foundation/bytes.ts";
import { FrameDecoder } from "./demux.ts";
import { errorFromReply, PodmanError } from "./errors.ts";

const MAX_HEAD = 64 * 1024;
const enc = new TextEncoder();

/** Options for {@linkcode attachContainer}. */
export interface AttachOptions {
  /** Handshake timeout in ms (connect + reply head). */
  timeoutMs: number;
  /** Abort the handshake. */
  signal?: AbortSignal;
}

/** Parsed HTTP reply head. */
export interface ReplyHead {
  status: number;
  headers: Record<string, string>;
  /** Bytes read past the head (start of the stream or body). */
  rest: Uint8Array;
}

/** Parse an HTTP/1.1 reply head from `buf`; null when `\r\n\r\n` has not arrived yet. */
export function parseReplyHead(buf: Uint8Array): ReplyHead | null {
  let end = -1;
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const lines = new TextDecoder().decode(buf.subarray(0, end)).split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
  if (!m) {
    throw new PodmanError(`attach: bad reply line ${JSON.stringify(lines[0])}`, {
      kind: "protocol",
    });
  }
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const idx = line.indexOf(":");
    if (idx > 0) headers[line.slice(0, idx).trim().toLowerCase()] = line.slice(idx + 1).trim();
  }
  return { status: Number(m[1]), headers, rest: buf.slice(end + 4) };
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

function withDeadline<T>(
  work: Promise<T>,
  options: AttachOptions,
  onExpire: () => void,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  let onAbort = () => {};
  const expired = new Promise<never>((_, reject) => {
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      onExpire();
      reject(new PodmanError(`attach: ${why}`, { kind: "timeout", operation: "POST /attach" }));
    };
    timer = setTimeout(() => fail(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    onAbort = () => fail("aborted");
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([work, expired]).finally(() => {
    settled = true;
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  });
}

async function readHead(conn: Deno.Conn, path: string): Promise<Uint8Array> {
  let buf: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  const chunk = new Uint8Array(16 * 1024);
  while (true) {
    const head = parseReplyHead(buf);
    if (head) {
      if (head.status === 101 || head.status === 200) return head.rest;
      // Error reply: read the body (Content-Length or until close) for Podman's message.
      const want = Number(head.headers["content-length"] ?? "-1");
      let body = head.rest;
      while (want < 0 || body.length < want) {
        const n = await conn.read(chunk).catch(() => null);
        if (n === null) break;
        body = concat(body, chunk.slice(0, n));
      }
      throw errorFromReply(`POST ${path}`, head.status, new TextDecoder().decode(body));
    }
    if (buf.length > MAX_HEAD) throw new PodmanError("attach: reply head too large");
    const n = await conn.read(chunk);
    if (n === null) {
      throw new PodmanError("attach: connection closed before reply", {
        kind: "protocol",
      });
    }
    buf = concat(buf, chunk.slice(0, n));
  }
}

/**
 * Attach to a container over Podman's socket.
 * @param socketPath Podman API socket
 * @param path full attach path, e.g. `/v4.0.0/libpod/containers/ID/attach`
 */
export async function attachContainer(
  socketPath: string,
  path: string,
  options: AttachOptions,
): Promise<AttachedStreams> {
  let conn: Deno.UnixConn | undefined;
  let closed = false;
  const closeConn = () => {
    if (closed) return;
    closed = true;
    try {
      conn?.close();
    } catch {
      // already closed
    }
  };
  const rest = await withDeadline(
    (async () => {
      try {
        conn = await Deno.connect({ transport: "unix", path: socketPath });
      } catch (cause) {
        throw new PodmanError(`attach: cannot reach Podman at ${socketPath}`, {
          kind: "unreachable",
          cause,
        });
      }
      const query = "stdin=true&stdout=true&stderr=true&stream=true";
      const req = `POST ${path}?${query} HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\n` +
        `Upgrade: tcp\r\nContent-Type: text/plain\r\n\r\n`;
      await writeAll(conn, enc.encode(req));
      return await readHead(conn, path);
    })().catch((err) => {
      closeConn();
      throw err;
    }),
    options,
    closeConn,
  );
  return streamsOver(conn!, rest, closeConn);
}

/** Wrap a hijacked connection (after the reply head) as demultiplexed web streams. */
export function streamsOver(
  conn: Deno.Conn & { closeWrite(): Promise<void> },
  initial: Uint8Array,
  closeConn: () => void,
): AttachedStreams {
  type Ctl = ReadableStreamDefaultController<Uint8Array>;
  const ctl: { out?: Ctl; err?: Ctl } = {};
  const open = { out: true, err: true };
  const stdout = new ReadableStream<Uint8Array>({
    start: (c) => void (ctl.out = c),
    cancel: () => void (open.out = false),
  });
  const stderr = new ReadableStream<Uint8Array>({
    start: (c) => void (ctl.err = c),
    cancel: () => void (open.err = false),
  });
  const finish = (error?: unknown) => {
    for (const key of ["out", "err"] as const) {
      if (!open[key]) continue;
      open[key] = false;
      try {
        if (error) ctl[key]?.error(error);
        else ctl[key]?.close();
      } catch {
        // already closed
      }
    }
  };
  const decoder = new FrameDecoder();
  const deliver = (data: Uint8Array) => {
    for (const frame of decoder.push(data)) {
      const key = frame.stream === 1 ? "out" : frame.stream === 2 ? "err" : null;
      if (key && open[key]) ctl[key]?.enqueue(frame.payload);
    }
  };
  let userClosed = false;
  (async () => {
    if (initial.length) deliver(initial);
    const buf = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await conn.read(buf);
        if (n === null) break;
        deliver(buf.slice(0, n));
      }
      finish();
    } catch (err) {
      finish(userClosed ? undefined : err);
    } finally {
      closeConn();
    }
  })();
  let stdinClosed = false;
  const halfClose = async () => {
    if (stdinClosed) return;
    stdinClosed = true;
    try {
      await conn.closeWrite();
    } catch {
      // connection already gone
    }
  };
  const stdin = new WritableStream<Uint8Array>({
    write: async (chunk) => {
      try {
        await writeAll(conn, chunk);
      } catch (cause) {
        throw new PodmanError("attach: stdin write failed (container gone?)", {
          kind: "protocol",
          cause,
        });
      }
    },
    close: halfClose,
    abort: halfClose,
  });
  return {
    stdout,
    stderr,
    stdin,
    close: () => {
      userClosed = true;
      closeConn();
      finish();
    },
  };
}
