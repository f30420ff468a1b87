/**
 * @module Guarded stdio server transport: newline-delimited JSON-RPC on stdin/stdout like the
 * SDK's, but every bad line gets a JSON-RPC error instead of silence or a closed session —
 * over-long lines (skipped, not buffered), too-deep nesting, invalid JSON, batches, a leading
 * byte-order mark — and the session goes on.
 */
// @ts-types="@modelcontextprotocol/sdk/shared/transport"
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import { jsonDepthExceeds } from "../http/json_depth.ts";
import { concat } from "../../runtime/foundation/bytes.ts";

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
}

const NEWLINE = 10;

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

  /** @param options limits and streams (defaults: 32 MiB lines, depth 64, process stdio) */
  constructor(options: GuardedStdioOptions = {}) {
    this.#maxLine = options.maxLineBytes ?? 32 * 1024 * 1024;
    this.#maxDepth = options.maxDepth ?? 64;
    this.#input = options.input ?? Deno.stdin.readable;
    this.#writer = (options.output ?? Deno.stdout.writable).getWriter();
    this.#closeOutput = options.output !== undefined;
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
    this.onclose?.();
  }

  async #readLoop(): Promise<void> {
    let chunks: Uint8Array[] = [];
    let size = 0;
    let skipping = false;
    try {
      while (!this.#closed) {
        const { value, done } = await this.#reader!.read();
        if (done) break;
        let start = 0;
        for (let i = value.indexOf(NEWLINE); i !== -1; i = value.indexOf(NEWLINE, start)) {
          const piece = value.subarray(start, i);
          start = i + 1;
          if (skipping) {
            skipping = false;
            chunks = [];
            size = 0;
            continue;
          }
          chunks.push(piece);
          if (size + piece.length > this.#maxLine) {
            this.#reject(null, -32600, `Invalid Request: line longer than ${this.#maxLine} bytes`);
          } else this.#line(join(chunks));
          chunks = [];
          size = 0;
        }
        if (skipping || start >= value.length) continue;
        const rest = value.slice(start);
        if (size + rest.length > this.#maxLine) {
          this.#reject(null, -32600, `Invalid Request: line longer than ${this.#maxLine} bytes`);
          skipping = true;
          chunks = [];
          size = 0;
          continue;
        }
        chunks.push(rest);
        size += rest.length;
      }
      if (!skipping && size > 0) this.#line(join(chunks));
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
    const parsed = JSONRPCMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = idOf(raw);
      this.#reject(id, -32600, "Invalid Request: not a JSON-RPC 2.0 message");
      return;
    }
    this.onmessage?.(parsed.data as JSONRPCMessage);
  }

  #reject(id: string | number | null, code: number, message: string): void {
    void this.send({ jsonrpc: "2.0", id, error: { code, message } } as unknown as JSONRPCMessage);
  }
}

function idOf(raw: unknown): string | number | null {
  if (typeof raw !== "object" || raw === null) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/** One line's chunks as one array (no copy for the common single-chunk line). */
function join(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0] : concat(...chunks);
}
