/**
 * @module OAuth error responses (RFC 6749 §5.2): `{error, error_description}` JSON, never cached,
 * readable from any origin (no credential rides on these endpoints).
 */

/** Headers of every JSON answer of the token, registration and revocation endpoints. */
export const OAUTH_JSON_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  pragma: "no-cache",
  "access-control-allow-origin": "*",
};

/** An OAuth protocol error with its HTTP status. */
export class OAuthError extends Error {
  override name = "OAuthError";
  /**
   * @param code the OAuth error code (`invalid_request`, `invalid_grant`, …)
   * @param description what is wrong, for the developer (no secret in it)
   * @param status HTTP status (default 400)
   */
  constructor(readonly code: string, description: string, readonly status = 400) {
    super(description);
  }
}

/** A JSON response with the OAuth headers. */
export function oauthJson(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...OAUTH_JSON_HEADERS, ...headers },
  });
}

/** The response of an {@linkcode OAuthError} (401 ones carry a Basic challenge). */
export function oauthErrorResponse(error: OAuthError): Response {
  const headers: Record<string, string> = error.status === 401
    ? { "www-authenticate": 'Basic realm="mcp-router"' }
    : {};
  return oauthJson(
    { error: error.code, error_description: error.message },
    error.status,
    headers,
  );
}
