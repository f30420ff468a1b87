/**
 * @module The {@linkcode Store} over Deno KV: opens the KV file and the key files of the data dir
 * and composes the per-area stores (servers, capabilities, env values, API keys, UI sessions,
 * audit, container sessions, HTTP cache, named values). Every KV key lives in `kv_keys.ts`.
 */
import type { z } from "zod";
import type { Capabilities, Health, Plan, ServerRecord } from "../schemas/server.ts";
import type {
  ApiKey,
  AuditEntry,
  ContainerSession,
  EnvStatus,
  HttpCacheEntry,
  UiSessionRecord,
  VersionedServer,
} from "../schemas/records.ts";
import type { AuditPage, AuditPageOptions, AuditStore, Store } from "./store.ts";
import { SecretKeyring } from "./keyring.ts";
import { Listeners } from "./listeners.ts";
import { KvServers } from "./kv_servers.ts";
import { KvCapabilities } from "./kv_capabilities.ts";
import { KvEnv } from "./kv_env.ts";
import { KvApiKeys } from "./kv_api_keys.ts";
import { KvUiSessions } from "./kv_ui_sessions.ts";
import { KvAudit } from "./kv_audit.ts";
import { KvContainerSessions } from "./kv_container_sessions.ts";
import { KvHttpCache, KvMeta } from "./kv_meta.ts";
import { KvOAuth } from "./kv_oauth.ts";
import { KvDownstreamAuth } from "./kv_downstream_auth.ts";

/** Options for opening a store. */
export interface OpenStoreOptions {
  /** Data dir, or `:memory:` for an in-memory KV and key. */
  dataDir: string;
}

/** The router's persistent state over Deno KV. */
export class KvStore implements Store {
  readonly #serversChanged = new Listeners<string>();
  readonly #caps: KvCapabilities;
  readonly #servers: KvServers;
  readonly #env: KvEnv;
  readonly #apiKeys: KvApiKeys;
  readonly #uiSessions: KvUiSessions;
  readonly #audit: KvAudit;
  readonly #sessions: KvContainerSessions;
  readonly #httpCache: KvHttpCache;
  readonly #meta: KvMeta;
  /** The embedded OAuth server's records (see KvOAuth). */
  readonly oauth: KvOAuth;
  /** The router's tokens for OAuth-protected remote servers (see KvDownstreamAuth). */
  readonly downstreamAuth: KvDownstreamAuth;

  private constructor(readonly kv: Deno.Kv, keys: SecretKeyring) {
    this.#caps = new KvCapabilities(kv, this.#serversChanged);
    this.#servers = new KvServers(kv, this.#caps, this.#serversChanged);
    this.#env = new KvEnv(kv, keys);
    this.#apiKeys = new KvApiKeys(kv);
    this.#uiSessions = new KvUiSessions(kv);
    this.#audit = new KvAudit(kv);
    this.#sessions = new KvContainerSessions(kv);
    this.#httpCache = new KvHttpCache(kv);
    this.#meta = new KvMeta(kv);
    this.oauth = new KvOAuth(kv);
    this.downstreamAuth = new KvDownstreamAuth(kv, keys);
  }

  /**
   * Open (creating if needed) the KV file and key file in the data dir.
   * @param options `dataDir` or `:memory:`
   */
  static async open(options: OpenStoreOptions): Promise<KvStore> {
    if (options.dataDir === ":memory:") {
      return new KvStore(await Deno.openKv(":memory:"), await SecretKeyring.ephemeral());
    }
    await Deno.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const keys = await SecretKeyring.open(`${options.dataDir}/secret.key`);
    return new KvStore(await Deno.openKv(`${options.dataDir}/router.kv`), keys);
  }

  /** Close the KV handle. */
  close(): void {
    this.kv.close();
  }

  // ---- servers and their capabilities (see KvServers, KvCapabilities) ----------------------

  /** Be told when a server is created, edited, deleted, or its capabilities or env values change. */
  onServersChanged(listener: (serverName: string) => void): () => void {
    return this.#serversChanged.add(listener);
  }
  /** All servers, sorted by name. */
  listServers(): Promise<VersionedServer[]> {
    return this.#servers.listServers();
  }
  /** A server by id or by name, or null. */
  findServer(idOrName: string): Promise<VersionedServer | null> {
    return this.#servers.findServer(idOrName);
  }
  /** A server by id or name. @throws {AppError} 404 */
  getServer(idOrName: string): Promise<VersionedServer> {
    return this.#servers.getServer(idOrName);
  }
  /** Create a server from a validated plan. @throws {AppError} 409 when the name is taken */
  createServer(plan: Plan): Promise<VersionedServer> {
    return this.#servers.createServer(plan);
  }
  /** Apply `change` to a server atomically (the loser of two edits gets a 409). */
  updateServer(
    idOrName: string,
    change: (current: ServerRecord) => ServerRecord,
    options?: { expectedVersion?: string },
  ): Promise<VersionedServer> {
    return this.#servers.updateServer(idOrName, change, options);
  }
  /** Delete a server with its name index, capabilities and env values. @throws {AppError} 404 */
  async deleteServer(idOrName: string): Promise<ServerRecord> {
    const removed = await this.#servers.deleteServer(idOrName);
    await this.downstreamAuth.forgetServer(removed.id).catch(() => {});
    return removed;
  }
  /** Record the result of a test/launch. */
  setHealth(id: string, health: Health): Promise<void> {
    return this.#servers.setHealth(id, health);
  }
  /** Cache a server's capabilities. @returns a note when they had to be trimmed, else null */
  setCapabilities(id: string, caps: Capabilities): Promise<string | null> {
    return this.#caps.setCapabilities(id, caps);
  }
  /** Cached capabilities of a server, or null. */
  getCapabilities(id: string): Promise<Capabilities | null> {
    return this.#caps.getCapabilities(id);
  }

  // ---- env values (see KvEnv) ---------------------------------------------------------------

  /** Set an env value; secret values are encrypted before they reach KV. */
  async setEnv(serverId: string, key: string, value: string, secret: boolean): Promise<void> {
    await this.#env.setEnv(serverId, key, value, secret);
    this.#serversChanged.emit(serverId); // a server may need setup no more (`needs_setup`)
  }
  /** Remove an env value. */
  async deleteEnv(serverId: string, key: string): Promise<void> {
    await this.#env.deleteEnv(serverId, key);
    this.#serversChanged.emit(serverId);
  }
  /** Decrypted env values of a server — for container launch only, never for responses. */
  getEnvValues(serverId: string): Promise<Record<string, string>> {
    return this.#env.getEnvValues(serverId);
  }
  /** Which env vars of a server are set, with secrets masked. */
  envStatus(server: ServerRecord): Promise<EnvStatus[]> {
    return this.#env.envStatus(server);
  }
  /** Register every stored secret env value for log redaction. */
  registerSecretsForRedaction(): Promise<void> {
    return this.#env.registerSecretsForRedaction();
  }
  /** Re-encrypt every secret under a fresh key. @returns how many values were re-encrypted */
  async rotateSecrets(): Promise<number> {
    const env = await this.#env.rotateSecrets();
    // The downstream OAuth records follow (the old key is still in `secret.key.old`).
    return env + await this.downstreamAuth.resealAll();
  }

  // ---- API keys and UI sessions (see KvApiKeys, KvUiSessions) -------------------------------

  /** Be told when this process writes an API key record. */
  onApiKeyChanged(listener: (key: ApiKey) => void): () => void {
    return this.#apiKeys.onApiKeyChanged(listener);
  }
  /** Store an API key record. */
  putApiKey(key: ApiKey): Promise<void> {
    return this.#apiKeys.putApiKey(key);
  }
  /** All API keys (hashes only). */
  listApiKeys(): Promise<ApiKey[]> {
    return this.#apiKeys.listApiKeys();
  }
  /** The key indexed under this digest of its plain text, or null. */
  findApiKeyByLookup(lookup: string): Promise<ApiKey | null> {
    return this.#apiKeys.findApiKeyByLookup(lookup);
  }
  /** Whether any key is active. */
  hasActiveApiKeys(): Promise<boolean> {
    return this.#apiKeys.hasActiveApiKeys();
  }
  /** Store a UI session that expires after `ttlMs`. */
  putUiSession(tokenHash: string, session: UiSessionRecord, ttlMs: number): Promise<void> {
    return this.#uiSessions.putUiSession(tokenHash, session, ttlMs);
  }
  /** A stored UI session, or null. */
  getUiSession(tokenHash: string): Promise<UiSessionRecord | null> {
    return this.#uiSessions.getUiSession(tokenHash);
  }
  /** Remove a UI session. */
  deleteUiSession(tokenHash: string): Promise<void> {
    return this.#uiSessions.deleteUiSession(tokenHash);
  }
  /** Remove every UI session opened with an API key. @returns how many */
  deleteUiSessionsOfKey(keyId: string): Promise<number> {
    return this.#uiSessions.deleteUiSessionsOfKey(keyId);
  }

  // ---- audit, container sessions, HTTP cache, named values ----------------------------------

  /** Append an audit entry (no secret values in `details`). */
  appendAudit(entry: Parameters<AuditStore["appendAudit"]>[0]): Promise<AuditEntry> {
    return this.#audit.appendAudit(entry);
  }
  /** Audit entries newest first. */
  listAudit(options?: { limit?: number; before?: string }): Promise<AuditEntry[]> {
    return this.#audit.listAudit(options);
  }
  /** One page of audit entries passing a filter, newest first, with the next cursor. */
  pageAudit(options?: AuditPageOptions): Promise<AuditPage> {
    return this.#audit.pageAudit(options);
  }
  /** Delete audit entries older than `days`. @returns how many were removed */
  pruneAudit(days: number): Promise<number> {
    return this.#audit.pruneAudit(days);
  }
  /** Insert or update a container session record. */
  putSession(session: ContainerSession): Promise<void> {
    return this.#sessions.putSession(session);
  }
  /** Container sessions newest first. */
  listSessions(options?: { limit?: number; before?: string }): Promise<ContainerSession[]> {
    return this.#sessions.listSessions(options);
  }
  /** A cached HTTP body, or null. */
  getHttpCache(key: string): Promise<HttpCacheEntry | null> {
    return this.#httpCache.getHttpCache(key);
  }
  /** Cache an HTTP body. */
  setHttpCache(key: string, value: HttpCacheEntry): Promise<void> {
    return this.#httpCache.setHttpCache(key, value);
  }
  /** A small named value, or null. */
  getMeta<T>(name: string, schema: z.ZodType<T>): Promise<T | null> {
    return this.#meta.getMeta(name, schema);
  }
  /** Set a small named value. */
  setMeta(name: string, value: unknown): Promise<void> {
    return this.#meta.setMeta(name, value);
  }
  /** Set a named value unless one is set. @returns whether this call set it */
  createMeta(name: string, value: unknown): Promise<boolean> {
    return this.#meta.createMeta(name, value);
  }
}
