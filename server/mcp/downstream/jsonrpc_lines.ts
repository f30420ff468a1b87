/**
 * @module Newline-delimited JSON-RPC off a downstream's stdout, as the SDK's `ReadBuffer` reads
 * it (same size cap, non-JSON lines skipped, invalid messages thrown) but cheaper on the hot
 * message: a plain result response (`{jsonrpc, id, result}` with a plain-object result and no
 * `_meta`) is taken as parsed — the SDK's envelope schema would pass it unchanged — and only
 * every other message goes through `parseJSONRPCMessage`.
 */
import { Buffer } from "node:buffer";
import { type JSONRPCMessage, parseJSONRPCMessage } from "@modelcontextprotocol/client";

/** The SDK's stdio buffer cap (10 MiB). */
const MAX_BUFFER_BYTES = 10 * 1024 * 1024;

/**
 * Whether `value` is a result response the SDK's envelope schema passes unchanged: exactly
 * `jsonrpc: "2.0"`, a string or integer `id` and a plain-object `result` without `_meta`.
 */
export function isPlainResultResponse(value: unknown): value is JSONRPCMessage {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== "2.0" || Object.keys(m).length !== 3) return false;
  const id = m.id;
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) {
    return false;
  }
  const result = m.result;
  return result !== null && typeof result === "object" && !Array.isArray(result) &&
    !("_meta" in result);
}

/** Buffers stdout bytes and hands out whole JSON-RPC messages; see module doc. */
export class JsonRpcLineBuffer {
  #buffer: Buffer | undefined;

  /**
   * Add bytes read from stdout.
   * @throws when the buffered bytes would exceed the cap (the buffer is cleared)
   */
  append(chunk: Buffer): void {
    if ((this.#buffer?.length ?? 0) + chunk.length > MAX_BUFFER_BYTES) {
      this.clear();
      throw new Error(`ReadBuffer exceeded maximum size of ${MAX_BUFFER_BYTES} bytes`);
    }
    this.#buffer = this.#buffer ? Buffer.concat([this.#buffer, chunk]) : chunk;
  }

  /**
   * The next whole message, or null until a full line is buffered. Lines that are not JSON are
   * skipped (banners).
   * @throws a JSON line that is not a valid JSON-RPC message (the SDK's schema error)
   */
  readMessage(): JSONRPCMessage | null {
    while (this.#buffer) {
      const index = this.#buffer.indexOf("\n");
      if (index === -1) return null;
      const line = this.#buffer.toString("utf8", 0, index).replace(/\r$/, "");
      // An empty remainder is dropped, so the next chunk is taken as it is (no copy).
      this.#buffer = index + 1 < this.#buffer.length ? this.#buffer.subarray(index + 1) : undefined;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      return isPlainResultResponse(value) ? value : parseJSONRPCMessage(value);
    }
    return null;
  }

  /** Drop what is buffered. */
  clear(): void {
    this.#buffer = undefined;
  }
}
