/**
 * @module Checking an authorization request (OAuth 2.1 §4.1.1): the client and redirect URI are
 * checked first, and a problem with either is shown to the user (never redirected: an unchecked
 * redirect is an open redirector). Every other problem goes back to the client as `error=` on its
 * redirect URI, with `state` and `iss` (RFC 9207). Only `response_type=code`, PKCE `S256`, the
 * scopes `mcp`/`admin` (default `mcp`) and, when sent, `resource` = the canonical `/mcp` URI.
 */
import type { OAuthClient, OAuthScope } from "../schemas/oauth.ts";
import { type ClientDeps, resolveClient } from "./clients.ts";
import { OAuthError } from "./errors.ts";
import { isS256Challenge } from "./pkce.ts";
import { redirectUriMatches } from "./redirect_uris.ts";
import { SCOPES_SUPPORTED } from "./metadata.ts";

/** The parameters an authorization request carries (all optional strings on the wire). */
export const AUTHORIZE_PARAMS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "state",
  "scope",
  "code_challenge",
  "code_challenge_method",
  "resource",
] as const;

/** A valid authorization request. */
export interface AuthorizeRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  scopes: OAuthScope[];
  resource: string;
  codeChallenge: string;
  /** The parameters as received (for the consent form to re-post). */
  params: Record<string, string>;
}

/** The outcome of checking a request. */
export type AuthorizeCheck =
  | { kind: "ok"; request: AuthorizeRequest }
  /** Shown to the user: the client or redirect URI cannot be trusted. */
  | { kind: "fatal"; message: string }
  /** Sent back to the client's redirect URI. */
  | { kind: "error"; redirectUri: string; state: string | undefined; error: OAuthError };

/**
 * The redirect back to the client, with `state` and `iss`.
 * @param redirectUri the checked redirect URI
 * @param values `code`, or `error` and `error_description`
 */
export function clientRedirect(
  redirectUri: string,
  issuer: string,
  state: string | undefined,
  values: Record<string, string>,
): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(values)) url.searchParams.set(k, v);
  if (state !== undefined) url.searchParams.set("state", state);
  url.searchParams.set("iss", issuer);
  return url.href;
}

/**
 * Check an authorization request.
 * @param deps how clients are found
 * @param input the request's parameters (query, or the consent form's fields)
 * @param resource the canonical URI tokens will be bound to
 */
export async function checkAuthorizeRequest(
  deps: ClientDeps,
  input: (name: string) => string | undefined,
  resource: string,
): Promise<AuthorizeCheck> {
  const params: Record<string, string> = {};
  for (const name of AUTHORIZE_PARAMS) {
    const value = input(name);
    if (value !== undefined) params[name] = value.slice(0, 4096);
  }
  let client: OAuthClient | null;
  try {
    client = await resolveClient(deps, params.client_id ?? "");
  } catch (error) {
    const why = error instanceof OAuthError ? error.message : "client lookup failed";
    return { kind: "fatal", message: `The client cannot be used: ${why}.` };
  }
  if (!client) {
    return { kind: "fatal", message: "Unknown client_id: register the client first." };
  }
  const asked = params.redirect_uri;
  const redirectUri = asked ??
    (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined);
  if (!redirectUri || !redirectUriMatches(client.redirect_uris, redirectUri)) {
    return {
      kind: "fatal",
      message: asked
        ? "The redirect_uri is not registered for this client."
        : "redirect_uri is required.",
    };
  }
  const state = params.state;
  const fail = (code: string, text: string): AuthorizeCheck => ({
    kind: "error",
    redirectUri,
    state,
    error: new OAuthError(code, text),
  });
  if (params.response_type !== "code") {
    return fail("unsupported_response_type", "response_type must be code");
  }
  if (!params.code_challenge || !isS256Challenge(params.code_challenge)) {
    return fail("invalid_request", "a PKCE code_challenge (S256) is required");
  }
  if (params.code_challenge_method !== "S256") {
    return fail("invalid_request", "code_challenge_method must be S256");
  }
  if (params.resource !== undefined && params.resource !== resource) {
    return fail("invalid_target", `resource must be ${resource}`);
  }
  const scopes = (params.scope ?? "mcp").split(" ").filter(Boolean);
  if (!scopes.length || !scopes.every((s) => (SCOPES_SUPPORTED as readonly string[]).includes(s))) {
    return fail("invalid_scope", "scopes are mcp and admin");
  }
  return {
    kind: "ok",
    request: {
      client,
      redirectUri,
      state,
      scopes: [...new Set(scopes)] as OAuthScope[],
      resource,
      codeChallenge: params.code_challenge,
      params,
    },
  };
}
