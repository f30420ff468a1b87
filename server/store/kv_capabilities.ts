/**
 * @module Capabilities cache over Deno KV: each server's tool catalogue as raw UTF-8 chunks under
 * a generation, switched live by a head (see `kv_chunks.ts`).
 */
import { type Capabilities, CapabilitiesSchema } from "../schemas/server.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import type { CapabilityStore } from "./store.ts";
import type { Listeners } from "./listeners.ts";
import { K, whileServerExists } from "./kv_keys.ts";
import {
  ChunkHeadSchema,
  deleteGeneration,
  headKey,
  readGeneration,
  writeGeneration,
} from "./kv_chunks.ts";
import { fitCapabilities } from "./caps_fit.ts";

const logger = createLogger("store");

/** The capabilities cache in KV. */
export class KvCapabilities implements CapabilityStore {
  /**
   * @param kv the KV handle
   * @param changed told (with the server id) when a catalogue is stored
   */
  constructor(private readonly kv: Deno.Kv, private readonly changed: Listeners<string>) {}

  /**
   * Store capabilities under a new generation, then point the head at it; a catalogue over
   * `MAX_CAPS_BYTES` is trimmed, never refused.
   * @returns a note when the catalogue had to be trimmed, else null
   */
  async setCapabilities(id: string, caps: Capabilities): Promise<string | null> {
    const { bytes, trimmed } = fitCapabilities(CapabilitiesSchema.parse(caps));
    if (trimmed) logger.warn("capabilities trimmed to fit the cache", { server: id, trimmed });
    const head = await writeGeneration(this.kv, K.caps(id), bytes);
    let previous = null as string | null;
    // A server deleted meanwhile keeps no cache.
    const stored = await whileServerExists(this.kv, id, async () => {
      const legacy: Deno.KvKey[] = [];
      for await (const e of this.kv.list({ prefix: K.caps(id) })) {
        if (typeof e.key[2] === "number") legacy.push(e.key); // string chunks of older versions
      }
      const current = ChunkHeadSchema.safeParse((await this.kv.get(headKey(K.caps(id)))).value);
      previous = current.success ? current.data.gen : null;
      return legacy;
    }, (op, legacy) => {
      for (const key of legacy) op = op.delete(key);
      return op.set(headKey(K.caps(id)), head);
    }).catch(async (error) => {
      await deleteGeneration(this.kv, K.caps(id), head.gen).catch(() => {});
      throw error;
    });
    const stale = stored ? previous : head.gen;
    if (stale) await deleteGeneration(this.kv, K.caps(id), stale).catch(() => {});
    if (stored) this.changed.emit(id);
    return trimmed;
  }

  /** Cached capabilities of a server, or null. */
  async getCapabilities(id: string): Promise<Capabilities | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const head = ChunkHeadSchema.safeParse((await this.kv.get(headKey(K.caps(id)))).value);
      if (!head.success) return await this.#legacyCapabilities(id);
      const bytes = await readGeneration(this.kv, K.caps(id), head.data);
      if (!bytes) continue; // replaced while reading: read the new head
      return parseCapabilities(new TextDecoder().decode(bytes));
    }
    return null;
  }

  /** Capabilities stored by older versions: JSON text in string chunks `["caps", id, i]`. */
  async #legacyCapabilities(id: string): Promise<Capabilities | null> {
    let text = "";
    for await (const e of this.kv.list<unknown>({ prefix: K.caps(id) })) {
      if (typeof e.key[2] === "number" && typeof e.value === "string") text += e.value;
    }
    return text ? parseCapabilities(text) : null;
  }
}

/** Parse cached capabilities JSON, or null when it is damaged or no longer matches the schema. */
function parseCapabilities(text: string): Capabilities | null {
  try {
    const parsed = CapabilitiesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
