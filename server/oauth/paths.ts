/**
 * @module The embedded OAuth server's paths, and which of them skip the guards meant for
 * cookie-authenticated browsers: metadata, registration, token and revocation are called by
 * machine clients with no ambient credential (no login, no CSRF token, any origin); the
 * authorization endpoint checks the admin login itself.
 */

/** Every path the OAuth server answers. */
export const OAUTH_PATHS = {
  prm: "/.well-known/oauth-protected-resource",
  prmMcp: "/.well-known/oauth-protected-resource/mcp",
  asMetadata: "/.well-known/oauth-authorization-server",
  authorize: "/oauth/authorize",
  token: "/oauth/token",
  register: "/oauth/register",
  revoke: "/oauth/revoke",
  /** The router as an OAuth client of remote servers (`server/downstream_auth/`). */
  downstreamCallback: "/oauth/downstream/callback",
  downstreamClientMetadata: "/oauth/downstream/client-metadata.json",
} as const;

const MACHINE = new Set<string>([
  OAUTH_PATHS.prm,
  OAUTH_PATHS.prmMcp,
  OAUTH_PATHS.asMetadata,
  OAUTH_PATHS.token,
  OAUTH_PATHS.register,
  OAUTH_PATHS.revoke,
  OAUTH_PATHS.downstreamClientMetadata,
]);

/** Paths machine clients call without credentials (no CSRF token, no same-origin rule). */
export function isOAuthMachinePath(path: string): boolean {
  return MACHINE.has(path);
}

/** Paths the auth middleware lets through: the machine ones and the authorization endpoint. */
export function isOAuthPublicPath(path: string): boolean {
  // The downstream callback's `state` is its only credential (a browser sent back by another
  // site's authorization server carries no login of ours).
  return MACHINE.has(path) || path === OAUTH_PATHS.authorize ||
    path === OAUTH_PATHS.downstreamCallback;
}
