/**
 * @module Why an OAuth step with a remote server's authorization server failed, in words that
 * never echo what it sent (beyond an RFC 6749 error code) and never hold a token.
 */
import { IssuerMismatchError, OAuthError } from "@modelcontextprotocol/client";
import { AppError } from "../errors.ts";
import { remoteFailureReason } from "../mcp/downstream/remote_failure.ts";

/** Fixed SDK messages worth telling, and what to say instead. */
const KNOWN: [RegExp, string][] = [
  [
    /does not support dynamic client registration/,
    "its authorization server offers neither Client ID Metadata Documents (the router needs a " +
    "public https name for those) nor dynamic registration: enter a client id registered there " +
    "on the server's page",
  ],
  [
    /does not implement OAuth 2\.0 Protected Resource Metadata|trying to load well-known OAuth/,
    "the server publishes no OAuth metadata (RFC 9728 / RFC 8414), so the router cannot find its " +
    "authorization server",
  ],
  [/Incompatible auth server/, "its authorization server does not offer the code flow with PKCE"],
  [/Protected resource .* does not match/, "its resource metadata names another resource"],
];

/** Whether `error` came from an OAuth step (discovery, registration, token request). */
export function isOAuthFailure(error: unknown): boolean {
  if (error instanceof OAuthError || error instanceof IssuerMismatchError) return true;
  return error instanceof Error && KNOWN.some(([pattern]) => pattern.test(error.message));
}

/**
 * A one-line reason for a failed OAuth step.
 * @param error what the SDK (or the guarded fetch) threw
 */
export function oauthFailureReason(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof IssuerMismatchError) {
    return "the authorization server's issuer does not match its metadata (refused)";
  }
  if (error instanceof OAuthError) {
    const code = /^[a-z_]{1,64}$/.test(String(error.code)) ? error.code : "error";
    return `the authorization server answered '${code}'`;
  }
  if (error instanceof Error) {
    for (const [pattern, text] of KNOWN) if (pattern.test(error.message)) return text;
  }
  return remoteFailureReason(error);
}
