/**
 * @module Records of the embedded OAuth authorization server (`server/oauth/`): clients,
 * authorization codes, grants, tokens and remembered consents. Codes and tokens are stored only
 * under the SHA-256 of their plain value, so these records hold no usable secret.
 */
import { z } from "zod";

/** Scopes the router grants: `mcp` (the MCP endpoints) and `admin` (everything else). */
export const OAuthScopeSchema = z.enum(["mcp", "admin"]);
/** A scope the router grants. */
export type OAuthScope = z.infer<typeof OAuthScopeSchema>;

/** How a client authenticates at the token endpoint. */
export const ClientAuthMethodSchema = z.enum(["none", "client_secret_post", "client_secret_basic"]);
/** How a client authenticates at the token endpoint. */
export type ClientAuthMethod = z.infer<typeof ClientAuthMethodSchema>;

/** A known client: registered (DCR), described by a metadata document (CIMD), or the test one. */
export const OAuthClientSchema = z.object({
  client_id: z.string().min(1).max(1000),
  client_name: z.string().min(1).max(200),
  redirect_uris: z.array(z.string().max(2048)).min(1).max(20),
  kind: z.enum(["dcr", "cimd", "test"]),
  auth_method: ClientAuthMethodSchema,
  /** SHA-256 (hex) of the client secret, for confidential DCR clients. */
  secret_hash: z.string().nullable(),
  created_at: z.string(),
});
/** A known client. */
export type OAuthClient = z.infer<typeof OAuthClientSchema>;

/** An authorization code waiting to be exchanged (stored under its hash, short-lived). */
export const OAuthCodeSchema = z.object({
  client_id: z.string(),
  redirect_uri: z.string(),
  code_challenge: z.string(),
  resource: z.string(),
  scopes: z.array(OAuthScopeSchema),
  /** Who approved the consent (`admin`, `key:<name>`, `local`, `test`). */
  approved_by: z.string(),
  expires: z.number(),
});
/** An authorization code record. */
export type OAuthCode = z.infer<typeof OAuthCodeSchema>;

/** One authorization of a client: the chain of tokens its code and refreshes produced. */
export const OAuthGrantSchema = z.object({
  id: z.string(),
  client_id: z.string(),
  client_name: z.string(),
  scopes: z.array(OAuthScopeSchema),
  /** The audience: the router's canonical `/mcp` URI when the grant was made. */
  resource: z.string(),
  created_at: z.string(),
  /** Who approved it (`admin`, `key:<name>`, `local`, `test`). */
  approved_by: z.string(),
  revoked_at: z.string().nullable(),
  /** Why it was revoked (`revoked`, `refresh_token_reuse`). */
  revoked_reason: z.string().nullable(),
});
/** A grant record. */
export type OAuthGrant = z.infer<typeof OAuthGrantSchema>;

/** An access or refresh token (stored under its hash, expiring with KV's `expireIn`). */
export const OAuthTokenSchema = z.object({
  kind: z.enum(["access", "refresh"]),
  grant_id: z.string(),
  client_id: z.string(),
  scopes: z.array(OAuthScopeSchema),
  resource: z.string(),
  expires: z.number(),
  /** A refresh token already exchanged (kept to detect its reuse). */
  rotated: z.boolean(),
});
/** A token record. */
export type OAuthToken = z.infer<typeof OAuthTokenSchema>;

/** A consent remembered per client: the scopes an admin approved for it. */
export const OAuthConsentSchema = z.object({
  client_id: z.string(),
  scopes: z.array(OAuthScopeSchema),
  at: z.string(),
});
/** A remembered consent. */
export type OAuthConsent = z.infer<typeof OAuthConsentSchema>;
