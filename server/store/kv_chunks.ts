/**
 * @module Chunked KV blobs: a value larger than one KV value (a server's tool catalogue) stored
 * as raw byte chunks under a generation, with a small head that names the live generation.
 *
 * Layout under a `prefix`: `[...prefix, "head"]` → {@linkcode ChunkHead}, and
 * `[...prefix, "g", gen, i]` → `Uint8Array` of at most {@linkcode CHUNK_BYTES}. Chunks are raw
 * bytes, so their stored size is exactly their length (a string chunk would be V8-serialized,
 * two bytes a character for non-Latin-1 text). They are written in commits that stay under KV's
 * 800 KiB commit limit before the head points at them, so a reader never sees half a blob; the
 * head is switched by the caller in its own atomic commit (see `kv_capabilities.ts`).
 */
import { z } from "zod";
import { KV_COMMIT_LIMIT, KV_MAX_MUTATIONS, KV_VALUE_LIMIT } from "./kv_values.ts";

/** Bytes of one chunk: under KV's 64 KiB value limit with room to spare. */
export const CHUNK_BYTES = 60_000;

/** Chunks written per commit: their bytes plus keys stay well under the commit limit. */
export const CHUNKS_PER_COMMIT = Math.floor((KV_COMMIT_LIMIT - 64 * 1024) / CHUNK_BYTES);

/** Mutations per commit when clearing chunks or rewriting many values. */
const DELETES_PER_COMMIT = Math.min(500, KV_MAX_MUTATIONS);

/** Which generation of chunks is live, and how many bytes it holds. */
export const ChunkHeadSchema = z.object({
  gen: z.string(),
  chunks: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
/** Which generation of chunks is live. */
export type ChunkHead = z.infer<typeof ChunkHeadSchema>;

/** The head key of a chunked blob under `prefix`. */
export function headKey(prefix: Deno.KvKey): Deno.KvKey {
  return [...prefix, "head"];
}

/** The key prefix of one generation's chunks. */
export function generationKey(prefix: Deno.KvKey, gen: string): Deno.KvKey {
  return [...prefix, "g", gen];
}

/**
 * Write `bytes` as a new generation of chunks (not yet live: the caller commits the returned head).
 * @param kv the KV handle
 * @param prefix where the blob lives
 * @param bytes the whole blob
 * @returns the head to commit
 */
export async function writeGeneration(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  bytes: Uint8Array,
): Promise<ChunkHead> {
  if (CHUNK_BYTES > KV_VALUE_LIMIT) throw new Error("chunk size over the KV value limit");
  const gen = `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
  const chunks = Math.ceil(bytes.byteLength / CHUNK_BYTES);
  for (let first = 0; first < chunks; first += CHUNKS_PER_COMMIT) {
    let op = kv.atomic();
    for (let i = first; i < Math.min(chunks, first + CHUNKS_PER_COMMIT); i++) {
      op = op.set(
        [...generationKey(prefix, gen), i],
        bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES),
      );
    }
    const res = await op.commit();
    if (!res.ok) throw new Error("chunk write did not commit");
  }
  return { gen, chunks, bytes: bytes.byteLength };
}

/**
 * Read the generation a head names.
 * @returns the blob, or null when its chunks are incomplete (replaced meanwhile, or damaged)
 */
export async function readGeneration(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  head: ChunkHead,
): Promise<Uint8Array | null> {
  const out = new Uint8Array(head.bytes);
  let offset = 0;
  let count = 0;
  for await (const e of kv.list<unknown>({ prefix: generationKey(prefix, head.gen) })) {
    const chunk = e.value;
    if (!(chunk instanceof Uint8Array) || e.key.at(-1) !== count) return null;
    if (offset + chunk.byteLength > out.byteLength) return null;
    out.set(chunk, offset);
    offset += chunk.byteLength;
    count++;
  }
  return count === head.chunks && offset === head.bytes ? out : null;
}

/**
 * Split writes into groups that one atomic commit takes: at most `maxItems` (default 500)
 * mutations and, by `size`, at most {@linkcode KV_COMMIT_LIMIT} less room for keys.
 * @param items the writes
 * @param size bytes of one write's value
 * @param maxItems the most writes in one group (KV takes at most 100 checks a commit)
 */
export function commitBatches<T>(
  items: T[],
  size: (item: T) => number,
  maxItems: number = DELETES_PER_COMMIT,
): T[][] {
  const budget = KV_COMMIT_LIMIT - 64 * 1024;
  const out: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item) + 256;
    if (batch.length > 0 && (batch.length >= maxItems || bytes + n > budget)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += n;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/**
 * Delete keys in commits small enough for KV's mutation limit.
 * @param kv the KV handle
 * @param keys what to delete
 */
export async function deleteKeys(kv: Deno.Kv, keys: Deno.KvKey[]): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETES_PER_COMMIT) {
    let op = kv.atomic();
    for (const key of keys.slice(i, i + DELETES_PER_COMMIT)) op = op.delete(key);
    await op.commit();
  }
}

/**
 * Delete one generation's chunks (best effort: a leftover is only wasted space).
 * @param kv the KV handle
 * @param prefix where the blob lives
 * @param gen the generation to drop
 */
export async function deleteGeneration(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  gen: string,
): Promise<void> {
  const keys: Deno.KvKey[] = [];
  for await (const e of kv.list({ prefix: generationKey(prefix, gen) })) keys.push(e.key);
  await deleteKeys(kv, keys);
}
