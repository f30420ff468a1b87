/**
 * @module Lines: the one splitter of byte streams into `\n`-terminated lines, with an optional
 * per-line byte limit (memory stays bounded whatever the other end writes), plus a text reader
 * of a whole stream and a pull reader that fails on a runaway line.
 */

const NEWLINE = 10;

/** Thrown when a line grows past a byte limit (`overflow: "throw"`). */
export class LineTooLongError extends Error {
  override name = "LineTooLongError";
  /** @param limit the byte limit that was exceeded */
  constructor(readonly limit: number) {
    super(`line longer than ${limit} bytes`);
  }
}

/**
 * What a {@linkcode LineSplitter} does with a line longer than its limit:
 * - `flush`: whenever an unterminated line holds more than the limit, the bytes held are passed
 *   on as a line of their own (nothing is lost; complete lines are passed whole);
 * - `skip`: the line is dropped through its `\n` and `onTooLong` is called once;
 * - `throw`: `push` throws {@linkcode LineTooLongError} (after passing on the lines completed
 *   before it in the same chunk).
 */
export type LineOverflow = "flush" | "skip" | "throw";

/** Options for {@linkcode LineSplitter}. */
export interface LineSplitterOptions {
  /** Receives each line without its `\n` (a `\r` before it is kept). */
  onLine: (line: Uint8Array) => void;
  /** Longest line in bytes, `\n` excluded (default: no limit). */
  maxLineBytes?: number;
  /** What happens past the limit (default `flush`). */
  overflow?: LineOverflow;
  /** Called once per dropped line with `overflow: "skip"`. */
  onTooLong?: () => void;
}

/**
 * Incremental line splitter: `push` chunks as they arrive, `flush` at the end of the stream.
 * Only the unterminated tail is held, and never more than the limit.
 * @example
 * const s = new LineSplitter({ onLine: (l) => lines.push(l), maxLineBytes: 1024 });
 * s.push(chunk); s.flush();
 */
export class LineSplitter {
  readonly #onLine: (line: Uint8Array) => void;
  readonly #max: number;
  readonly #overflow: LineOverflow;
  readonly #onTooLong: () => void;
  #chunks: Uint8Array[] = [];
  #size = 0;
  #skipping = false;

  /** @param options the line callback, the limit and what happens past it */
  constructor(options: LineSplitterOptions) {
    this.#onLine = options.onLine;
    this.#max = options.maxLineBytes ?? Infinity;
    this.#overflow = options.overflow ?? "flush";
    this.#onTooLong = options.onTooLong ?? (() => {});
  }

  /**
   * Feed the next chunk (a string is taken as its UTF-8 bytes).
   * @throws {LineTooLongError} with `overflow: "throw"`, when a line exceeds the limit
   */
  push(chunk: Uint8Array | string): void {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    let start = 0;
    for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, i);
      start = i + 1;
      if (this.#skipping) {
        this.#skipping = false;
        this.#reset();
        continue;
      }
      const length = this.#size + piece.length;
      if (length > this.#max && this.#overflow !== "flush") {
        this.#reset();
        this.#tooLong();
        continue;
      }
      this.#chunks.push(piece);
      this.#onLine(this.#take(length));
    }
    if (this.#skipping || start >= bytes.length) return;
    const rest = bytes.slice(start);
    this.#chunks.push(rest);
    this.#size += rest.length;
    if (this.#size <= this.#max) return;
    if (this.#overflow === "flush") {
      this.#onLine(this.#take(this.#size));
      return;
    }
    this.#reset();
    if (this.#overflow === "skip") this.#skipping = true;
    this.#tooLong();
  }

  /** End of stream: pass on a held unterminated line, if any. */
  flush(): void {
    if (!this.#skipping && this.#size > 0) this.#onLine(this.#take(this.#size));
    this.#skipping = false;
    this.#reset();
  }

  #tooLong(): void {
    if (this.#overflow === "throw") throw new LineTooLongError(this.#max);
    this.#onTooLong();
  }

  #reset(): void {
    this.#chunks = [];
    this.#size = 0;
  }

  /** The held bytes as one line (no copy for the common single-piece line), then forget them. */
  #take(length: number): Uint8Array {
    const line = this.#chunks.length === 1 ? this.#chunks[0] : new Uint8Array(length);
    if (this.#chunks.length !== 1) {
      let off = 0;
      for (const part of this.#chunks) {
        line.set(part, off);
        off += part.length;
      }
    }
    this.#reset();
    return line;
  }
}

/**
 * A {@linkcode LineSplitter} that passes on text: each line decoded as UTF-8 (invalid bytes
 * become U+FFFD).
 * @param onLine receives each line without its `\n`
 * @param options limit and overflow handling (default: no limit)
 */
export function textLineSplitter(
  onLine: (line: string) => void,
  options: Omit<LineSplitterOptions, "onLine"> = {},
): LineSplitter {
  const decoder = new TextDecoder();
  return new LineSplitter({ ...options, onLine: (bytes) => onLine(decoder.decode(bytes)) });
}

/**
 * Every line of a byte stream as text, the unterminated last one included.
 * @param stream the bytes
 * @param options limit and overflow handling (default: no limit)
 */
export async function* readLines(
  stream: AsyncIterable<Uint8Array>,
  options: Omit<LineSplitterOptions, "onLine"> = {},
): AsyncGenerator<string> {
  const lines: string[] = [];
  const splitter = textLineSplitter((line) => lines.push(line), options);
  for await (const chunk of stream) {
    splitter.push(chunk);
    yield* lines.splice(0);
  }
  splitter.flush();
  yield* lines.splice(0);
}

/** Reads `\n`-terminated UTF-8 lines from a stream on demand, with a per-line byte cap. */
export class BoundedLineReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #splitter: LineSplitter;
  readonly #lines: string[] = [];
  #error: unknown = null;
  #done = false;

  /**
   * @param stream the byte stream (locked for the reader's lifetime)
   * @param options `maxLineBytes`: longest line accepted, newline excluded
   */
  constructor(stream: ReadableStream<Uint8Array>, options: { maxLineBytes: number }) {
    this.#reader = stream.getReader();
    this.#splitter = textLineSplitter((line) => this.#lines.push(line), {
      maxLineBytes: options.maxLineBytes,
      overflow: "throw",
    });
  }

  /**
   * The next line without its `\n`, or null at end of stream (a trailing partial line is
   * returned first).
   * @throws {LineTooLongError} when a line exceeds the limit (the reader is then unusable)
   */
  async next(): Promise<string | null> {
    while (true) {
      const line = this.#lines.shift();
      if (line !== undefined) return line;
      if (this.#error !== null) {
        const error = this.#error;
        this.#error = null;
        await this.cancel();
        throw error;
      }
      if (this.#done) return null;
      const { value, done } = await this.#reader.read();
      if (done) {
        this.#done = true;
        this.#splitter.flush();
        continue;
      }
      try {
        this.#splitter.push(value);
      } catch (error) {
        this.#error = error;
      }
    }
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
}
