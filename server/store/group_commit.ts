/**
 * @module Group commit for Deno KV writes: a write waits for its own commit (durable before the
 * caller goes on), but writes that arrive while a commit is in flight share the next one —
 * one `kv.atomic()` for many entries, with no added delay for a lone write.
 */

/** Most entries in one atomic commit (Deno KV allows 1000 mutations). */
const MAX_BATCH = 200;
/** Most bytes of values in one commit (Deno KV allows about 800 KiB). */
const MAX_BATCH_BYTES = 512 * 1024;

interface Pending {
  key: Deno.KvKey;
  value: unknown;
  size: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Batches `set`s into shared atomic commits. */
export class GroupCommit {
  #queue: Pending[] = [];
  #flushing = false;
  /** Commits made, and entries written (for tests and the bench). */
  readonly stats = { commits: 0, entries: 0 };

  /** @param kv the KV handle */
  constructor(private readonly kv: Deno.Kv) {}

  /**
   * Write `value` under `key`; resolves once the commit holding it is durable.
   * @param size the value's serialized size, if known (bounds the batch)
   */
  set(key: Deno.KvKey, value: unknown, size = 1024): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, value, size, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length) {
        const batch: Pending[] = [];
        let bytes = 0;
        while (
          this.#queue.length && batch.length < MAX_BATCH &&
          (batch.length === 0 || bytes + this.#queue[0].size <= MAX_BATCH_BYTES)
        ) {
          const next = this.#queue.shift()!;
          bytes += next.size;
          batch.push(next);
        }
        try {
          const op = this.kv.atomic();
          for (const p of batch) op.set(p.key, p.value);
          const res = await op.commit();
          if (!res.ok) throw new Error("KV commit refused");
          this.stats.commits++;
          this.stats.entries += batch.length;
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}
