/**
 * @module The token endpoint (`authorization_code` with PKCE, `refresh_token` with rotation) and
 * the revocation endpoint (RFC 7009). Bodies are form-encoded; clients authenticate as they
 * registered: public ones by `client_id` alone, confidential DCR ones with their secret in the
 * body (`client_secret_post`) or in Basic auth (`client_secret_basic`).
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app/app_env.ts";
import type { OAuthClient } from "../schemas/oauth.ts";
import { constantTimeEqual } from "../auth/tokens.ts";
import { sha256Hex } from "../../runtime/foundation/bytes.ts";
import { type ClientDeps, resolveClient } from "./clients.ts";
import { OAuthError, oauthErrorResponse, oauthJson } from "./errors.ts";
import { exchangeCode, refreshTokens, revokeToken } from "./token_service.ts";
import { OAUTH_PATHS } from "./paths.ts";

const Field = z.string().max(4096).optional();
const FormSchema = z.object({
  grant_type: Field,
  code: Field,
  redirect_uri: Field,
  code_verifier: Field,
  refresh_token: Field,
  scope: Field,
  resource: Field,
  client_id: Field,
  client_secret: Field,
  token: Field,
  token_type_hint: Field,
});
type Form = z.infer<typeof FormSchema>;

async function readForm(c: Context<AppEnv>): Promise<Form> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded")) {
    throw new OAuthError("invalid_request", "send application/x-www-form-urlencoded");
  }
  const params = new URLSearchParams(await c.req.text());
  const raw: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in raw) throw new OAuthError("invalid_request", `parameter ${k} repeated`);
    raw[k] = v;
  }
  const parsed = FormSchema.safeParse(raw);
  if (!parsed.success) throw new OAuthError("invalid_request", "a parameter is too long");
  return parsed.data;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!m) return null;
  let text: string;
  try {
    text = atob(m[1]);
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return null;
  try {
    return {
      id: decodeURIComponent(text.slice(0, colon)),
      secret: decodeURIComponent(text.slice(colon + 1)),
    };
  } catch {
    return null;
  }
}

/**
 * Authenticate the calling client.
 * @throws {OAuthError} `invalid_client` (401)
 */
async function authenticate(deps: ClientDeps, c: Context<AppEnv>, form: Form) {
  const basic = basicCredentials(c.req.header("authorization"));
  const clientId = basic?.id ?? form.client_id;
  if (!clientId) throw new OAuthError("invalid_client", "client_id is required", 401);
  if (basic && form.client_id && form.client_id !== basic.id) {
    throw new OAuthError("invalid_request", "client_id differs from the Basic credentials");
  }
  let client: OAuthClient | null;
  try {
    client = await resolveClient(deps, clientId);
  } catch {
    client = null;
  }
  if (!client) throw new OAuthError("invalid_client", "unknown client", 401);
  if (client.secret_hash) {
    const secret = basic?.secret ?? form.client_secret;
    if (!secret || !constantTimeEqual(sha256Hex(secret), client.secret_hash)) {
      throw new OAuthError("invalid_client", "client authentication failed", 401);
    }
  }
  return client;
}

async function token(deps: ClientDeps, c: Context<AppEnv>): Promise<Response> {
  const form = await readForm(c);
  const client = await authenticate(deps, c, form);
  if (form.grant_type === "authorization_code") {
    if (!form.code) throw new OAuthError("invalid_request", "code is required");
    return oauthJson(
      await exchangeCode(deps.store, {
        code: form.code,
        clientId: client.client_id,
        clientName: client.client_name,
        redirectUri: form.redirect_uri,
        codeVerifier: form.code_verifier,
        resource: form.resource,
      }),
    );
  }
  if (form.grant_type === "refresh_token") {
    if (!form.refresh_token) throw new OAuthError("invalid_request", "refresh_token is required");
    return oauthJson(
      await refreshTokens(deps.store, {
        refreshToken: form.refresh_token,
        clientId: client.client_id,
        scope: form.scope,
        resource: form.resource,
      }),
    );
  }
  throw new OAuthError(
    form.grant_type ? "unsupported_grant_type" : "invalid_request",
    "grant_type must be authorization_code or refresh_token",
  );
}

async function revoke(deps: ClientDeps, c: Context<AppEnv>): Promise<Response> {
  const form = await readForm(c);
  const client = await authenticate(deps, c, form);
  if (!form.token) throw new OAuthError("invalid_request", "token is required");
  await revokeToken(deps.store, { token: form.token, clientId: client.client_id });
  return oauthJson({});
}

function guarded(fn: (c: Context<AppEnv>) => Promise<Response>) {
  return async (c: Context<AppEnv>) => {
    try {
      return await fn(c);
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(error);
      throw error;
    }
  };
}

/** Mount `POST /oauth/token` and `POST /oauth/revoke`. */
export function mountTokenEndpoints(app: Hono<AppEnv>, deps: ClientDeps): void {
  app.post(OAUTH_PATHS.token, guarded((c) => token(deps, c)));
  app.post(OAUTH_PATHS.revoke, guarded((c) => revoke(deps, c)));
}
