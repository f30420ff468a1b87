/**
 * @module Store contracts: what the router keeps, one interface per area, and {@linkcode Store},
 * all of them together. Consumers depend on these (or on the one area they use); `kv_store.ts`
 * implements them over Deno KV, and a second backend would implement the same.
 *
 * Writes that must not race (name uniqueness, edits) are checked: of two concurrent edits one
 * commits and the other gets a 409 `AppError`.
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
import type {
  OAuthClient,
  OAuthCode,
  OAuthConsent,
  OAuthGrant,
  OAuthToken,
} from "../schemas/oauth.ts";
import type { AuditFilter } from "../schemas/audit_filter.ts";
import type {
  DownstreamAuthConfig,
  PendingFlow,
  StoredTokens,
} from "../schemas/downstream_auth.ts";

/** Server records with their name index and health. */
export interface ServerStore {
  /** All servers, sorted by name. */
  listServers(): Promise<VersionedServer[]>;
  /** A server by id or by name, or null. */
  findServer(idOrName: string): Promise<VersionedServer | null>;
  /** A server by id or name. @throws {AppError} 404 */
  getServer(idOrName: string): Promise<VersionedServer>;
  /** Create a server from a validated plan. @throws {AppError} 409 when the name is taken */
  createServer(plan: Plan): Promise<VersionedServer>;
  /**
   * Apply `change` to a server atomically. Of two concurrent edits the loser gets a 409.
   * @param options `expectedVersion`: fail with 409 unless the stored version matches
   */
  updateServer(
    idOrName: string,
    change: (current: ServerRecord) => ServerRecord,
    options?: { expectedVersion?: string },
  ): Promise<VersionedServer>;
  /** Delete a server with its name index, capabilities and env values. @throws {AppError} 404 */
  deleteServer(idOrName: string): Promise<ServerRecord>;
  /** Record the result of a test/launch (last writer wins; a long error is cut to fit). */
  setHealth(id: string, health: Health): Promise<void>;
  /**
   * Be told when this process creates, edits or deletes a server or changes its capabilities or
   * env values (the listener gets the server's name; its id for env value changes).
   * @returns a function that unsubscribes
   */
  onServersChanged(listener: (serverName: string) => void): () => void;
}

/** The cached tool catalogue of each server. */
export interface CapabilityStore {
  /**
   * Cache a server's capabilities (a catalogue too large is trimmed, never refused).
   * @returns a note when the catalogue had to be trimmed, else null
   */
  setCapabilities(id: string, caps: Capabilities): Promise<string | null>;
  /** Cached capabilities of a server, or null. */
  getCapabilities(id: string): Promise<Capabilities | null>;
}

/** Env values of servers; secret ones encrypted at rest. */
export interface EnvStore {
  /** Set an env value; secret values are encrypted before they are stored. */
  setEnv(serverId: string, key: string, value: string, secret: boolean): Promise<void>;
  /** Remove an env value. */
  deleteEnv(serverId: string, key: string): Promise<void>;
  /** Decrypted env values of a server — for container launch only, never for responses. */
  getEnvValues(serverId: string): Promise<Record<string, string>>;
  /** Which env vars of a server are set, with secrets masked. */
  envStatus(server: ServerRecord): Promise<EnvStatus[]>;
  /** Register every stored secret value for log redaction (once, when the router starts). */
  registerSecretsForRedaction(): Promise<void>;
  /**
   * Re-encrypt every secret under a fresh key and make it the current key.
   * @returns how many values were re-encrypted
   */
  rotateSecrets(): Promise<number>;
}

/** API key records (salted hashes only). */
export interface ApiKeyStore {
  /** Store an API key record. */
  putApiKey(key: ApiKey): Promise<void>;
  /** All API keys, oldest first. */
  listApiKeys(): Promise<ApiKey[]>;
  /** The key whose `lookup` digest (SHA-256 of the plain key) is this, if any. */
  findApiKeyByLookup(lookup: string): Promise<ApiKey | null>;
  /** Whether any key is active (not revoked), without reading every record. */
  hasActiveApiKeys(): Promise<boolean>;
  /**
   * Be told when this process writes an API key record (created, used, revoked).
   * @returns a function that unsubscribes
   */
  onApiKeyChanged(listener: (key: ApiKey) => void): () => void;
}

/** Admin UI login sessions, keyed by the hash of their cookie token. */
export interface UiSessionStore {
  /** Store a session that expires after `ttlMs`. */
  putUiSession(tokenHash: string, session: UiSessionRecord, ttlMs: number): Promise<void>;
  /** A stored session (expired or not), or null. */
  getUiSession(tokenHash: string): Promise<UiSessionRecord | null>;
  /** Remove a session. */
  deleteUiSession(tokenHash: string): Promise<void>;
  /** Remove every session opened with the API key `keyId`. @returns how many */
  deleteUiSessionsOfKey(keyId: string): Promise<number>;
}

/** What {@linkcode AuditStore.pageAudit} reads. */
export interface AuditPageOptions {
  /** Entries per page (default 50). */
  limit?: number;
  /** The `next` cursor of the previous page (entries older than this id). */
  before?: string;
  /** Which entries count (default: all). */
  filter?: AuditFilter;
  /** At most this many entries are read for a filtered page (default 2000). */
  scanLimit?: number;
}

/** One page of the audit log. */
export interface AuditPage {
  /** The entries, newest first. */
  entries: AuditEntry[];
  /** Cursor for the next (older) page, or null at the end. */
  next: string | null;
  /** How many entries were read. */
  scanned: number;
  /** Set when the scan budget ran out before the page filled (older entries may match). */
  partial?: true;
}

/** The audit log: admin changes and tool calls, never secret values. */
export interface AuditStore {
  /**
   * Append an entry (callers leave secret values out of `details`); details too large are cut
   * and marked `truncated: true`.
   */
  appendAudit(
    entry: Omit<AuditEntry, "id" | "at" | "outcome" | "details"> & {
      outcome?: AuditEntry["outcome"];
      details?: AuditEntry["details"];
    },
  ): Promise<AuditEntry>;
  /** Entries newest first; `before` is the id of the last entry of the previous page. */
  listAudit(options?: { limit?: number; before?: string }): Promise<AuditEntry[]>;
  /** One page of entries passing a filter, newest first, with the cursor of the next page. */
  pageAudit(options?: AuditPageOptions): Promise<AuditPage>;
  /** Delete entries older than `days`. @returns how many were removed */
  pruneAudit(days: number): Promise<number>;
}

/** Records of the containers started for client sessions. */
export interface ContainerSessionStore {
  /** Insert or update a container session record. */
  putSession(session: ContainerSession): Promise<void>;
  /** Container sessions newest first. */
  listSessions(options?: { limit?: number; before?: string }): Promise<ContainerSession[]>;
}

/** Cached HTTP bodies for ETag revalidation. */
export interface HttpCacheStore {
  /** A cached body, or null. */
  getHttpCache(key: string): Promise<HttpCacheEntry | null>;
  /** Cache a body (one too large, or under a too long key, is not cached). */
  setHttpCache(key: string, value: HttpCacheEntry): Promise<void>;
}

/** Small named values (the admin password hash, the CSRF key). */
export interface MetaStore {
  /** A named value, or null when unset or not matching `schema`. */
  getMeta<T>(name: string, schema: z.ZodType<T>): Promise<T | null>;
  /** Set a named value. */
  setMeta(name: string, value: unknown): Promise<void>;
  /** Set a named value unless one is set. @returns whether this call set it */
  createMeta(name: string, value: unknown): Promise<boolean>;
}

/** The embedded OAuth server's clients, codes, grants, tokens (by hash) and consents. */
export interface OAuthStore {
  /** Store a client record. */
  putClient(client: OAuthClient): Promise<void>;
  /** A client by id, or null. */
  getClient(clientId: string): Promise<OAuthClient | null>;
  /** Store a code under its hash, expiring after `ttlMs`. */
  putCode(hash: string, code: OAuthCode, ttlMs: number): Promise<void>;
  /** Remove and return a code (at most one caller gets it), or null. */
  takeCode(hash: string): Promise<OAuthCode | null>;
  /** Store a grant record. */
  putGrant(grant: OAuthGrant): Promise<void>;
  /** A grant by id, or null. */
  getGrant(id: string): Promise<OAuthGrant | null>;
  /** All grants, newest first. */
  listGrants(): Promise<OAuthGrant[]>;
  /** Ids of grants revoked in the last hour (by any process). */
  recentlyRevokedGrants(): Promise<string[]>;
  /** Be told when this process revokes a grant. @returns unsubscribe */
  onGrantRevoked(listener: (grantId: string) => void): () => void;
  /** Store a token under its hash, expiring after `ttlMs`. */
  putToken(hash: string, token: OAuthToken, ttlMs: number): Promise<void>;
  /** A token by hash (expired ones may still be returned: callers check `expires`), or null. */
  getToken(hash: string): Promise<OAuthToken | null>;
  /** Mark a refresh token rotated. @returns false when it already was (a reuse) or is gone */
  rotateToken(hash: string): Promise<boolean>;
  /** Remove a token. */
  deleteToken(hash: string): Promise<void>;
  /** The consent remembered for a client, or null. */
  getConsent(clientId: string): Promise<OAuthConsent | null>;
  /** Remember a consent. */
  putConsent(consent: OAuthConsent): Promise<void>;
  /** Forget a client's consent. */
  deleteConsent(clientId: string): Promise<void>;
}

/**
 * The router as an OAuth client of remote servers: settings per server, tokens per (server,
 * owner), registrations per (server, issuer), pending authorizations per `state`; secrets sealed.
 */
export interface DownstreamAuthStore {
  /** The admin's settings for a server (defaults when never set). */
  getConfig(serverId: string): Promise<DownstreamAuthConfig>;
  /** Store the admin's settings; a given `clientSecret` is sealed (null or "" clears it). */
  putConfig(
    serverId: string,
    config: { mode: DownstreamAuthConfig["mode"]; client_id: string | null },
    clientSecret?: string | null,
  ): Promise<void>;
  /** The hand-entered client secret of a server, or null. */
  clientSecret(serverId: string): Promise<string | null>;
  /** The tokens `owner` holds for a server, or null. */
  getTokens(serverId: string, owner: string): Promise<StoredTokens | null>;
  /** Store the tokens `owner` holds for a server. */
  putTokens(serverId: string, owner: string, tokens: StoredTokens): Promise<void>;
  /** Forget the tokens `owner` holds for a server. */
  deleteTokens(serverId: string, owner: string): Promise<void>;
  /** Who holds tokens for a server. */
  listTokenOwners(serverId: string): Promise<{ owner: string; saved_at: string }[]>;
  /** The client registration of a server at an issuer, or null. */
  getClient(
    serverId: string,
    issuer: string,
  ): Promise<Record<string, unknown> & { client_id: string } | null>;
  /** Store the client registration of a server at an issuer. */
  putClient(
    serverId: string,
    issuer: string,
    client: Record<string, unknown> & { client_id: string },
  ): Promise<void>;
  /** Forget the client registration of a server at an issuer. */
  deleteClient(serverId: string, issuer: string): Promise<void>;
  /** Remember a pending authorization under its `state` (ten minutes). */
  putFlow(state: string, flow: PendingFlow): Promise<void>;
  /** Remove and return a pending authorization, or null (taken once). */
  takeFlow(state: string): Promise<PendingFlow | null>;
  /** Remove every record of a deleted server. */
  forgetServer(serverId: string): Promise<void>;
}

/** Everything the router keeps. */
export interface Store
  extends
    ServerStore,
    CapabilityStore,
    EnvStore,
    ApiKeyStore,
    UiSessionStore,
    AuditStore,
    ContainerSessionStore,
    HttpCacheStore,
    MetaStore {
  /** The embedded OAuth server's records. */
  readonly oauth: OAuthStore;
  /** The router's tokens for OAuth-protected remote servers. */
  readonly downstreamAuth: DownstreamAuthStore;
  /** Release the backend's handles. */
  close(): void;
}
