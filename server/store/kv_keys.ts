/**
 * @module Every Deno KV key the router uses, and the guard that ties a server's child records
 * (env values, capabilities) to the server so a concurrent delete leaves no orphans.
 */
import { conflict } from "../errors.ts";

/** Key builders of every KV area. */
export const K = {
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
  uiSession: (tokenHash: string) => ["ui_sessions", tokenHash] as const,
  uiSessions: ["ui_sessions"] as const,
  httpCache: (key: string) => ["http_cache", key] as const,
  apiKey: (id: string) => ["api_keys", id] as const,
  apiKeys: ["api_keys"] as const,
  /** API key id by the SHA-256 of the plain key. */
  apiKeyLookup: (digest: string) => ["api_key_lookup", digest] as const,
  /** Ids of active (not revoked) keys. */
  activeApiKey: (id: string) => ["api_keys_active", id] as const,
  activeApiKeys: ["api_keys_active"] as const,
  meta: (name: string) => ["meta", name] as const,
  /** The embedded OAuth server (`kv_oauth.ts`): codes and tokens under their SHA-256. */
  oauthClient: (id: string) => ["oauth_clients", id] as const,
  oauthCode: (hash: string) => ["oauth_codes", hash] as const,
  oauthGrant: (id: string) => ["oauth_grants", id] as const,
  oauthGrants: ["oauth_grants"] as const,
  /** Grants revoked lately (expiring after an hour), for other processes to notice. */
  oauthRevoked: (id: string) => ["oauth_revoked", id] as const,
  oauthRevokedAll: ["oauth_revoked"] as const,
  oauthToken: (hash: string) => ["oauth_tokens", hash] as const,
  oauthConsent: (clientId: string) => ["oauth_consents", clientId] as const,
  /** The router as an OAuth client of remote servers (`kv_downstream_auth.ts`), all sealed. */
  dsConfig: (serverId: string) => ["ds_auth_config", serverId] as const,
  dsTokens: (serverId: string, owner: string) => ["ds_auth_tokens", serverId, owner] as const,
  dsTokensOf: (serverId: string) => ["ds_auth_tokens", serverId] as const,
  dsClient: (serverId: string, issuer: string) => ["ds_auth_clients", serverId, issuer] as const,
  dsClientsOf: (serverId: string) => ["ds_auth_clients", serverId] as const,
  dsFlow: (state: string) => ["ds_auth_flows", state] as const,
  /** Every sealed downstream OAuth record (re-sealed on rotation), and every setting. */
  dsSealedAll: [["ds_auth_tokens"], ["ds_auth_clients"], ["ds_auth_flows"]] as const,
  dsConfigAll: ["ds_auth_config"] as const,
};

/**
 * Commit `write` (given what `load` read) only while the server exists, bumping its children
 * generation so a concurrent server delete retries instead of leaving orphans.
 * @param kv the KV handle
 * @param id the server id
 * @param load reads what the write needs (again on each retry)
 * @param write adds the mutations to the checked commit
 * @returns false when the server does not exist
 * @throws {AppError} 409 when the server kept changing
 */
export async function whileServerExists<T>(
  kv: Deno.Kv,
  id: string,
  load: () => Promise<T>,
  write: (op: Deno.AtomicOperation, loaded: T) => Deno.AtomicOperation,
): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const [server, children] = await kv.getMany([K.server(id), K.children(id)]);
    if (server.value === null) return false;
    const op = write(kv.atomic().check(server, children), await load());
    if ((await op.set(K.children(id), Date.now()).commit()).ok) return true;
  }
  throw conflict("the server kept changing; retry");
}
