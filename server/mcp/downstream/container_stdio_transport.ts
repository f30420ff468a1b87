/**
 * @module MCP client transport over an attached container's stdio (`AttachedStreams`).
 *
 * Framing is the SDK's (`serializeMessage`: newline-delimited JSON-RPC), read with the SDK's
 * rules by {@linkcode JsonRpcLineBuffer} (plain result responses skip the envelope schema).
 * stderr lines go to the per-server log ring buffer. When stdout ends (the container exited or
 * the attach dropped) the transport closes and `onclose` fires once.
 */
import { Buffer } from "node:buffer";
import {
  type JSONRPCMessage,
  serializeMessage,
  type Transport,
} from "@modelcontextprotocol/client";
import { JsonRpcLineBuffer } from "./jsonrpc_lines.ts";
import type { AttachedStreams } from "../../../runtime/backend.ts";
import { appendLog, lineSplitter } from "../../../runtime/log_buffer.ts";

/** Options for {@linkcode ContainerStdioTransport}. */
export interface ContainerStdioTransportOptions {
  /** Server id whose log buffer receives stderr lines. */
  serverId: string;
}

/** An SDK `Transport` speaking newline-delimited JSON-RPC over a container's stdin/stdout. */
export class ContainerStdioTransport implements Transport {
  /** Called once when the connection ends, for any reason. */
  onclose?: () => void;
  /** Called on framing or I/O errors (not necessarily fatal). */
  onerror?: (error: Error) => void;
  /** Called for each message received from the server. */
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #streams: AttachedStreams;
  readonly #options: ContainerStdioTransportOptions;
  readonly #readBuffer = new JsonRpcLineBuffer();
  #writer?: WritableStreamDefaultWriter<Uint8Array>;
  #started = false;
  #closed = false;
  #encoder = new TextEncoder();

  /**
   * @param streams the attached container streams (ownership passes to the transport)
   * @param options server id for logs
   */
  /**
   * No local process (the server runs in a container). Present so that the SDK treats this as
   * a stdio transport when probing the protocol era: a silent or closed probe means 2025.
   */
  get pid(): number | null {
    return null;
  }

  /** stderr goes to the server's log buffer, not to the SDK (see {@linkcode pid}). */
  get stderr(): null {
    return null;
  }

  constructor(streams: AttachedStreams, options: ContainerStdioTransportOptions) {
    this.#streams = streams;
    this.#options = options;
  }

  /** Start pumping stdout (messages) and stderr (logs). */
  start(): Promise<void> {
    if (this.#started) {
      return Promise.reject(new Error("ContainerStdioTransport already started"));
    }
    this.#started = true;
    this.#writer = this.#streams.stdin.getWriter();
    this.#pumpStdout();
    this.#pumpStderr();
    return Promise.resolve();
  }

  async #pumpStdout(): Promise<void> {
    const reader = this.#streams.stdout.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        if (!value || value.length === 0) continue;
        try {
          this.#readBuffer.append(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        } catch (error) {
          this.onerror?.(toError(error));
          break;
        }
        this.#drain();
      }
    } catch (error) {
      if (!this.#closed) this.onerror?.(toError(error));
    } finally {
      reader.releaseLock();
      this.#finish();
    }
  }

  #drain(): void {
    while (true) {
      let message: JSONRPCMessage | null;
      try {
        message = this.#readBuffer.readMessage();
      } catch (error) {
        // A non-JSON line on stdout (some servers print banners): report and keep reading.
        this.onerror?.(toError(error));
        continue;
      }
      if (message === null) break;
      this.onmessage?.(message);
    }
  }

  async #pumpStderr(): Promise<void> {
    const splitter = lineSplitter((line) => appendLog(this.#options.serverId, line));
    const reader = this.#streams.stderr.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        if (value) splitter.push(value);
      }
    } catch {
      // stderr errors are not fatal; stdout end decides the lifetime.
    } finally {
      splitter.flush();
      reader.releaseLock();
    }
  }

  /** Send one JSON-RPC message. */
  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed || !this.#writer) throw new Error("Not connected");
    await this.#writer.write(this.#encoder.encode(serializeMessage(message)));
  }

  /** Close stdin and the attach connection; fires `onclose`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    // Closing stdin tells a well-behaved server to exit; do not wait on a stuck pipe.
    this.#writer?.close().catch(() => {});
    await Promise.resolve();
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#readBuffer.clear();
    try {
      this.#writer?.releaseLock();
    } catch {
      // ignore
    }
    try {
      this.#streams.close();
    } catch {
      // ignore
    }
    this.onclose?.();
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
