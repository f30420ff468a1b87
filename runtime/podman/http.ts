/**
 * @module Podman HTTP transport: `fetch` over a unix-socket `Deno.HttpClient`, with a timeout on
 * every call, Podman's error replies turned into {@linkcode PodmanError}s and zod-checked JSON.
 */
import type { z } from "zod";
import { errorFromReply, PodmanError } from "./errors.ts";
import { readLines } from "../foundation/lines.ts";

/** Per-call options. */
export interface CallOptions {
  /** Abort the call early. */
  signal?: AbortSignal;
  /** Override the client's default timeout (ms). */
  timeoutMs?: number;
}

/** Client construction options. */
export interface PodmanClientOptions {
  /** Default timeout for plain calls in ms (default 30 s). */
  timeoutMs?: number;
  /** API version prefix (default `v4.0.0`). */
  apiVersion?: string;
}

/** Query parameters (arrays repeat the key). */
export type Query = Record<string, string | number | boolean | string[] | undefined>;

/** Options of one raw request. */
export interface RequestOptions extends CallOptions {
  query?: Query;
  body?: BodyInit;
  contentType?: string;
}

/** Transport for the libpod v4 REST API over one unix socket (requests, timeouts, errors). */
export class PodmanHttp {
  readonly socketPath: string;
  readonly #http: Deno.HttpClient;
  protected readonly timeoutMs: number;
  protected readonly prefix: string;

  /**
   * @param socketPath path of Podman's API socket
   * @param options default timeout and API version
   */
  constructor(socketPath: string, options: PodmanClientOptions = {}) {
    this.socketPath = socketPath;
    this.#http = Deno.createHttpClient({ proxy: { transport: "unix", path: socketPath } });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.prefix = `/${options.apiVersion ?? "v4.0.0"}/libpod`;
  }

  /** Release the HTTP client's pooled connections. */
  close(): void {
    this.#http.close();
  }

  /** Issue a request; non-2xx/304 replies become PodmanErrors. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const operation = `${method} ${path}`;
    const url = new URL(`http://d${this.prefix}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) { for (const item of v) url.searchParams.append(k, item); }
      else url.searchParams.set(k, String(v));
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = {};
    if (options.contentType) headers["content-type"] = options.contentType;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        body: options.body,
        headers,
        signal,
        client: this.#http,
      });
    } catch (cause) {
      if (timeout.aborted) {
        throw new PodmanError(`${operation}: timed out`, { kind: "timeout", operation, cause });
      }
      if (signal.aborted) {
        throw new PodmanError(`${operation}: aborted`, { kind: "timeout", operation, cause });
      }
      throw new PodmanError(`${operation}: cannot reach Podman at ${this.socketPath}`, {
        kind: "unreachable",
        operation,
        cause,
      });
    }
    if (res.status >= 400) {
      const text = await res.text().catch(() => "");
      throw errorFromReply(operation, res.status, text);
    }
    return res;
  }

  protected async json<T extends z.ZodType>(
    schema: T,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<z.infer<T>> {
    const res = await this.request(method, path, options);
    const text = await res.text();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (cause) {
      throw new PodmanError(`${method} ${path}: reply is not JSON`, {
        status: res.status,
        kind: "protocol",
        operation: `${method} ${path}`,
        cause,
      });
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new PodmanError(`${method} ${path}: unexpected reply shape`, {
        status: res.status,
        kind: "protocol",
        operation: `${method} ${path}`,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  protected async discard(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<number> {
    const res = await this.request(method, path, options);
    await res.body?.cancel();
    return res.status;
  }
}

/** Parse a stream of newline-delimited (or concatenated) JSON values. */
export async function* jsonLines(
  body: ReadableStream<Uint8Array> | null,
): AsyncGenerator<unknown> {
  if (!body) return;
  for await (const line of readLines(body)) {
    const text = line.trim();
    if (text) yield* parseJsonValues(text);
  }
}

function* parseJsonValues(text: string): Generator<unknown> {
  try {
    yield JSON.parse(text);
  } catch {
    // Podman sometimes writes `}{` without a newline: split on object boundaries.
    for (const part of text.split(/(?<=\})\s*(?=\{)/)) {
      try {
        yield JSON.parse(part);
      } catch {
        // ignore garbage
      }
    }
  }
}
