/**
 * @module Raw HTTP/1.1 over TCP for attack tests: `fetch` will not send a forged `Host`, so
 * DNS-rebinding requests are written by hand.
 */
import { concat } from "../../runtime/foundation/bytes.ts";

/** A parsed response. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** What to send. */
export interface RawRequest {
  method?: string;
  path: string;
  /** Sent as given, `Host` included (default `127.0.0.1:<port>`). */
  headers?: Record<string, string>;
  body?: string;
}

function decodeChunked(text: string): string {
  let out = "";
  let rest = text;
  while (rest.length) {
    const eol = rest.indexOf("\r\n");
    if (eol < 0) break;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) break;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
  return out;
}

/**
 * Send one request to 127.0.0.1:`port` and read the whole response (`Connection: close`).
 * @param port the router's port
 * @param req method, path, headers, body
 */
export async function rawRequest(port: number, req: RawRequest): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const headers: Record<string, string> = {
      host: `127.0.0.1:${port}`,
      connection: "close",
      ...req.headers,
    };
    const body = req.body ?? "";
    if (body || (req.method && req.method !== "GET")) {
      headers["content-length"] = String(new TextEncoder().encode(body).length);
    }
    const head = `${req.method ?? "GET"} ${req.path} HTTP/1.1\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n") + "\r\n\r\n";
    await conn.write(new TextEncoder().encode(head + body));
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(concat(...chunks));
    const split = text.indexOf("\r\n\r\n");
    const [statusLine, ...lines] = text.slice(0, split).split("\r\n");
    const out = new Headers();
    for (const line of lines) {
      const i = line.indexOf(":");
      if (i > 0) out.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
    }
    const rawBody = text.slice(split + 4);
    return {
      status: Number(statusLine.split(" ")[1]),
      headers: out,
      body: out.get("transfer-encoding")?.includes("chunked") ? decodeChunked(rawBody) : rawBody,
    };
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the server
    }
  }
}
