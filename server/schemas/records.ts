/**
 * @module Stored records other than server plans: env values, audit entries, container sessions,
 * API keys, admin UI sessions, and the read models built from them (a versioned server, an env
 * var's status). Every store read is parsed with one of these; views take the read models.
 */
import { z } from "zod";
import type { ServerRecord } from "./server.ts";

/** An encrypted value as stored (AES-GCM; `kid` names the key it was sealed with). */
export const SealedSchema = z.object({
  v: z.literal(1),
  kid: z.string(),
  iv: z.string(),
  data: z.string(),
});
/** An encrypted value as stored. */
export type Sealed = z.infer<typeof SealedSchema>;

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

/** An env value for one server key; secret values are sealed (AES-GCM), others kept in clear. */
export const EnvValueSchema = z.object({
  server_id: z.string(),
  key: z.string(),
  secret: z.boolean(),
  value: z.string().optional(),
  sealed: SealedSchema.optional(),
  updated_at: z.string(),
});
/** A stored env value. */
export type EnvValue = z.infer<typeof EnvValueSchema>;

/** One audit log entry (admin change or tool call); never holds secret values. */
export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().optional(),
  outcome: z.enum(["ok", "error"]).default("ok"),
  duration_ms: z.number().optional(),
  details: z.record(z.string(), z.unknown()).default({}),
});
/** One audit log entry. */
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** A container started for a (client session, server) pair. */
export const ContainerSessionSchema = z.object({
  id: z.string(),
  client_session: z.string(),
  server_id: z.string(),
  server_name: z.string(),
  container_id: z.string().nullable().default(null),
  started_at: z.string(),
  stopped_at: z.string().nullable().default(null),
  exit_code: z.number().nullable().default(null),
  error: z.string().nullable().default(null),
  /**
   * Why it stopped (`idle`, `session_ended`, `shutdown`, `replaced`, `closed`, `call_done`: the
   * router asked; `crashed`: it did not). Absent on records made before this was kept.
   */
  stop_reason: z.string().max(40).optional(),
});
/** A container session record. */
export type ContainerSession = z.infer<typeof ContainerSessionSchema>;

/**
 * What a key may do: `mcp` only `/mcp`, `/sse` and `/messages`; `admin` everything (the API,
 * the admin UI, metrics, creating keys).
 */
export const KeyScopeSchema = z.enum(["mcp", "admin"]);
/** A key scope. */
export type KeyScope = z.infer<typeof KeyScopeSchema>;

/** An API key, stored as a salted hash. */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  salt: z.string(),
  hash: z.string(),
  prefix: z.string(),
  /** Keys made before scopes existed could do everything: they read as `admin`. */
  scope: KeyScopeSchema.default("admin"),
  created_at: z.string(),
  last_used_at: z.string().nullable().default(null),
  revoked_at: z.string().nullable().default(null),
  /**
   * SHA-256 of the plain key, the index a presented key is found by (a key carries 192 random
   * bits, so an unsalted digest is safe; the salted `hash` is what is checked). Null for keys
   * made before the index existed: found by a scan once, then indexed.
   */
  lookup: z.string().nullable().default(null),
});
/** An API key record. */
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** A cached HTTP response body keyed by URL, for ETag revalidation. */
export const HttpCacheEntrySchema = z.object({ etag: z.string(), body: z.string() });
/** A cached HTTP response. */
export type HttpCacheEntry = z.infer<typeof HttpCacheEntrySchema>;

/** An admin UI login session, stored under the SHA-256 hash of its cookie token. */
export const UiSessionRecordSchema = z.object({
  actor: z.string(),
  key_id: z.string().nullable().default(null),
  /** Epoch milliseconds after which the session is no longer valid. */
  expires: z.number(),
});
/** A stored admin UI session. */
export type UiSessionRecord = z.infer<typeof UiSessionRecordSchema>;
