/**
 * @module Tar archives as streams, on `modern-tar`: build contexts written for Podman's build
 * endpoint, and the regular files of an archive read under entry and size limits.
 *
 * Written archives hold regular files only (directories are implied by paths) and are
 * deterministic: mtime 0, uid/gid 0. Long names use pax records.
 */
import { createTarDecoder, createTarPacker } from "modern-tar";

/** One file in an archive. */
export interface TarEntry {
  /** Relative path, `/`-separated, no leading `/`. */
  name: string;
  /** File contents (string is UTF-8 encoded). */
  content: Uint8Array | string;
  /** Permission bits (default 0o644). */
  mode?: number;
}

/** One regular file read from an archive. */
export interface TarFile {
  /** Path in the archive, or the name `select` gave it. */
  name: string;
  /** File contents. */
  content: Uint8Array;
  /** Permission bits. */
  mode: number;
}

/** An archive over {@linkcode ReadTarOptions}' limits. */
export class TarLimitError extends RangeError {
  /** Which limit was passed. */
  readonly limit: "files" | "bytes";

  /**
   * @param limit the limit passed
   * @param message what was passed, with the number
   */
  constructor(limit: "files" | "bytes", message: string) {
    super(message);
    this.name = "TarLimitError";
    this.limit = limit;
  }
}

/** Limits and selection for {@linkcode readTarFiles}. */
export interface ReadTarOptions {
  /** Most regular files the archive may hold, kept or not (default 20,000). */
  maxFiles?: number;
  /** Most bytes the (uncompressed) archive may have (default: no limit). */
  maxBytes?: number;
  /** The name to keep a file under, or null to skip it (default: keep every file as named). */
  select?: (name: string, size: number) => string | null;
  /** Stop reading (the rest of the archive is not downloaded) once this says the files suffice. */
  done?: (files: readonly TarFile[]) => boolean;
}

const enc = new TextEncoder();
/** Longest path component Linux accepts (NAME_MAX). */
const MAX_COMPONENT_BYTES = 255;

/**
 * A checked entry path: leading `/` dropped; empty names, `..` components and components
 * longer than 255 bytes rejected.
 * @throws {RangeError} for a path an archive for a build context must not hold
 */
function entryPath(name: string): string {
  const clean = name.replace(/^\/+/, "");
  const parts = clean.split("/");
  if (!clean || parts.includes("..")) throw new RangeError(`bad tar path: ${name}`);
  if (parts.some((p) => enc.encode(p).length > MAX_COMPONENT_BYTES)) {
    throw new RangeError(`tar path too long: ${name}`);
  }
  return clean;
}

/**
 * Stream an uncompressed tar archive of entries (every name is checked before the first byte).
 * @throws {RangeError} for an entry path with `..`, an empty one or an over-long component
 */
export function tarStream(entries: Iterable<TarEntry>): ReadableStream<Uint8Array<ArrayBuffer>> {
  const files = Array.from(entries, (e) => ({
    name: entryPath(e.name),
    data: typeof e.content === "string" ? enc.encode(e.content) : e.content,
    mode: e.mode ?? 0o644,
  }));
  const { readable, controller } = createTarPacker();
  (async () => {
    for (const f of files) {
      const body = controller.add({
        name: f.name,
        size: f.data.length,
        mode: f.mode,
        mtime: new Date(0),
        uid: 0,
        gid: 0,
      });
      const writer = body.getWriter();
      if (f.data.length) await writer.write(f.data);
      await writer.close();
    }
    controller.finalize();
  })().catch((err) => controller.error(err));
  // The packer enqueues only ArrayBuffer-backed chunks (it copies the others).
  return readable as ReadableStream<Uint8Array<ArrayBuffer>>;
}

/** Count the bytes going through; `onOver` fires once the count passes `max`. */
function byteLimit(max: number, onOver: () => void): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.length;
      if (total > max) {
        onOver();
        controller.error(new TarLimitError("bytes", `archive is larger than ${max} bytes`));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

/**
 * Read an entry body to its end, dropping it. (Cancelling it instead can stall modern-tar's
 * decoder on an entry larger than one chunk.)
 */
async function discard(body: ReadableStream<Uint8Array>): Promise<void> {
  for await (const _ of body) { /* dropped */ }
}

/**
 * Read the regular files of an uncompressed (ustar/GNU/pax) tar stream, keeping only those
 * `select` names. Directories, links and special files are skipped; pax `path` records and GNU
 * long names are honoured.
 * @param archive the archive bytes as they arrive
 * @param options `maxFiles` (default 20,000), `maxBytes`, `select`
 * @throws {TarLimitError} when the archive passes `maxFiles` or `maxBytes`
 */
export async function readTarFiles(
  archive: ReadableStream<Uint8Array>,
  options: ReadTarOptions = {},
): Promise<TarFile[]> {
  const maxFiles = options.maxFiles ?? 20_000;
  let over: TarLimitError | null = null;
  const source = options.maxBytes === undefined ? archive : archive.pipeThrough(
    byteLimit(options.maxBytes, () => {
      over = new TarLimitError("bytes", `archive is larger than ${options.maxBytes} bytes`);
    }),
  );
  const entries = source.pipeThrough(createTarDecoder());
  const files: TarFile[] = [];
  let count = 0;
  try {
    for await (const entry of entries) {
      if (options.done?.(files)) break;
      const { header } = entry;
      if (header.type !== "file") {
        await discard(entry.body);
        continue;
      }
      if (++count > maxFiles) {
        await discard(entry.body);
        throw new TarLimitError("files", `archive has more than ${maxFiles} files`);
      }
      const name = options.select ? options.select(header.name, header.size) : header.name;
      if (name === null) {
        await discard(entry.body);
        continue;
      }
      const content = await new Response(entry.body).bytes();
      files.push({ name, content, mode: (header.mode ?? 0o644) & 0o777 });
      if (options.done?.(files)) break;
    }
  } catch (err) {
    // Leaving the loop cancelled the stream; a byte-limit error may surface as the decoder's own.
    throw over ?? err;
  }
  return files;
}
