/**
 * @module Podman REST client: typed calls to the libpod v4 API over a unix socket.
 *
 * Plain requests use `fetch` with a unix-socket `Deno.HttpClient`; attach uses a raw hijacked
 * connection (see `attach.ts`). Every call has a timeout; failures are {@linkcode PodmanError}s.
 */
import type { z } from "zod";
import type { AttachedStreams } from "../backend.ts";
import { attachContainer } from "./attach.ts";
import { demuxToLines } from "./demux.ts";
import { errorFromReply, PodmanError } from "./errors.ts";
import {
  BuildLineSchema,
  CreateReplySchema,
  ImportReplySchema,
  type InfoReply,
  InfoReplySchema,
  type InspectReply,
  InspectReplySchema,
  type ListEntry,
  ListReplySchema,
} from "./schemas.ts";

/** Per-call options. */
export interface CallOptions {
  /** Abort the call early. */
  signal?: AbortSignal;
  /** Override the client's default timeout (ms). */
  timeoutMs?: number;
}

/** Options for {@linkcode PodmanClient.build}. */
export interface BuildOptions extends CallOptions {
  /** Tag for the built image. */
  tag: string;
  /** Path of the Containerfile inside the context (default `Containerfile`). */
  containerfile?: string;
  /** `ARG` values. */
  buildArgs?: Record<string, string>;
  /** Receives each progress line. */
  onLog?: (line: string) => void;
}

/** Client construction options. */
export interface PodmanClientOptions {
  /** Default timeout for plain calls in ms (default 30 s). */
  timeoutMs?: number;
  /** API version prefix (default `v4.0.0`). */
  apiVersion?: string;
}

type Query = Record<string, string | number | boolean | string[] | undefined>;

interface RequestOptions extends CallOptions {
  query?: Query;
  body?: BodyInit;
  contentType?: string;
}

/** A libpod v4 REST client bound to one unix socket. */
export class PodmanClient {
  readonly socketPath: string;
  readonly #http: Deno.HttpClient;
  readonly #timeoutMs: number;
  readonly #prefix: string;

  /**
   * @param socketPath path of Podman's API socket
   * @param options default timeout and API version
   */
  constructor(socketPath: string, options: PodmanClientOptions = {}) {
    this.socketPath = socketPath;
    this.#http = Deno.createHttpClient({ proxy: { transport: "unix", path: socketPath } });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#prefix = `/${options.apiVersion ?? "v4.0.0"}/libpod`;
  }

  /** Release the HTTP client's pooled connections. */
  close(): void {
    this.#http.close();
  }

  /** Issue a request; non-2xx/304 replies become PodmanErrors. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const operation = `${method} ${path}`;
    const url = new URL(`http://d${this.#prefix}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) { for (const item of v) url.searchParams.append(k, item); }
      else url.searchParams.set(k, String(v));
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs);
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

  async #json<T extends z.ZodType>(
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

  async #discard(method: string, path: string, options: RequestOptions = {}): Promise<number> {
    const res = await this.request(method, path, options);
    await res.body?.cancel();
    return res.status;
  }

  /** `GET /_ping` → `OK`. */
  async ping(options: CallOptions = {}): Promise<string> {
    const res = await this.request("GET", "/_ping", options);
    return (await res.text()).trim();
  }

  /** Engine information. */
  info(options: CallOptions = {}): Promise<InfoReply> {
    return this.#json(InfoReplySchema, "GET", "/info", options);
  }

  /** Whether an image exists locally. */
  async imageExists(ref: string, options: CallOptions = {}): Promise<boolean> {
    try {
      await this.#discard("GET", `/images/${encodeURIComponent(ref)}/exists`, options);
      return true;
    } catch (err) {
      if (err instanceof PodmanError && err.notFound) return false;
      throw err;
    }
  }

  /**
   * Build an image from an uncompressed tar context, streaming progress to `onLog`.
   * @returns the image id
   */
  async build(
    context: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array<ArrayBuffer>>,
    options: BuildOptions,
  ): Promise<string> {
    const res = await this.request("POST", "/build", {
      ...options,
      timeoutMs: options.timeoutMs ?? 30 * 60_000,
      query: {
        t: options.tag,
        dockerfile: options.containerfile ?? "Containerfile",
        buildargs: options.buildArgs ? JSON.stringify(options.buildArgs) : undefined,
        rm: true,
        layers: true,
      },
      body: context,
      contentType: "application/x-tar",
    });
    let id = "";
    let error = "";
    let partial = "";
    for await (const line of jsonLines(res.body)) {
      const parsed = BuildLineSchema.safeParse(line);
      if (!parsed.success) continue;
      const { stream, aux } = parsed.data;
      if (parsed.data.error) error = parsed.data.error;
      if (stream) {
        // `stream` chunks are not line-aligned: emit whole lines only.
        const lines = (partial + stream).split("\n");
        partial = lines.pop() ?? "";
        for (const l of lines) {
          if (l.trim()) options.onLog?.(l);
          const m = /^Successfully built ([0-9a-f]{12,64})/.exec(l.trim());
          if (m) id = m[1];
        }
      }
      if (aux?.ID) id = aux.ID;
    }
    if (partial.trim()) {
      options.onLog?.(partial);
      const m = /^Successfully built ([0-9a-f]{12,64})/.exec(partial.trim());
      if (m) id = m[1];
    }
    if (error || !id) {
      throw new PodmanError(`build ${options.tag}: ${error || "no image id in build output"}`, {
        status: res.status,
        kind: "build",
        operation: "POST /build",
      });
    }
    return id;
  }

  /**
   * Import a root filesystem tarball as an image.
   * @returns the image id
   */
  async importImage(
    tarball: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array<ArrayBuffer>>,
    options: CallOptions & { reference: string; changes?: string[]; message?: string },
  ): Promise<string> {
    const reply = await this.#json(ImportReplySchema, "POST", "/images/import", {
      ...options,
      timeoutMs: options.timeoutMs ?? 10 * 60_000,
      query: { reference: options.reference, changes: options.changes, message: options.message },
      body: tarball,
      contentType: "application/x-tar",
    });
    return reply.Id;
  }

  /** Remove an image. */
  async removeImage(ref: string, options: CallOptions & { force?: boolean } = {}): Promise<void> {
    await this.#discard("DELETE", `/images/${encodeURIComponent(ref)}`, {
      ...options,
      query: { force: options.force ?? false },
    });
  }

  /** Create a container from a libpod SpecGenerator; returns its id. */
  async createContainer(spec: Record<string, unknown>, options: CallOptions = {}): Promise<string> {
    const reply = await this.#json(CreateReplySchema, "POST", "/containers/create", {
      ...options,
      body: JSON.stringify(spec),
      contentType: "application/json",
    });
    return reply.Id;
  }

  /** Start a container (already running is fine). */
  async startContainer(id: string, options: CallOptions = {}): Promise<void> {
    await this.#discard("POST", `/containers/${encodeURIComponent(id)}/start`, options);
  }

  /** Wait for a condition (default `exited`); returns the exit code. */
  async waitContainer(
    id: string,
    options: CallOptions & { condition?: string } = {},
  ): Promise<number> {
    const res = await this.request("POST", `/containers/${encodeURIComponent(id)}/wait`, {
      ...options,
      query: { condition: options.condition ?? "exited" },
    });
    const code = Number((await res.text()).trim());
    if (!Number.isInteger(code)) {
      throw new PodmanError(`wait ${id}: unexpected reply`, {
        kind: "protocol",
        status: res.status,
      });
    }
    return code;
  }

  /** Stop a container: SIGTERM, then SIGKILL after `timeoutS` (default 10). */
  async stopContainer(
    id: string,
    options: CallOptions & { timeoutS?: number } = {},
  ): Promise<void> {
    const timeoutS = options.timeoutS ?? 10;
    await this.#discard("POST", `/containers/${encodeURIComponent(id)}/stop`, {
      ...options,
      timeoutMs: options.timeoutMs ?? this.#timeoutMs + timeoutS * 1000,
      query: { timeout: timeoutS },
    });
  }

  /** Remove a container (and its anonymous volumes); `force` kills it after `timeoutS` (default 0). */
  async removeContainer(
    id: string,
    options: CallOptions & { force?: boolean; timeoutS?: number } = {},
  ): Promise<void> {
    if (options.force && !options.timeoutS) {
      // Podman 4.3 ignores `timeout` on DELETE and waits the stop timeout: SIGKILL first.
      await this.#discard("POST", `/containers/${encodeURIComponent(id)}/kill`, {
        ...options,
        query: { signal: "SIGKILL" },
      }).catch(() => {});
    }
    await this.#discard("DELETE", `/containers/${encodeURIComponent(id)}`, {
      ...options,
      query: { force: options.force ?? false, v: true, timeout: options.timeoutS ?? 0 },
    });
  }

  /** Inspect a container. */
  inspectContainer(id: string, options: CallOptions = {}): Promise<InspectReply> {
    return this.#json(
      InspectReplySchema,
      "GET",
      `/containers/${encodeURIComponent(id)}/json`,
      options,
    );
  }

  /** List containers (all states) carrying every given label. */
  async listContainers(
    labels: Record<string, string>,
    options: CallOptions = {},
  ): Promise<ListEntry[]> {
    const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const entries = await this.#json(ListReplySchema, "GET", "/containers/json", {
      ...options,
      query: { all: true, filters: label.length ? JSON.stringify({ label }) : undefined },
    });
    return entries.filter((e) => Object.entries(labels).every(([k, v]) => e.Labels?.[k] === v));
  }

  /** Log lines of a container (stdout and stderr interleaved). */
  async logs(
    id: string,
    options: CallOptions & { tail?: number } = {},
  ): Promise<{ stream: number; line: string }[]> {
    const res = await this.request("GET", `/containers/${encodeURIComponent(id)}/logs`, {
      ...options,
      query: { stdout: true, stderr: true, tail: options.tail ?? "all" },
    });
    return demuxToLines(new Uint8Array(await res.arrayBuffer()));
  }

  /** Attach to a container's stdin/stdout/stderr over a hijacked connection. */
  attach(id: string, options: CallOptions = {}): Promise<AttachedStreams> {
    return attachContainer(
      this.socketPath,
      `${this.#prefix}/containers/${encodeURIComponent(id)}/attach`,
      {
        timeoutMs: options.timeoutMs ?? this.#timeoutMs,
        signal: options.signal,
      },
    );
  }
}

/** Parse a stream of newline-delimited (or concatenated) JSON values. */
export async function* jsonLines(
  body: ReadableStream<Uint8Array> | null,
): AsyncGenerator<unknown> {
  if (!body) return;
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of body) {
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield* parseJsonValues(line);
    }
  }
  buf += decoder.decode();
  if (buf.trim()) yield* parseJsonValues(buf.trim());
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
