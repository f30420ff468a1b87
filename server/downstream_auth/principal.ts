/**
 * @module Who a downstream OAuth token belongs to: the principal of a request. Each API key
 * (and each OAuth grant, whose session key is `grant:<id>`) is its own principal; the local
 * operator — the admin UI, stdio, open local mode, the CLI — is `admin`.
 */

/** The principal of the local operator. */
export const ADMIN_PRINCIPAL = "admin";

/**
 * The principal of a request authenticated by `keyId`.
 * @param keyId the API key id (or grant session key) that authenticated it, or null
 */
export function principalOfKey(keyId: string | null | undefined): string {
  return keyId ? `key:${keyId}` : ADMIN_PRINCIPAL;
}

/**
 * What a server's health says while it waits for an OAuth authorization.
 * @param serverName the server
 */
export function authorizationHint(serverName: string): string {
  return `needs authorization: ${serverName} signs users in with OAuth — use Authorize on its ` +
    `page or run main.ts auth ${serverName}`;
}
