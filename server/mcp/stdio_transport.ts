/**
 * @module Guarded stdio server transport: newline-delimited JSON-RPC on stdin/stdout like the
 * SDK's, but every bad line gets a JSON-RPC error instead of silence or a closed session —
 * over-long lines (skipped, not buffered), too-deep nesting, invalid JSON, batches, a leading
 * byte-order mark — and the session goes on.
 */
import {
  type JSONRPCMessage,
  parseJSONRPCMessage,
  type Transport,
} from "@modelcontextprotocol/server";
import { jsonDepthExceeds } from "../http/json_depth.ts";
import { LineSplitter } from "../../runtime/foundation/lines.ts";
import { jsonRpcErrorBody } from "./jsonrpc_errors.ts";

/** Limits of {@linkcode GuardedStdioServerTransport}. */
export interface GuardedStdioOptions {
  /** Longest accepted line in bytes (longer ones are skipped with an error). Default 32 MiB. */
  maxLineBytes?: number;
  /** Deepest accepted JSON nesting. Default 64. */
  maxDepth?: number;
  /** Input (default `Deno.stdin.readable`). */
  input?: ReadableStream<Uint8Array>;
  /** Output (default `Deno.stdout.writable`). */
  output?: WritableStream<Uint8Array>;
  /** Sees every well-formed inbound message before the server does (e.g. stdio presence). */
  onInbound?: (message: JSONRPCMessage) => void;
  /**
   * Decides where each well-formed inbound message goes (default: straight to the server);
   * `deliver` hands it to the server.
   */
  route?: (message: JSONRPCMessage, deliver: (message: JSONRPCMessage) => void) => void;
}

/** MCP over stdin/stdout that answers malformed input instead of dropping it. */
export class GuardedStdioServerTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  readonly #maxLine: number;
  readonly #maxDepth: number;
  readonly #input: ReadableStream<Uint8Array>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #closed = false;
  #writes: Promise<void> = Promise.resolve();
  /** Close the output on close (only for streams given in the options, never stdout). */
  readonly #closeOutput: boolean;
  readonly #onInbound?: (message: JSONRPCMessage) => void;
  readonly #route?: GuardedStdioOptions["route"];
  readonly #deliver = (message: JSONRPCMessage) => this.onmessage?.(message);
  readonly #ended = Promise.withResolvers<void>();
  /** Resolves once the transport has closed (stdin ended or `close()`), whoever else listens. */
  readonly closed: Promise<void> = this.#ended.promise;

  /** @param options limits and streams (defaults: 32 MiB lines, depth 64, process stdio) */
  constructor(options: GuardedStdioOptions = {}) {
    this.#maxLine = options.maxLineBytes ?? 32 * 1024 * 1024;
    this.#maxDepth = options.maxDepth ?? 64;
    this.#input = options.input ?? Deno.stdin.readable;
    this.#writer = (options.output ?? Deno.stdout.writable).getWriter();
    this.#closeOutput = options.output !== undefined;
    this.#onInbound = options.onInbound;
    this.#route = options.route;
  }

  /** Start reading stdin (resolves at once; reading goes on in the background). */
  start(): Promise<void> {
    this.#reader = this.#input.getReader();
    void this.#readLoop();
    return Promise.resolve();
  }

  /** Write one message as a line. */
  send(message: JSONRPCMessage): Promise<void> {
    const line = new TextEncoder().encode(JSON.stringify(message) + "\n");
    this.#writes = this.#writes.then(() => this.#writer.write(line)).catch((error) => {
      this.onerror?.(error as Error);
    });
    return this.#writes;
  }

  /** Stop reading and close. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#reader?.cancel().catch(() => {});
    await this.#writes;
    if (this.#closeOutput) await this.#writer.close().catch(() => {});
    this.#ended.resolve();
    this.onclose?.();
  }

  async #readLoop(): Promise<void> {
    const tooLong = `Invalid Request: line longer than ${this.#maxLine} bytes`;
    const lines = new LineSplitter({
      onLine: (bytes) => this.#line(bytes),
      maxLineBytes: this.#maxLine,
      overflow: "skip",
      onTooLong: () => this.#reject(null, -32600, tooLong),
    });
    try {
      while (!this.#closed) {
        const { value, done } = await this.#reader!.read();
        if (done) break;
        lines.push(value);
      }
      lines.flush();
    } catch (error) {
      if (!this.#closed) this.onerror?.(error as Error);
    }
    await this.close();
  }

  #line(bytes: Uint8Array): void {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      this.#reject(null, -32700, "Parse error: the line is not valid UTF-8");
      return;
    }
    text = text.replace(/^\uFEFF/, "").replace(/\r$/, "");
    if (text.trim() === "") return;
    if (jsonDepthExceeds(text, this.#maxDepth)) {
      this.#reject(null, -32600, `Invalid Request: JSON nested deeper than ${this.#maxDepth}`);
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.#reject(null, -32700, "Parse error: invalid JSON");
      return;
    }
    if (Array.isArray(raw)) {
      this.#reject(null, -32600, "Invalid Request: JSON-RPC batches are not supported");
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(raw);
    } catch {
      this.#reject(idOf(raw), -32600, "Invalid Request: not a JSON-RPC 2.0 message");
      return;
    }
    this.#onInbound?.(message);
    if (this.#route) this.#route(message, this.#deliver);
    else this.onmessage?.(message);
  }

  #reject(id: string | number | null, code: number, message: string): void {
    void this.send(jsonRpcErrorBody(id, code, message) as unknown as JSONRPCMessage);
  }
}

function idOf(raw: unknown): string | number | null {
  if (typeof raw !== "object" || raw === null) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}
