/**
 * @module Records of the router as an OAuth client of its remote servers (`server/downstream_auth/`):
 * the per-server setting (shared or per-principal tokens, a client id the user entered), and the
 * sealed records — tokens per (server, owner), the client registration per (server, issuer) and a
 * pending authorization per `state`. Everything secret is stored sealed under the secret keyring,
 * like secret env values.
 */
import { z } from "zod";
import { SealedSchema } from "./records.ts";

/** Who holds the downstream tokens of a server: each principal, or one shared set. */
export const TokenModeSchema = z.enum(["per_principal", "shared"]);
/** Who holds the downstream tokens of a server. */
export type TokenMode = z.infer<typeof TokenModeSchema>;

/** The owner name of a shared token set. */
export const SHARED_OWNER = "shared";

/** The admin's choices for one server (no secret in clear: the client secret is sealed). */
export const DownstreamAuthConfigSchema = z.object({
  mode: TokenModeSchema.default("per_principal"),
  /** A client id registered by hand, for authorization servers without CIMD or DCR. */
  client_id: z.string().min(1).max(1000).nullable().default(null),
  /** Its secret, sealed (confidential clients only). */
  client_secret: SealedSchema.nullable().default(null),
  updated_at: z.string(),
});
/** The admin's choices for one server. */
export type DownstreamAuthConfig = z.infer<typeof DownstreamAuthConfigSchema>;

/** A sealed JSON value with the time it was written. */
export const SealedRecordSchema = z.object({ sealed: SealedSchema, saved_at: z.string() });
/** A sealed JSON value with the time it was written. */
export type SealedRecord = z.infer<typeof SealedRecordSchema>;

/** Tokens as the router keeps them (inside the seal): the SDK's token set plus when it expires. */
export const StoredTokensSchema = z.object({
  access_token: z.string(),
  token_type: z.string().default("Bearer"),
  refresh_token: z.string().optional(),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
  id_token: z.string().optional(),
  issuer: z.string().optional(),
  /** Epoch ms after which the access token is treated as expired (from `expires_in`). */
  expires_at: z.number().optional(),
  /** The callback they were obtained with (its registration is the one that refreshes them). */
  redirect_uri: z.string().optional(),
}).passthrough();
/** Tokens as the router keeps them. */
export type StoredTokens = z.infer<typeof StoredTokensSchema>;

/** An authorization waiting for its callback (inside the seal; keyed by `state`). */
export const PendingFlowSchema = z.object({
  server_id: z.string(),
  /** Whose tokens the callback saves (a principal, or `shared`). */
  owner: z.string(),
  code_verifier: z.string(),
  redirect_uri: z.string(),
  /** The SDK's discovery state (issuer binding of the callback leg). */
  discovery: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
});
/** An authorization waiting for its callback. */
export type PendingFlow = z.infer<typeof PendingFlowSchema>;
