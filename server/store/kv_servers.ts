/**
 * @module Server records over Deno KV: the record under its id, a name index kept unique by
 * atomic checks, health written in place, and deletes that take the server's env values and
 * capabilities along.
 */
import { conflict, notFound } from "../errors.ts";
import {
  type Health,
  type Plan,
  type ServerRecord,
  ServerRecordSchema,
} from "../schemas/server.ts";
import type { VersionedServer } from "../schemas/records.ts";
import type { CapabilityStore, ServerStore } from "./store.ts";
import type { Listeners } from "./listeners.ts";
import { K } from "./kv_keys.ts";
import { fitValue, KV_VALUE_BUDGET, serializedSize, truncateText } from "./kv_values.ts";
import { deleteKeys, headKey } from "./kv_chunks.ts";
import {
  assertRecordFits,
  editedServerRecord,
  HEALTH_ERROR_MAX,
  newServerRecord,
} from "./server_records.ts";

/** Server records in KV. */
export class KvServers implements Omit<ServerStore, "onServersChanged"> {
  /**
   * @param kv the KV handle
   * @param caps where each server's capabilities are cached (read with the record)
   * @param changed told (with the server name) of every create, edit and delete
   */
  constructor(
    private readonly kv: Deno.Kv,
    private readonly caps: CapabilityStore,
    private readonly changed: Listeners<string>,
  ) {}

  /** All servers, sorted by name. */
  async listServers(): Promise<VersionedServer[]> {
    const records: VersionedServer[] = [];
    for await (const entry of this.kv.list({ prefix: K.servers })) {
      const parsed = ServerRecordSchema.safeParse(entry.value);
      if (parsed.success) records.push({ ...parsed.data, version: entry.versionstamp });
    }
    const out = await Promise.all(records.map(async (record) => ({
      ...record,
      capabilities: (await this.caps.getCapabilities(record.id)) ?? record.capabilities,
    })));
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A server by id or by name, or null. */
  async findServer(idOrName: string): Promise<VersionedServer | null> {
    // Ids are UUIDs and names ≤ 48 chars: longer input matches nothing (and would overflow KV's
    // 2 KiB key limit, which throws).
    if (idOrName.length > 200) return null;
    let entry = await this.kv.get(K.server(idOrName));
    if (entry.value === null) {
      const byName = await this.kv.get<string>(K.name(idOrName));
      if (typeof byName.value === "string") entry = await this.kv.get(K.server(byName.value));
    }
    if (entry.value === null || entry.versionstamp === null) return null;
    const record = ServerRecordSchema.parse(entry.value);
    const caps = await this.caps.getCapabilities(record.id);
    return { ...record, capabilities: caps ?? record.capabilities, version: entry.versionstamp };
  }

  /** A server by id or name. @throws {AppError} 404 */
  async getServer(idOrName: string): Promise<VersionedServer> {
    const found = await this.findServer(idOrName);
    if (!found) throw notFound(`server '${idOrName}'`);
    return found;
  }

  /** Create a server from a validated plan. @throws {AppError} 409 when the name is taken */
  async createServer(plan: Plan): Promise<VersionedServer> {
    const id = crypto.randomUUID();
    const record = newServerRecord(plan, id);
    const result = await this.kv.atomic()
      .check({ key: K.name(record.name), versionstamp: null })
      .set(K.server(id), record)
      .set(K.name(record.name), id)
      .commit();
    if (!result.ok) throw conflict(`a server named '${record.name}' already exists`);
    this.changed.emit(record.name);
    return { ...record, version: result.versionstamp };
  }

  /**
   * Apply `change` to a server atomically. Of two concurrent edits the loser gets a 409.
   * @param options `expectedVersion`: fail with 409 unless the stored version matches
   */
  async updateServer(
    idOrName: string,
    change: (current: ServerRecord) => ServerRecord,
    options: { expectedVersion?: string } = {},
  ): Promise<VersionedServer> {
    const current = await this.getServer(idOrName);
    if (options.expectedVersion && options.expectedVersion !== current.version) {
      throw conflict("the server was changed by someone else; reload and retry", {
        current_version: current.version,
      });
    }
    const { version, ...plain } = current;
    const next = editedServerRecord(current, change(plain));
    const { capabilities: _caps, ...stored } = next;
    assertRecordFits(next);
    let op = this.kv.atomic().check({ key: K.server(current.id), versionstamp: version });
    if (next.name !== current.name) {
      op = op.check({ key: K.name(next.name), versionstamp: null })
        .delete(K.name(current.name))
        .set(K.name(next.name), current.id);
    }
    const result = await op.set(K.server(current.id), { ...stored, capabilities: null }).commit();
    if (!result.ok) {
      const taken = next.name !== current.name && (await this.kv.get(K.name(next.name))).value;
      throw conflict(
        taken
          ? `a server named '${next.name}' already exists`
          : "the server was changed by someone else; reload and retry",
      );
    }
    if (next.capabilities) await this.caps.setCapabilities(current.id, next.capabilities);
    this.changed.emit(next.name);
    return { ...next, version: result.versionstamp };
  }

  /** Delete a server with its name index, capabilities and env values. @throws {AppError} 404 */
  async deleteServer(idOrName: string): Promise<ServerRecord> {
    let current = await this.getServer(idOrName);
    let chunkKeys: Deno.KvKey[] = [];
    for (let attempt = 0;; attempt++) {
      // Read the children generation before listing: an env/caps write landing after the
      // listing changes it and fails this commit instead of leaving an orphan behind.
      const children = await this.kv.get(K.children(current.id));
      let op = this.kv.atomic()
        .check({ key: K.server(current.id), versionstamp: current.version }, children)
        .delete(K.server(current.id))
        .delete(K.name(current.name))
        .delete(K.children(current.id));
      let mutations = 3;
      for await (const e of this.kv.list({ prefix: K.envOf(current.id) })) {
        op = op.delete(e.key);
        mutations++;
      }
      // Capabilities chunks go in the same commit while KV's mutation limit allows; past it the
      // head goes here (so nothing reads them) and the chunks right after.
      chunkKeys = [];
      for await (const e of this.kv.list({ prefix: K.caps(current.id) })) chunkKeys.push(e.key);
      const together = mutations + chunkKeys.length <= 900;
      for (const key of together ? chunkKeys : [headKey(K.caps(current.id))]) op = op.delete(key);
      if (together) chunkKeys = [];
      if ((await op.commit()).ok) break;
      if (attempt >= 4) throw conflict("the server was changed while deleting; retry");
      current = await this.getServer(current.id);
    }
    await deleteKeys(this.kv, chunkKeys).catch(() => {});
    this.changed.emit(current.name);
    const { version: _v, ...plain } = current;
    return plain;
  }

  /**
   * Record the result of a test/launch (no version check: last writer wins on health). A long
   * error is cut (head and tail kept) so the record always fits in one KV value.
   */
  async setHealth(id: string, health: Health): Promise<void> {
    const short = {
      ...health,
      error: health.error === null ? null : truncateText(health.error, HEALTH_ERROR_MAX),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      const entry = await this.kv.get(K.server(id));
      if (!entry.value) return;
      const record = ServerRecordSchema.parse(entry.value);
      const room = KV_VALUE_BUDGET - serializedSize({ ...record, health: null });
      const fitted = fitValue(short, Math.max(room, 1024), (h) => ({
        ...h,
        error: h.error === null ? null : truncateText(h.error, 200),
      })).value;
      const res = await this.kv.atomic().check(entry).set(K.server(id), {
        ...record,
        health: fitted,
      })
        .commit();
      if (res.ok) return;
    }
  }
}
