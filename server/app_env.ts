/**
 * @module Hono environment type shared by the app, its routes and middleware.
 */

/** Per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    /** Who is acting: `local`, `admin`, or `key:<name>`. */
    actor: string;
    /** Id of the API key that authenticated the request, if any. */
    keyId: string | null;
  };
}
