/**
 * @module Bounded line reader: whole `\n`-terminated lines from a byte stream, never buffering
 * more than a fixed number of bytes (a runaway line fails instead of growing memory).
 */

/** Thrown when a line grows past the reader's byte limit. */
export class LineTooLongError extends Error {
  override name = "LineTooLongError";
  /** @param limit the byte limit that was exceeded */
  constructor(readonly limit: number) {
    super(`line longer than ${limit} bytes`);
  }
}

/** Reads `\n`-terminated UTF-8 lines from a stream with a per-line byte cap. */
export class BoundedLineReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #maxLineBytes: number;
  readonly #decoder = new TextDecoder();
  #chunks: Uint8Array[] = [];
  #size = 0;
  #done = false;

  /**
   * @param stream the byte stream (locked for the reader's lifetime)
   * @param options `maxLineBytes`: longest line accepted, newline excluded
   */
  constructor(stream: ReadableStream<Uint8Array>, options: { maxLineBytes: number }) {
    this.#reader = stream.getReader();
    this.#maxLineBytes = options.maxLineBytes;
  }

  /**
   * The next line without its `\n`, or null at end of stream (a trailing partial line is
   * returned first).
   * @throws {LineTooLongError} when a line exceeds the limit (the reader is then unusable)
   */
  async next(): Promise<string | null> {
    while (true) {
      // Only the last chunk can hold an unconsumed newline (earlier ones were searched).
      const line = this.#takeLine();
      if (line !== null) return line;
      if (this.#size > this.#maxLineBytes) {
        this.#chunks = [];
        this.#size = 0;
        await this.cancel();
        throw new LineTooLongError(this.#maxLineBytes);
      }
      if (this.#done) break;
      const { value, done } = await this.#reader.read();
      if (done) {
        this.#done = true;
        continue;
      }
      if (value && value.length > 0) {
        this.#chunks.push(value);
        this.#size += value.length;
      }
    }
    if (this.#size > 0) {
      const rest = this.#concat(this.#size);
      this.#chunks = [];
      this.#size = 0;
      return this.#decoder.decode(rest);
    }
    return null;
  }

  /** Stop reading and release the stream. */
  async cancel(): Promise<void> {
    this.#done = true;
    try {
      await this.#reader.cancel();
    } catch {
      // already closed or errored
    }
  }

  #takeLine(): string | null {
    if (this.#chunks.length === 0) return null;
    const last = this.#chunks[this.#chunks.length - 1];
    const idx = last.indexOf(10);
    if (idx < 0) return null;
    const before = this.#size - last.length;
    if (before + idx > this.#maxLineBytes) return null; // let next() raise LineTooLongError
    const lineBytes = this.#concat(before + idx);
    const rest = last.subarray(idx + 1);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#size = rest.length;
    return this.#decoder.decode(lineBytes);
  }

  /** The first `n` buffered bytes as one array. */
  #concat(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let off = 0;
    for (const chunk of this.#chunks) {
      if (off >= n) break;
      const part = chunk.subarray(0, Math.min(chunk.length, n - off));
      out.set(part, off);
      off += part.length;
    }
    return out;
  }
}
