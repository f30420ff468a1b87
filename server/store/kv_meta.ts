/**
 * @module Small named values and the HTTP response cache over Deno KV.
 */
import type { z } from "zod";
import { type HttpCacheEntry, HttpCacheEntrySchema } from "../schemas/records.ts";
import type { HttpCacheStore, MetaStore } from "./store.ts";
import { K } from "./kv_keys.ts";
import { assertFitsInKv, keyPartBytes, KV_VALUE_BUDGET, serializedSize } from "./kv_values.ts";

/** How long a cached HTTP body is kept. */
const HTTP_CACHE_TTL_MS = 7 * 86_400_000;

/** Named values in KV (the admin password hash, the CSRF key). */
export class KvMeta implements MetaStore {
  /** @param kv the KV handle */
  constructor(private readonly kv: Deno.Kv) {}

  /** A small named value (e.g. the admin password hash), or null. */
  async getMeta<T>(name: string, schema: z.ZodType<T>): Promise<T | null> {
    const e = await this.kv.get(K.meta(name));
    const parsed = schema.safeParse(e.value);
    return parsed.success ? parsed.data : null;
  }

  /** Set a small named value. */
  async setMeta(name: string, value: unknown): Promise<void> {
    assertFitsInKv(value, `the setting ${name}`);
    await this.kv.set(K.meta(name), value);
  }

  /** Set a named value unless one is set. @returns whether this call set it */
  async createMeta(name: string, value: unknown): Promise<boolean> {
    assertFitsInKv(value, `the setting ${name}`);
    const res = await this.kv.atomic().check({ key: K.meta(name), versionstamp: null })
      .set(K.meta(name), value).commit();
    return res.ok;
  }
}

/** Cached HTTP bodies in KV, expiring after a week. */
export class KvHttpCache implements HttpCacheStore {
  /** @param kv the KV handle */
  constructor(private readonly kv: Deno.Kv) {}

  /** A cached HTTP body for ETag revalidation. */
  async getHttpCache(key: string): Promise<HttpCacheEntry | null> {
    if (keyPartBytes(key) > 1024) return null;
    const e = await this.kv.get(K.httpCache(key));
    const parsed = HttpCacheEntrySchema.safeParse(e.value);
    return parsed.success ? parsed.data : null;
  }

  /** Store a cached HTTP body (one that does not fit in one KV value, or a long URL, is not cached). */
  async setHttpCache(key: string, value: HttpCacheEntry): Promise<void> {
    if (keyPartBytes(key) > 1024) return;
    const parsed = HttpCacheEntrySchema.parse(value);
    if (serializedSize(parsed) > KV_VALUE_BUDGET) return;
    await this.kv.set(K.httpCache(key), parsed, { expireIn: HTTP_CACHE_TTL_MS });
  }
}
