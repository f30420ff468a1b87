/**
 * @module The embedded OAuth server's records over Deno KV: clients, grants and consents by id,
 * codes and tokens under the SHA-256 of their plain value, expiring with KV's `expireIn`. A code
 * is taken (read and deleted) in one checked commit, so it can be exchanged once; a refresh
 * token is rotated the same way, so of two concurrent uses only one succeeds.
 */
import type { z } from "zod";
import {
  type OAuthClient,
  OAuthClientSchema,
  type OAuthCode,
  OAuthCodeSchema,
  type OAuthConsent,
  OAuthConsentSchema,
  type OAuthGrant,
  OAuthGrantSchema,
  type OAuthToken,
  OAuthTokenSchema,
} from "../schemas/oauth.ts";
import type { OAuthStore } from "./store.ts";
import { K } from "./kv_keys.ts";
import { Listeners } from "./listeners.ts";

/** How long a revocation stays listed for other processes. */
const REVOKED_TTL_MS = 3600_000;

/** OAuth records in KV. */
export class KvOAuth implements OAuthStore {
  readonly #revoked = new Listeners<string>();
  /** @param kv the KV handle */
  constructor(private readonly kv: Deno.Kv) {}

  async #read<T>(key: Deno.KvKey, schema: z.ZodType<T>): Promise<T | null> {
    const parsed = schema.safeParse((await this.kv.get(key)).value);
    return parsed.success ? parsed.data : null;
  }

  /** Store a client record. */
  async putClient(client: OAuthClient): Promise<void> {
    await this.kv.set(K.oauthClient(client.client_id), OAuthClientSchema.parse(client));
  }
  /** A client by id, or null. */
  getClient(clientId: string): Promise<OAuthClient | null> {
    return this.#read(K.oauthClient(clientId), OAuthClientSchema);
  }

  /** Store a code under its hash, expiring after `ttlMs`. */
  async putCode(hash: string, code: OAuthCode, ttlMs: number): Promise<void> {
    await this.kv.set(K.oauthCode(hash), OAuthCodeSchema.parse(code), { expireIn: ttlMs });
  }
  /** Remove and return a code; of two concurrent callers only one gets it. */
  async takeCode(hash: string): Promise<OAuthCode | null> {
    const entry = await this.kv.get(K.oauthCode(hash));
    if (entry.value === null) return null;
    const done = await this.kv.atomic().check(entry).delete(entry.key).commit();
    if (!done.ok) return null;
    const parsed = OAuthCodeSchema.safeParse(entry.value);
    return parsed.success ? parsed.data : null;
  }

  /** Store a grant record (a revoked one is also listed for other processes, and announced). */
  async putGrant(grant: OAuthGrant): Promise<void> {
    const op = this.kv.atomic().set(K.oauthGrant(grant.id), OAuthGrantSchema.parse(grant));
    if (grant.revoked_at) op.set(K.oauthRevoked(grant.id), true, { expireIn: REVOKED_TTL_MS });
    await op.commit();
    if (grant.revoked_at) this.#revoked.emit(grant.id);
  }
  /** Ids of grants revoked in the last hour. */
  async recentlyRevokedGrants(): Promise<string[]> {
    const out: string[] = [];
    for await (const e of this.kv.list({ prefix: K.oauthRevokedAll })) {
      if (typeof e.key[1] === "string") out.push(e.key[1]);
    }
    return out;
  }
  /** Be told when this process revokes a grant. */
  onGrantRevoked(listener: (grantId: string) => void): () => void {
    return this.#revoked.add(listener);
  }
  /** A grant by id, or null. */
  getGrant(id: string): Promise<OAuthGrant | null> {
    return this.#read(K.oauthGrant(id), OAuthGrantSchema);
  }
  /** All grants, newest first. */
  async listGrants(): Promise<OAuthGrant[]> {
    const out: OAuthGrant[] = [];
    for await (const e of this.kv.list({ prefix: K.oauthGrants })) {
      const parsed = OAuthGrantSchema.safeParse(e.value);
      if (parsed.success) out.push(parsed.data);
    }
    return out.sort((a, b) => b.created_at.localeCompare(a.created_at));
  }

  /** Store a token under its hash, expiring after `ttlMs`. */
  async putToken(hash: string, token: OAuthToken, ttlMs: number): Promise<void> {
    await this.kv.set(K.oauthToken(hash), OAuthTokenSchema.parse(token), { expireIn: ttlMs });
  }
  /** A token by hash, or null. */
  getToken(hash: string): Promise<OAuthToken | null> {
    return this.#read(K.oauthToken(hash), OAuthTokenSchema);
  }
  /** Mark a refresh token rotated; false when it already was, or is gone. */
  async rotateToken(hash: string): Promise<boolean> {
    const entry = await this.kv.get(K.oauthToken(hash));
    const parsed = OAuthTokenSchema.safeParse(entry.value);
    if (!parsed.success || parsed.data.rotated) return false;
    const ttl = Math.max(1_000, parsed.data.expires - Date.now());
    const done = await this.kv.atomic().check(entry)
      .set(entry.key, { ...parsed.data, rotated: true }, { expireIn: ttl }).commit();
    return done.ok;
  }
  /** Remove a token. */
  async deleteToken(hash: string): Promise<void> {
    await this.kv.delete(K.oauthToken(hash));
  }

  /** The consent remembered for a client, or null. */
  getConsent(clientId: string): Promise<OAuthConsent | null> {
    return this.#read(K.oauthConsent(clientId), OAuthConsentSchema);
  }
  /** Remember a consent. */
  async putConsent(consent: OAuthConsent): Promise<void> {
    await this.kv.set(K.oauthConsent(consent.client_id), OAuthConsentSchema.parse(consent));
  }
  /** Forget a client's consent. */
  async deleteConsent(clientId: string): Promise<void> {
    await this.kv.delete(K.oauthConsent(clientId));
  }
}
