/**
 * @module KV store: every Deno KV key the router uses lives in this file.
 *
 * Writes that must not race (name uniqueness, edits) use atomic checks on versionstamps: of two
 * concurrent edits one commits and the other gets a 409 {@linkcode AppError}.
 */
import { z } from "zod";
import { AppError, conflict, notFound } from "../errors.ts";
import {
  type Capabilities,
  CapabilitiesSchema,
  type Health,
  type Plan,
  type ServerRecord,
  ServerRecordSchema,
} from "../schemas/server.ts";
import {
  type ApiKey,
  ApiKeySchema,
  type AuditEntry,
  AuditEntrySchema,
  type ContainerSession,
  ContainerSessionSchema,
  type EnvValue,
  EnvValueSchema,
  type HttpCacheEntry,
  HttpCacheEntrySchema,
} from "../schemas/records.ts";
import { SealedSchema, SecretBox, writeKeyFile } from "./secrets.ts";
import { createLogger, registerSecret } from "../../runtime/foundation/log.ts";
import {
  assertFitsInKv,
  fitValue,
  keyPartBytes,
  KV_VALUE_BUDGET,
  previewText,
  serializedSize,
  truncateText,
} from "./kv_values.ts";
import {
  ChunkHeadSchema,
  commitBatches,
  deleteGeneration,
  deleteKeys,
  headKey,
  readGeneration,
  writeGeneration,
} from "./kv_chunks.ts";
import { fitCapabilities } from "./caps_fit.ts";

const logger = createLogger("store");

const K = {
  server: (id: string) => ["servers", id] as const,
  servers: ["servers"] as const,
  name: (name: string) => ["server_names", name] as const,
  caps: (id: string) => ["caps", id] as const,
  env: (id: string, key: string) => ["env", id, key] as const,
  envOf: (id: string) => ["env", id] as const,
  envAll: ["env"] as const,
  /** Bumped by every env/caps write so a concurrent delete notices it (and retries). */
  children: (id: string) => ["server_children", id] as const,
  audit: (id: string) => ["audit", id] as const,
  audits: ["audit"] as const,
  session: (id: string) => ["sessions", id] as const,
  sessions: ["sessions"] as const,
  httpCache: (key: string) => ["http_cache", key] as const,
  apiKey: (id: string) => ["api_keys", id] as const,
  apiKeys: ["api_keys"] as const,
  meta: (name: string) => ["meta", name] as const,
};

/** Most characters of a health error kept in the server record (head and tail). */
const HEALTH_ERROR_MAX = 4000;
/** Room kept in a server record's KV value for its health. */
const HEALTH_RESERVE = 12 * 1024;
/** Most serialized bytes of a server record without its health. */
const RECORD_BUDGET = KV_VALUE_BUDGET - HEALTH_RESERVE;
/** Hint in the 413 for a server record that is too large. */
const RECORD_HINT = "shorten its args, install steps, headers or env descriptions and defaults";

/** A server record with its optimistic-concurrency version. */
export type VersionedServer = ServerRecord & { version: string };

/** Status of one env var of a server, safe to show (no secret value). */
export interface EnvStatus {
  key: string;
  set: boolean;
  secret: boolean;
  /** The value for non-secret keys; `••••` for set secrets; null when unset. */
  value: string | null;
  updated_at: string | null;
}

/** Options for opening a store. */
export interface OpenStoreOptions {
  /** Data dir, or `:memory:` for an in-memory KV and key. */
  dataDir: string;
}

/** Time-ordered, unique id (sortable in KV listings). */
export function timeId(now = Date.now()): string {
  return `${now.toString(36).padStart(10, "0")}-${crypto.randomUUID().slice(0, 8)}`;
}

function nowIso(): string {
  return new Date().toISOString();
}

/** The router's persistent state over Deno KV. */
export class KvStore {
  readonly #listeners = new Set<(serverName: string) => void>();
  readonly #keyListeners = new Set<(key: ApiKey) => void>();

  /**
   * Be told when this process writes an API key record (created, used, revoked).
   * @returns a function that unsubscribes
   */
  onApiKeyChanged(listener: (key: ApiKey) => void): () => void {
    this.#keyListeners.add(listener);
    return () => this.#keyListeners.delete(listener);
  }

  /**
   * Be told when a server is created, edited, deleted or its capabilities change.
   * @returns a function that unsubscribes
   */
  onServersChanged(listener: (serverName: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(name: string): void {
    for (const l of this.#listeners) {
      try {
        l(name);
      } catch {
        // listeners must not break writes
      }
    }
  }

  private constructor(
    readonly kv: Deno.Kv,
    private box: SecretBox,
    private readonly keyPath: string | null,
  ) {}

  /**
   * Open (creating if needed) the KV file and key file in the data dir.
   * @param options `dataDir` or `:memory:`
   */
  static async open(options: OpenStoreOptions): Promise<KvStore> {
    if (options.dataDir === ":memory:") {
      const { box } = await SecretBox.generate();
      return new KvStore(await Deno.openKv(":memory:"), box, null);
    }
    await Deno.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const keyPath = `${options.dataDir}/secret.key`;
    const box = await SecretBox.openOrCreate(keyPath);
    const kv = await Deno.openKv(`${options.dataDir}/router.kv`);
    return new KvStore(kv, box, keyPath);
  }

  /** Close the KV handle. */
  close(): void {
    this.kv.close();
  }

  // ---- servers -------------------------------------------------------------------------------

  /** All servers, sorted by name. */
  async listServers(): Promise<VersionedServer[]> {
    const records: VersionedServer[] = [];
    for await (const entry of this.kv.list({ prefix: K.servers })) {
      const parsed = ServerRecordSchema.safeParse(entry.value);
      if (parsed.success) records.push({ ...parsed.data, version: entry.versionstamp });
    }
    const out = await Promise.all(records.map(async (record) => ({
      ...record,
      capabilities: (await this.getCapabilities(record.id)) ?? record.capabilities,
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
    const caps = await this.getCapabilities(record.id);
    return { ...record, capabilities: caps ?? record.capabilities, version: entry.versionstamp };
  }

  /** A server by id or name. @throws {AppError} 404 */
  async getServer(idOrName: string): Promise<VersionedServer> {
    const found = await this.findServer(idOrName);
    if (!found) throw notFound(`server '${idOrName}'`);
    return found;
  }

  /**
   * Create a server from a validated plan.
   * @throws {AppError} 409 when the name is taken
   */
  async createServer(plan: Plan): Promise<VersionedServer> {
    const id = crypto.randomUUID();
    const at = nowIso();
    const origin = plan.origin ??
      (typeof plan.source === "object" ? plan.source : undefined) ??
      originFromPlan(plan);
    const planSource = typeof plan.source === "string" ? plan.source : "user";
    const record = ServerRecordSchema.parse({
      ...plan,
      id,
      display_name: plan.display_name || plan.name,
      source: origin,
      plan_source: planSource,
      capabilities: null,
      health: null,
      created_at: at,
      updated_at: at,
    });
    assertFitsInKv(record, "the server record", { budget: RECORD_BUDGET, hint: RECORD_HINT });
    const result = await this.kv.atomic()
      .check({ key: K.name(record.name), versionstamp: null })
      .set(K.server(id), record)
      .set(K.name(record.name), id)
      .commit();
    if (!result.ok) throw conflict(`a server named '${record.name}' already exists`);
    this.#changed(record.name);
    return { ...record, version: result.versionstamp };
  }

  /**
   * Apply `change` to a server atomically. Of two concurrent edits the loser gets a 409.
   * @param idOrName server id or name
   * @param change returns the new record from the current one
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
    const next = ServerRecordSchema.parse({
      ...change(plain),
      id: current.id,
      created_at: current.created_at,
      updated_at: nowIso(),
    });
    const { capabilities: _caps, ...stored } = next;
    assertFitsInKv({ ...stored, capabilities: null, health: null }, "the server record", {
      budget: RECORD_BUDGET,
      hint: RECORD_HINT,
    });
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
    if (next.capabilities) await this.setCapabilities(current.id, next.capabilities);
    this.#changed(next.name);
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
    this.#changed(current.name);
    const { version: _v, ...plain } = current;
    return plain;
  }

  /**
   * Store capabilities as raw UTF-8 chunks under a new generation, then point the head at it (see
   * `kv_chunks.ts`); a catalogue over `MAX_CAPS_BYTES` is trimmed, never refused.
   * @returns a note when the catalogue had to be trimmed, else null
   */
  async setCapabilities(id: string, caps: Capabilities): Promise<string | null> {
    const { bytes, trimmed } = fitCapabilities(CapabilitiesSchema.parse(caps));
    if (trimmed) logger.warn("capabilities trimmed to fit the cache", { server: id, trimmed });
    const head = await writeGeneration(this.kv, K.caps(id), bytes);
    let previous = null as string | null;
    // A server deleted meanwhile keeps no cache.
    const stored = await this.#whileServerExists(id, async () => {
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
    if (stored) this.#changed(id);
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

  // ---- env values ----------------------------------------------------------------------------

  /** Set an env value; secret values are encrypted before they reach KV. */
  async setEnv(serverId: string, key: string, value: string, secret: boolean): Promise<void> {
    if (keyPartBytes(key) > 256) {
      throw new AppError("validation_failed", 400, "env keys are at most 128 characters");
    }
    if (secret) registerSecret(value); // from now on never in a log line, in any encoding
    const record: EnvValue = {
      server_id: serverId,
      key,
      secret,
      updated_at: nowIso(),
      ...(secret ? { sealed: await this.box.seal(value) } : { value }),
    };
    const parsed = EnvValueSchema.parse(record);
    assertFitsInKv(parsed, `the value of ${key}`, {
      hint: secret ? "secret values are stored encrypted, which takes more room" : undefined,
    });
    const stored = await this.#whileServerExists(
      serverId,
      () => Promise.resolve(null),
      (op) => op.set(K.env(serverId, key), parsed),
    );
    if (!stored) throw notFound(`server '${serverId}'`);
  }

  /**
   * Commit `write` (given what `load` read) only while the server exists, bumping its children
   * generation so a concurrent {@linkcode deleteServer} retries instead of leaving orphans.
   * @returns false when the server does not exist
   */
  async #whileServerExists<T>(
    id: string,
    load: () => Promise<T>,
    write: (op: Deno.AtomicOperation, loaded: T) => Deno.AtomicOperation,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const [server, children] = await this.kv.getMany([K.server(id), K.children(id)]);
      if (server.value === null) return false;
      const op = write(this.kv.atomic().check(server, children), await load());
      if ((await op.set(K.children(id), Date.now()).commit()).ok) return true;
    }
    throw conflict("the server kept changing; retry");
  }

  /** Remove an env value. */
  async deleteEnv(serverId: string, key: string): Promise<void> {
    await this.kv.delete(K.env(serverId, key));
  }

  /** Register every stored secret env value for log redaction (once, when the router starts). */
  async registerSecretsForRedaction(): Promise<void> {
    for await (const e of this.kv.list({ prefix: K.envAll })) {
      const parsed = EnvValueSchema.safeParse(e.value);
      if (!parsed.success || !parsed.data.sealed) continue;
      registerSecret(await this.box.open(parsed.data.sealed).catch(() => ""));
    }
  }

  /** Decrypted env values of a server — for container launch only, never for responses. */
  async getEnvValues(serverId: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for await (const e of this.kv.list({ prefix: K.envOf(serverId) })) {
      const parsed = EnvValueSchema.parse(e.value);
      out[parsed.key] = parsed.sealed ? await this.box.open(parsed.sealed) : parsed.value ?? "";
      if (parsed.sealed) registerSecret(out[parsed.key]);
    }
    return out;
  }

  /** Which env vars of a server are set, with secrets masked. */
  async envStatus(server: ServerRecord): Promise<EnvStatus[]> {
    const stored = new Map<string, EnvValue>();
    for await (const e of this.kv.list({ prefix: K.envOf(server.id) })) {
      const parsed = EnvValueSchema.parse(e.value);
      stored.set(parsed.key, parsed);
    }
    const keys = new Set([...server.env.map((s) => s.key), ...stored.keys()]);
    return [...keys].map((key) => {
      const spec = server.env.find((s) => s.key === key);
      const value = stored.get(key);
      const secret = (spec?.secret ?? false) || (value?.secret ?? false);
      return {
        key,
        set: value !== undefined,
        secret,
        value: value === undefined ? null : secret ? "••••" : value.value ?? "",
        updated_at: value?.updated_at ?? null,
      };
    });
  }

  /**
   * Re-encrypt every secret under a fresh key and replace the key file.
   * @returns how many values were re-encrypted
   */
  async rotateSecrets(): Promise<number> {
    const { box: next, raw } = await SecretBox.generate();
    const entries: { key: Deno.KvKey; value: EnvValue }[] = [];
    for await (const e of this.kv.list({ prefix: K.envAll })) {
      const parsed = EnvValueSchema.parse(e.value);
      if (!parsed.sealed) continue;
      const plain = await this.box.open(SealedSchema.parse(parsed.sealed));
      entries.push({ key: e.key, value: { ...parsed, sealed: await next.seal(plain) } });
    }
    if (this.keyPath) await writeKeyFile(`${this.keyPath}.next`, raw);
    // Commits stay under KV's mutation-count and total-size limits (a value may be ~60 KiB).
    for (const batch of commitBatches(entries, (e) => serializedSize(e.value))) {
      let op = this.kv.atomic();
      for (const { key, value } of batch) op = op.set(key, value);
      await op.commit();
    }
    if (this.keyPath) {
      await Deno.copyFile(this.keyPath, `${this.keyPath}.old`).catch(() => {});
      await Deno.rename(`${this.keyPath}.next`, this.keyPath);
    }
    this.box = next;
    return entries.length;
  }

  // ---- audit, sessions, cache ----------------------------------------------------------------

  /**
   * Append an audit entry (callers must leave secret values out of `details`). Details too large
   * for one KV value are cut (long strings keep head and tail) and marked `truncated: true`.
   */
  async appendAudit(
    entry: Omit<AuditEntry, "id" | "at" | "outcome" | "details"> & {
      outcome?: AuditEntry["outcome"];
      details?: AuditEntry["details"];
    },
  ): Promise<AuditEntry> {
    const parsed = AuditEntrySchema.parse({ ...entry, id: timeId(), at: nowIso() });
    const full: AuditEntry = {
      ...parsed,
      actor: truncateText(parsed.actor, 200),
      action: truncateText(parsed.action, 200),
      ...(parsed.target === undefined ? {} : { target: truncateText(parsed.target, 500) }),
    };
    const fitted = fitValue(
      full.details,
      KV_VALUE_BUDGET - serializedSize({ ...full, details: {} }),
      (d) => ({
        preview: previewText(d, 2000),
      }),
    );
    if (fitted.truncated) full.details = { ...fitted.value, truncated: true };
    await this.kv.set(K.audit(full.id), full);
    return full;
  }

  /** Audit entries newest first. */
  async listAudit(options: { limit?: number; before?: string } = {}): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    const iter = this.kv.list(
      options.before ? { prefix: K.audits, end: K.audit(options.before) } : { prefix: K.audits },
      { reverse: true, limit: options.limit ?? 50 },
    );
    for await (const e of iter) {
      const parsed = AuditEntrySchema.safeParse(e.value);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  /** Delete audit entries older than `days`. @returns how many were removed */
  async pruneAudit(days: number): Promise<number> {
    const cutoff = timeId(Date.now() - days * 86_400_000);
    let removed = 0;
    for await (const e of this.kv.list({ prefix: K.audits, end: K.audit(cutoff) })) {
      await this.kv.delete(e.key);
      removed++;
    }
    return removed;
  }

  /** Insert or update a container session record. */
  async putSession(session: ContainerSession): Promise<void> {
    const parsed = ContainerSessionSchema.parse(session);
    await this.kv.set(K.session(session.id), {
      ...parsed,
      error: parsed.error === null ? null : truncateText(parsed.error, HEALTH_ERROR_MAX),
    });
  }

  /** Container sessions newest first. */
  async listSessions(options: { limit?: number; before?: string } = {}): Promise<
    ContainerSession[]
  > {
    const out: ContainerSession[] = [];
    const iter = this.kv.list(
      options.before
        ? { prefix: K.sessions, end: K.session(options.before) }
        : { prefix: K.sessions },
      { reverse: true, limit: options.limit ?? 50 },
    );
    for await (const e of iter) {
      const parsed = ContainerSessionSchema.safeParse(e.value);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

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
    await this.kv.set(K.httpCache(key), parsed, { expireIn: 7 * 86_400_000 });
  }

  // ---- API keys ------------------------------------------------------------------------------

  /** Store an API key record. */
  async putApiKey(key: ApiKey): Promise<void> {
    const record = ApiKeySchema.parse(key);
    assertFitsInKv(record, "the API key record");
    await this.kv.set(K.apiKey(key.id), record);
    for (const l of this.#keyListeners) {
      try {
        l(record);
      } catch {
        // listeners must not break writes
      }
    }
  }

  /** All API keys (hashes only). */
  async listApiKeys(): Promise<ApiKey[]> {
    const out: ApiKey[] = [];
    for await (const e of this.kv.list({ prefix: K.apiKeys })) {
      const parsed = ApiKeySchema.safeParse(e.value);
      if (parsed.success) out.push(parsed.data);
    }
    return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** A small named value (e.g. the admin password hash). */
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

function originFromPlan(plan: Plan): ServerRecord["source"] {
  // A long first arg is no 400 on `ref`; a plan that skipped validation still fails it (400).
  const origin = originOf(plan);
  return typeof origin.ref === "string" ? { ...origin, ref: origin.ref.slice(0, 2000) } : origin;
}

function originOf(plan: Plan): ServerRecord["source"] {
  switch (plan.runtime) {
    case "npx":
      return {
        kind: "npx",
        ref: plan.package ?? plan.args.find((a) => !a.startsWith("-")) ?? plan.name,
      };
    case "uvx":
      return { kind: "uvx", ref: plan.package ?? plan.args[0] ?? plan.name };
    case "image":
      return { kind: "image", ref: plan.image ?? plan.name };
    case "remote":
      return { kind: "remote", ref: plan.url ?? plan.name };
    default:
      return { kind: "github", ref: plan.package ?? plan.name };
  }
}

/** Re-export for callers that only need the error type. */
export { AppError };
