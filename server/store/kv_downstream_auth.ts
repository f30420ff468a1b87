/**
 * @module The router's OAuth client records over Deno KV: per-server settings, tokens per
 * (server, owner), client registrations per (server, issuer) and pending authorizations per
 * `state` (expiring after ten minutes, taken once). Tokens, registrations and pending flows are
 * sealed whole with the {@linkcode SecretKeyring}, like secret env values; their plain values
 * are registered for log redaction when read.
 */
import { z } from "zod";
import {
  type DownstreamAuthConfig,
  DownstreamAuthConfigSchema,
  type PendingFlow,
  PendingFlowSchema,
  SealedRecordSchema,
  type StoredTokens,
  StoredTokensSchema,
} from "../schemas/downstream_auth.ts";
import type { DownstreamAuthStore } from "./store.ts";
import type { SecretKeyring } from "./keyring.ts";
import { K } from "./kv_keys.ts";
import { nowIso } from "./ids.ts";
import { registerSecret } from "../../runtime/foundation/log.ts";

/** How long an authorization may take between its start and its callback. */
export const FLOW_TTL_MS = 10 * 60_000;

/** A client registration as the SDK saves it (client id, maybe a secret, the issuer). */
export type StoredClient = Record<string, unknown> & { client_id: string };

const ClientSchema: z.ZodType<StoredClient> = z.object({ client_id: z.string().min(1) })
  .passthrough();

/** Downstream OAuth records in KV, secrets sealed. */
export class KvDownstreamAuth implements DownstreamAuthStore {
  /**
   * @param kv the KV handle
   * @param keys the keys secrets are sealed with
   */
  constructor(private readonly kv: Deno.Kv, private readonly keys: SecretKeyring) {}

  async #seal(value: unknown): Promise<z.infer<typeof SealedRecordSchema>> {
    return { sealed: await this.keys.seal(JSON.stringify(value)), saved_at: nowIso() };
  }

  async #open<T>(key: Deno.KvKey, schema: z.ZodType<T>): Promise<T | null> {
    const record = SealedRecordSchema.safeParse((await this.kv.get(key)).value);
    if (!record.success) return null;
    const plain = await this.keys.open(record.data.sealed).catch(() => null);
    if (plain === null) return null;
    const parsed = schema.safeParse(JSON.parse(plain));
    return parsed.success ? parsed.data : null;
  }

  /** The admin's settings for a server (defaults when never set). */
  async getConfig(serverId: string): Promise<DownstreamAuthConfig> {
    const parsed = DownstreamAuthConfigSchema.safeParse(
      (await this.kv.get(K.dsConfig(serverId)))
        .value,
    );
    return parsed.success
      ? parsed.data
      : DownstreamAuthConfigSchema.parse({ updated_at: nowIso() });
  }

  /** Store the admin's settings; `client_secret` is sealed here (null clears it). */
  async putConfig(
    serverId: string,
    config: { mode: DownstreamAuthConfig["mode"]; client_id: string | null },
    clientSecret?: string | null,
  ): Promise<void> {
    const current = await this.getConfig(serverId);
    const secret = clientSecret === undefined
      ? current.client_secret
      : clientSecret === null || clientSecret === ""
      ? null
      : await this.keys.seal(clientSecret);
    if (clientSecret) registerSecret(clientSecret);
    await this.kv.set(
      K.dsConfig(serverId),
      DownstreamAuthConfigSchema.parse({ ...config, client_secret: secret, updated_at: nowIso() }),
    );
  }

  /** The hand-entered client secret of a server, opened, or null. */
  async clientSecret(serverId: string): Promise<string | null> {
    const config = await this.getConfig(serverId);
    if (!config.client_secret) return null;
    const plain = await this.keys.open(config.client_secret).catch(() => null);
    if (plain) registerSecret(plain);
    return plain;
  }

  /** The tokens `owner` holds for a server, or null. */
  async getTokens(serverId: string, owner: string): Promise<StoredTokens | null> {
    const tokens = await this.#open(K.dsTokens(serverId, owner), StoredTokensSchema);
    if (tokens) {
      registerSecret(tokens.access_token);
      if (tokens.refresh_token) registerSecret(tokens.refresh_token);
    }
    return tokens;
  }

  /** Store the tokens `owner` holds for a server (sealed). */
  async putTokens(serverId: string, owner: string, tokens: StoredTokens): Promise<void> {
    registerSecret(tokens.access_token);
    if (tokens.refresh_token) registerSecret(tokens.refresh_token);
    await this.kv.set(K.dsTokens(serverId, owner), await this.#seal(tokens));
  }

  /** Forget the tokens `owner` holds for a server. */
  async deleteTokens(serverId: string, owner: string): Promise<void> {
    await this.kv.delete(K.dsTokens(serverId, owner));
  }

  /** Who holds tokens for a server, with when they were saved. */
  async listTokenOwners(serverId: string): Promise<{ owner: string; saved_at: string }[]> {
    const out: { owner: string; saved_at: string }[] = [];
    for await (const entry of this.kv.list({ prefix: K.dsTokensOf(serverId) })) {
      const record = SealedRecordSchema.safeParse(entry.value);
      const owner = entry.key[2];
      if (record.success && typeof owner === "string") {
        out.push({ owner, saved_at: record.data.saved_at });
      }
    }
    return out;
  }

  /** The client registration of a server at an issuer, or null. */
  async getClient(serverId: string, issuer: string): Promise<StoredClient | null> {
    const client = await this.#open(K.dsClient(serverId, issuer), ClientSchema);
    const secret = client?.client_secret;
    if (typeof secret === "string") registerSecret(secret);
    return client;
  }

  /** Store the client registration of a server at an issuer (sealed). */
  async putClient(serverId: string, issuer: string, client: StoredClient): Promise<void> {
    if (typeof client.client_secret === "string") registerSecret(client.client_secret);
    await this.kv.set(K.dsClient(serverId, issuer), await this.#seal(client));
  }

  /** Forget the client registration of a server at an issuer. */
  async deleteClient(serverId: string, issuer: string): Promise<void> {
    await this.kv.delete(K.dsClient(serverId, issuer));
  }

  /** Remember a pending authorization under its `state` for {@linkcode FLOW_TTL_MS}. */
  async putFlow(state: string, flow: PendingFlow): Promise<void> {
    await this.kv.set(K.dsFlow(state), await this.#seal(flow), { expireIn: FLOW_TTL_MS });
  }

  /** Remove and return a pending authorization (at most one caller gets it), or null. */
  async takeFlow(state: string): Promise<PendingFlow | null> {
    const entry = await this.kv.get(K.dsFlow(state));
    if (entry.value === null) return null;
    const done = await this.kv.atomic().check(entry).delete(entry.key).commit();
    if (!done.ok) return null;
    const record = SealedRecordSchema.safeParse(entry.value);
    if (!record.success) return null;
    const plain = await this.keys.open(record.data.sealed).catch(() => null);
    const flow = plain === null ? null : PendingFlowSchema.safeParse(JSON.parse(plain));
    if (!flow?.success) return null;
    const age = Date.now() - Date.parse(flow.data.created_at);
    return age <= FLOW_TTL_MS ? flow.data : null; // KV expiry is lazy
  }

  /**
   * Seal every record again under the current key (after a rotation made a new key current);
   * one changed meanwhile is left as it is (it was just sealed under the current key).
   * @returns how many were re-sealed
   */
  async resealAll(): Promise<number> {
    let count = 0;
    const kid = this.keys.kid;
    for (const prefix of K.dsSealedAll) {
      for await (const entry of this.kv.list({ prefix })) {
        const record = SealedRecordSchema.safeParse(entry.value);
        if (!record.success || record.data.sealed.kid === kid) continue;
        const plain = await this.keys.open(record.data.sealed).catch(() => null);
        if (plain === null) continue;
        const next = { ...record.data, sealed: await this.keys.seal(plain) };
        if ((await this.kv.atomic().check(entry).set(entry.key, next).commit()).ok) count++;
      }
    }
    for await (const entry of this.kv.list({ prefix: K.dsConfigAll })) {
      const config = DownstreamAuthConfigSchema.safeParse(entry.value);
      const sealed = config.success ? config.data.client_secret : null;
      if (!sealed || sealed.kid === kid) continue;
      const plain = await this.keys.open(sealed).catch(() => null);
      if (plain === null) continue;
      const next = { ...config.data, client_secret: await this.keys.seal(plain) };
      if ((await this.kv.atomic().check(entry).set(entry.key, next).commit()).ok) count++;
    }
    return count;
  }

  /** Remove every record of a deleted server. */
  async forgetServer(serverId: string): Promise<void> {
    const keys: Deno.KvKey[] = [K.dsConfig(serverId)];
    for (const prefix of [K.dsTokensOf(serverId), K.dsClientsOf(serverId)]) {
      for await (const entry of this.kv.list({ prefix })) keys.push(entry.key);
    }
    for (const key of keys) await this.kv.delete(key);
  }
}
