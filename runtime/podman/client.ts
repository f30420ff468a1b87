/**
 * @module Podman REST client: typed calls to the libpod v4 API over a unix socket.
 *
 * Plain requests go through {@linkcode PodmanHttp}; attach uses a raw hijacked connection (see
 * `attach.ts`). Every call has a timeout; failures are {@linkcode PodmanError}s.
 */
import { z } from "zod";
import type { AttachedStreams } from "../backend.ts";
import { attachContainer } from "./attach.ts";
import { demuxToLines } from "./demux.ts";
import { PodmanError } from "./errors.ts";
import { createLogger } from "../foundation/log.ts";
import { textLineSplitter } from "../foundation/lines.ts";
import { type CallOptions, jsonLines, PodmanHttp } from "./http.ts";
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

export type { CallOptions, PodmanClientOptions, Query, RequestOptions } from "./http.ts";
export { jsonLines } from "./http.ts";

const log = createLogger("runtime.podman");

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
  /**
   * Keep each step as a cached intermediate image (default true). False for multi-stage builds
   * whose stages are never reused: with layers, every earlier stage stays behind as a dangling
   * image.
   */
  layers?: boolean;
}

const SecretReplySchema = z.object({ ID: z.string() });

/** A libpod v4 REST client bound to one unix socket. */
export class PodmanClient extends PodmanHttp {
  /** Engine information. */
  info(options: CallOptions = {}): Promise<InfoReply> {
    return this.json(InfoReplySchema, "GET", "/info", options);
  }

  /** Whether an image exists locally. */
  async imageExists(ref: string, options: CallOptions = {}): Promise<boolean> {
    try {
      await this.discard("GET", `/images/${encodeURIComponent(ref)}/exists`, options);
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
        layers: options.layers ?? true,
      },
      body: context,
      contentType: "application/x-tar",
    });
    let id = "";
    let error = "";
    // `stream` chunks are not line-aligned: emit whole lines only.
    const output = textLineSplitter((l) => {
      if (l.trim()) options.onLog?.(l);
      const m = /^Successfully built ([0-9a-f]{12,64})/.exec(l.trim());
      if (m) id = m[1];
    });
    for await (const line of jsonLines(res.body)) {
      const parsed = BuildLineSchema.safeParse(line);
      if (!parsed.success) continue;
      const { stream, aux } = parsed.data;
      if (parsed.data.error) error = parsed.data.error;
      if (stream) output.push(stream);
      if (aux?.ID) id = aux.ID;
    }
    output.flush();
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
    const reply = await this.json(ImportReplySchema, "POST", "/images/import", {
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
    await this.discard("DELETE", `/images/${encodeURIComponent(ref)}`, {
      ...options,
      query: { force: options.force ?? false },
    });
  }

  /** Create an engine secret holding `data` (never logged); returns its id. */
  async createSecret(name: string, data: string, options: CallOptions = {}): Promise<string> {
    const res = await this.request("POST", "/secrets/create", {
      ...options,
      query: { name },
      body: new TextEncoder().encode(data),
      contentType: "application/octet-stream",
    });
    const parsed = SecretReplySchema.safeParse(await res.json().catch(() => null));
    return parsed.success ? parsed.data.ID : name;
  }

  /** Remove an engine secret; a missing one is fine. */
  async removeSecret(name: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.discard("DELETE", `/secrets/${encodeURIComponent(name)}`, options);
    } catch (err) {
      if (!(err instanceof PodmanError && err.notFound)) throw err;
    }
  }

  /** Create a container from a libpod SpecGenerator; returns its id. */
  async createContainer(spec: Record<string, unknown>, options: CallOptions = {}): Promise<string> {
    const reply = await this.json(CreateReplySchema, "POST", "/containers/create", {
      ...options,
      body: JSON.stringify(spec),
      contentType: "application/json",
    });
    // Podman reports settings it accepted but will not apply (e.g. ignored resource limits).
    if (reply.Warnings?.length) log.warn("podman create warnings", { warnings: reply.Warnings });
    return reply.Id;
  }

  /** Start a container (already running is fine). */
  async startContainer(id: string, options: CallOptions = {}): Promise<void> {
    await this.discard("POST", `/containers/${encodeURIComponent(id)}/start`, options);
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
    await this.discard("POST", `/containers/${encodeURIComponent(id)}/stop`, {
      ...options,
      timeoutMs: options.timeoutMs ?? this.timeoutMs + timeoutS * 1000,
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
      await this.discard("POST", `/containers/${encodeURIComponent(id)}/kill`, {
        ...options,
        query: { signal: "SIGKILL" },
      }).catch(() => {});
    }
    await this.discard("DELETE", `/containers/${encodeURIComponent(id)}`, {
      ...options,
      query: { force: options.force ?? false, v: true, timeout: options.timeoutS ?? 0 },
    });
  }

  /** Inspect a container. */
  inspectContainer(id: string, options: CallOptions = {}): Promise<InspectReply> {
    return this.json(
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
    const entries = await this.json(ListReplySchema, "GET", "/containers/json", {
      ...options,
      query: { all: true, filters: label.length ? JSON.stringify({ label }) : undefined },
    });
    return entries.filter((e) => Object.entries(labels).every(([k, v]) => e.Labels?.[k] === v));
  }

  /**
   * Log lines of a container (stdout and stderr interleaved). `tail` is applied here: Podman
   * 4.3's own `tail` can drop the start of a line written in pieces (k8s-file partial lines).
   */
  async logs(
    id: string,
    options: CallOptions & { tail?: number } = {},
  ): Promise<{ stream: number; line: string }[]> {
    const res = await this.request("GET", `/containers/${encodeURIComponent(id)}/logs`, {
      ...options,
      query: { stdout: true, stderr: true },
    });
    const lines = demuxToLines(new Uint8Array(await res.arrayBuffer()));
    return options.tail === undefined ? lines : lines.slice(-options.tail);
  }

  /** Attach to a container's stdin/stdout/stderr over a hijacked connection. */
  attach(id: string, options: CallOptions = {}): Promise<AttachedStreams> {
    return attachContainer(
      this.socketPath,
      `${this.prefix}/containers/${encodeURIComponent(id)}/attach`,
      {
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        signal: options.signal,
      },
    );
  }
}
