/**
 * @module Codes, grants and tokens of the embedded authorization server. Every code and token is
 * an opaque random string with a prefix (`mcpoc_` code, `mcpo_` access, `mcpor_` refresh: API
 * keys are `mcpr_`), stored only as its SHA-256. A code makes a grant; each refresh rotates the
 * refresh token, and presenting a rotated one again (a stolen copy) revokes the whole grant.
 * Revoking a grant ends every token of it at once, since verification reads the grant.
 */
import type { OAuthCode, OAuthGrant, OAuthScope, OAuthToken } from "../schemas/oauth.ts";
import type { OAuthStore } from "../store/store.ts";
import { randomHex } from "../auth/tokens.ts";
import { sha256Hex } from "../../runtime/foundation/bytes.ts";
import { OAuthError } from "./errors.ts";
import { pkceMatches } from "./pkce.ts";
import { createLogger } from "../../runtime/foundation/log.ts";

const logger = createLogger("oauth");

/** Prefix of access tokens (the auth middleware tells them from API keys by it). */
export const ACCESS_PREFIX = "mcpo_";
/** Prefix of refresh tokens. */
export const REFRESH_PREFIX = "mcpor_";
const CODE_PREFIX = "mcpoc_";

/** Lifetimes: code 10 min, access token 1 h, refresh token 30 d. */
export const TTL = { codeMs: 600_000, accessMs: 3600_000, refreshMs: 30 * 86_400_000 } as const;

/** The token endpoint's answer (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** The hash a code or token is stored under. */
export function tokenHash(token: string): string {
  return sha256Hex(token);
}

/**
 * Issue an authorization code.
 * @param store where it is kept (hashed)
 * @param code what it stands for (its expiry is set here)
 * @returns the plain code for the redirect
 */
export async function issueCode(
  store: OAuthStore,
  code: Omit<OAuthCode, "expires">,
): Promise<string> {
  const plain = CODE_PREFIX + randomHex(32);
  await store.putCode(tokenHash(plain), { ...code, expires: Date.now() + TTL.codeMs }, TTL.codeMs);
  return plain;
}

async function issuePair(store: OAuthStore, grant: OAuthGrant): Promise<TokenResponse> {
  const access = ACCESS_PREFIX + randomHex(32);
  const refresh = REFRESH_PREFIX + randomHex(32);
  const base = { grant_id: grant.id, client_id: grant.client_id, resource: grant.resource };
  const now = Date.now();
  await store.putToken(tokenHash(access), {
    ...base,
    kind: "access",
    scopes: grant.scopes,
    expires: now + TTL.accessMs,
    rotated: false,
  }, TTL.accessMs);
  await store.putToken(tokenHash(refresh), {
    ...base,
    kind: "refresh",
    scopes: grant.scopes,
    expires: now + TTL.refreshMs,
    rotated: false,
  }, TTL.refreshMs);
  return {
    access_token: access,
    token_type: "Bearer",
    expires_in: TTL.accessMs / 1000,
    refresh_token: refresh,
    scope: grant.scopes.join(" "),
  };
}

/** What the token endpoint presents for an `authorization_code` grant. */
export interface CodeExchange {
  code: string;
  clientId: string;
  clientName: string;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
  /** The `resource` parameter, if sent. */
  resource: string | undefined;
}

/**
 * Exchange a code (once) for tokens, checking client, redirect URI, PKCE and resource.
 * @throws {OAuthError} `invalid_grant` / `invalid_target` / `invalid_request`
 */
export async function exchangeCode(store: OAuthStore, x: CodeExchange): Promise<TokenResponse> {
  if (!x.codeVerifier) throw new OAuthError("invalid_request", "code_verifier is required");
  const code = await store.takeCode(tokenHash(x.code));
  if (!code || code.expires < Date.now()) {
    throw new OAuthError("invalid_grant", "authorization code is invalid, used or expired");
  }
  if (code.client_id !== x.clientId) {
    throw new OAuthError("invalid_grant", "authorization code was issued to another client");
  }
  if (x.redirectUri !== undefined && x.redirectUri !== code.redirect_uri) {
    throw new OAuthError("invalid_grant", "redirect_uri differs from the authorization request");
  }
  if (!pkceMatches(x.codeVerifier, code.code_challenge)) {
    throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge");
  }
  if (x.resource !== undefined && x.resource !== code.resource) {
    throw new OAuthError("invalid_target", "resource differs from the authorization request");
  }
  const grant: OAuthGrant = {
    id: crypto.randomUUID(),
    client_id: code.client_id,
    client_name: x.clientName,
    scopes: code.scopes,
    resource: code.resource,
    created_at: new Date().toISOString(),
    approved_by: code.approved_by,
    revoked_at: null,
    revoked_reason: null,
  };
  await store.putGrant(grant);
  return await issuePair(store, grant);
}

/** Mark a grant revoked (every token of it stops working at once). */
export async function revokeGrant(
  store: OAuthStore,
  grantId: string,
  reason = "revoked",
): Promise<OAuthGrant | null> {
  const grant = await store.getGrant(grantId);
  if (!grant) return null;
  if (!grant.revoked_at) {
    await store.putGrant({
      ...grant,
      revoked_at: new Date().toISOString(),
      revoked_reason: reason,
    });
  }
  return grant;
}

/**
 * Rotate a refresh token: the old one is spent, a new pair is issued for the same grant
 * (optionally narrowed to `scopes`). A spent token presented again revokes the grant.
 * @throws {OAuthError} `invalid_grant` / `invalid_scope` / `invalid_target`
 */
export async function refreshTokens(
  store: OAuthStore,
  x: { refreshToken: string; clientId: string; scope?: string; resource?: string },
): Promise<TokenResponse> {
  const hash = tokenHash(x.refreshToken);
  const token = x.refreshToken.startsWith(REFRESH_PREFIX) ? await store.getToken(hash) : null;
  if (!token || token.kind !== "refresh" || token.expires < Date.now()) {
    throw new OAuthError("invalid_grant", "refresh token is invalid or expired");
  }
  if (token.client_id !== x.clientId) {
    throw new OAuthError("invalid_grant", "refresh token was issued to another client");
  }
  const grant = await store.getGrant(token.grant_id);
  if (!grant || grant.revoked_at) throw new OAuthError("invalid_grant", "the grant was revoked");
  if (x.resource !== undefined && x.resource !== grant.resource) {
    throw new OAuthError("invalid_target", "resource differs from the grant's");
  }
  let scopes = grant.scopes;
  if (x.scope !== undefined) {
    const asked = x.scope.split(" ").filter(Boolean);
    if (!asked.every((s) => (grant.scopes as string[]).includes(s))) {
      throw new OAuthError("invalid_scope", "refresh may not widen the granted scopes");
    }
    scopes = asked as OAuthScope[];
  }
  if (!(await store.rotateToken(hash))) {
    logger.warn("refresh token reused: grant revoked", {
      grant_id: grant.id,
      client_id: grant.client_id,
    });
    await revokeGrant(store, grant.id, "refresh_token_reuse");
    throw new OAuthError("invalid_grant", "refresh token was already used; the grant is revoked");
  }
  return await issuePair(store, { ...grant, scopes });
}

/**
 * Revoke a token (RFC 7009): a refresh token revokes its grant, an access token only itself.
 * Unknown tokens and tokens of other clients are ignored (the endpoint answers 200 anyway).
 */
export async function revokeToken(
  store: OAuthStore,
  x: { token: string; clientId: string },
): Promise<void> {
  const hash = tokenHash(x.token);
  const token = await store.getToken(hash);
  if (!token || token.client_id !== x.clientId) return;
  if (token.kind === "refresh") await revokeGrant(store, token.grant_id);
  await store.deleteToken(hash);
}

/** A verified access token with its grant. */
export interface VerifiedAccess {
  token: OAuthToken;
  grant: OAuthGrant;
}

/**
 * Verify an access token: known, unexpired, its grant unrevoked, for this audience.
 * @param store the OAuth records
 * @param plain the bearer token
 * @param audience the canonical URI of the resource it was presented to
 * @returns the token and grant, or null
 */
export async function verifyAccessToken(
  store: OAuthStore,
  plain: string,
  audience: string,
): Promise<VerifiedAccess | null> {
  if (!plain.startsWith(ACCESS_PREFIX) || plain.length > 200) return null;
  const token = await store.getToken(tokenHash(plain));
  if (!token || token.kind !== "access" || token.expires < Date.now()) return null;
  if (token.resource !== audience) return null;
  const grant = await store.getGrant(token.grant_id);
  if (!grant || grant.revoked_at) return null;
  return { token, grant };
}
