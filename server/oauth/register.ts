/**
 * @module Dynamic Client Registration (RFC 7591), kept for clients that predate Client ID
 * Metadata Documents: a client posts its metadata (`redirect_uris` required, each checked by
 * the redirect rules) and gets a random `client_id` — and a `client_secret`, shown once and
 * stored hashed, when it asks for `client_secret_post` or `client_secret_basic`.
 */
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app/app_env.ts";
import type { OAuthStore } from "../store/store.ts";
import { ClientAuthMethodSchema, type OAuthClient } from "../schemas/oauth.ts";
import { randomHex } from "../auth/tokens.ts";
import { sha256Hex } from "../../runtime/foundation/bytes.ts";
import { oauthJson } from "./errors.ts";
import { redirectUriProblem } from "./redirect_uris.ts";
import { OAUTH_PATHS } from "./paths.ts";
import { FailureLimiter } from "../middleware/auth.ts";

const RegistrationSchema = z.object({
  redirect_uris: z.array(z.string()).min(1).max(20),
  client_name: z.string().max(200).optional(),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  scope: z.string().max(200).optional(),
});

function invalid(description: string, code = "invalid_client_metadata"): Response {
  return oauthJson({ error: code, error_description: description }, 400);
}

/**
 * Register a client from its metadata.
 * @returns the RFC 7591 response body, or an error response
 */
export async function registerClient(store: OAuthStore, body: unknown): Promise<Response> {
  const parsed = RegistrationSchema.safeParse(body);
  if (!parsed.success) return invalid("redirect_uris (an array of URIs) is required");
  const meta = parsed.data;
  for (const uri of meta.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) return invalid(problem, "invalid_redirect_uri");
  }
  const method = ClientAuthMethodSchema.safeParse(meta.token_endpoint_auth_method ?? "none");
  if (!method.success) return invalid("token_endpoint_auth_method not supported");
  const grants = meta.grant_types ?? ["authorization_code", "refresh_token"];
  if (!grants.every((g) => g === "authorization_code" || g === "refresh_token")) {
    return invalid("only the authorization_code and refresh_token grants are supported");
  }
  if (meta.response_types && !meta.response_types.every((r) => r === "code")) {
    return invalid("only the code response type is supported");
  }
  const secret = method.data === "none" ? null : randomHex(32);
  const client: OAuthClient = {
    client_id: `mcpo-client-${randomHex(16)}`,
    client_name: meta.client_name?.trim() || "unnamed client",
    redirect_uris: meta.redirect_uris,
    kind: "dcr",
    auth_method: method.data,
    secret_hash: secret ? sha256Hex(secret) : null,
    created_at: new Date().toISOString(),
  };
  await store.putClient(client);
  return oauthJson({
    client_id: client.client_id,
    ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: Math.floor(Date.parse(client.created_at) / 1000),
    client_name: client.client_name,
    redirect_uris: client.redirect_uris,
    token_endpoint_auth_method: client.auth_method,
    grant_types: grants,
    response_types: ["code"],
  }, 201);
}

/** Registrations one client address may make per minute. */
const REGISTRATIONS_PER_MINUTE = 20;

/** Mount `POST /oauth/register` (rate-limited per client address). */
export function mountRegister(app: Hono<AppEnv>, store: OAuthStore): void {
  const limiter = new FailureLimiter(REGISTRATIONS_PER_MINUTE, 60_000);
  app.post(OAUTH_PATHS.register, async (c) => {
    const client = c.get("client") ?? "local";
    if (limiter.blocked(client)) {
      return oauthJson(
        { error: "slow_down", error_description: "too many registrations; wait a minute" },
        429,
        { "retry-after": "60" },
      );
    }
    limiter.fail(client);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return invalid("send the client metadata as JSON");
    }
    return await registerClient(store, body);
  });
}
