/**
 * @module Tiny ustar writer: builds in-memory tar archives for image build contexts.
 *
 * Regular files only (directories are implied by paths). Names up to 255 bytes via the ustar
 * prefix field. Deterministic: mtime 0, uid/gid 0.
 */
import { concat } from "../foundation/bytes.ts";

/** One file in an archive. */
export interface TarEntry {
  /** Relative path, `/`-separated, no leading `/`. */
  name: string;
  /** File contents (string is UTF-8 encoded). */
  content: Uint8Array | string;
  /** Permission bits (default 0o644). */
  mode?: number;
}

const BLOCK = 512;
const enc = new TextEncoder();

function writeString(buf: Uint8Array, off: number, len: number, value: string): void {
  const bytes = enc.encode(value);
  if (bytes.length > len) throw new RangeError(`tar field too long: ${value}`);
  buf.set(bytes, off);
}

function writeOctal(buf: Uint8Array, off: number, len: number, value: number): void {
  // len-1 octal digits followed by NUL.
  const digits = value.toString(8).padStart(len - 1, "0");
  if (digits.length > len - 1) throw new RangeError(`tar number too large: ${value}`);
  writeString(buf, off, len, digits + "\0");
}

function splitName(name: string): { prefix: string; base: string } {
  if (enc.encode(name).length <= 100) return { prefix: "", base: name };
  const cut = name.lastIndexOf("/", 155);
  if (cut <= 0) throw new RangeError(`tar path too long: ${name}`);
  const prefix = name.slice(0, cut);
  const base = name.slice(cut + 1);
  if (enc.encode(base).length > 100 || enc.encode(prefix).length > 155) {
    throw new RangeError(`tar path too long: ${name}`);
  }
  return { prefix, base };
}

/** Build the 512-byte ustar header for a file. */
export function tarHeader(name: string, size: number, mode = 0o644): Uint8Array {
  const clean = name.replace(/^\/+/, "");
  if (!clean || clean.split("/").includes("..")) throw new RangeError(`bad tar path: ${name}`);
  const h = new Uint8Array(BLOCK);
  const { prefix, base } = splitName(clean);
  writeString(h, 0, 100, base);
  writeOctal(h, 100, 8, mode);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 0);
  h.fill(0x20, 148, 156); // checksum computed with spaces
  h[156] = 0x30; // '0' regular file
  writeString(h, 257, 6, "ustar\0");
  writeString(h, 263, 2, "00");
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/** Create an uncompressed tar archive from entries. */
export function createTar(entries: TarEntry[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const data = typeof entry.content === "string" ? enc.encode(entry.content) : entry.content;
    const header = tarHeader(entry.name, data.length, entry.mode ?? 0o644);
    const body = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
    body.set(data);
    parts.push(header, body);
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return concat(...parts);
}

/** One regular file read from an archive. */
export interface TarFile {
  name: string;
  content: Uint8Array;
  mode: number;
}

const dec = new TextDecoder();

function readString(buf: Uint8Array, off: number, len: number): string {
  const slice = buf.subarray(off, off + len);
  const end = slice.indexOf(0);
  return dec.decode(end < 0 ? slice : slice.subarray(0, end));
}

function readOctal(buf: Uint8Array, off: number, len: number): number {
  const text = readString(buf, off, len).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

/**
 * Read the regular files of an uncompressed (ustar/GNU/pax) tar archive. Directories, links and
 * special files are skipped; pax `path` records and GNU long names are honoured.
 * @param data the archive bytes
 * @param options `maxFiles` guard (default 20,000)
 */
export function readTar(data: Uint8Array, options: { maxFiles?: number } = {}): TarFile[] {
  const files: TarFile[] = [];
  let off = 0;
  let longName: string | null = null;
  const max = options.maxFiles ?? 20_000;
  while (off + BLOCK <= data.length) {
    const header = data.subarray(off, off + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = readString(header, 345, 155);
    let name = readString(header, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    const body = data.subarray(off + BLOCK, off + BLOCK + size);
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") {
      longName = readString(body, 0, body.length);
      continue;
    }
    if (type === "x") {
      const path = dec.decode(body).match(/\d+ path=([^\n]*)\n/);
      if (path) longName = path[1];
      continue;
    }
    if (type === "g") continue;
    if (longName !== null) {
      name = longName;
      longName = null;
    }
    if (type !== "0" && type !== "\0") continue;
    files.push({ name, content: body.slice(), mode: readOctal(header, 100, 8) & 0o777 });
    if (files.length > max) throw new RangeError(`archive has more than ${max} files`);
  }
  return files;
}
