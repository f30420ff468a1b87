/**
 * @module Hono environment type shared by the app, its routes and middleware.
 */
import type { KeyScope } from "../schemas/records.ts";

/** How a request was authenticated: a bearer key, the UI cookie, or open local mode. */
export type AuthVia = "bearer" | "cookie" | "open" | "none";

/** Per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    /** Who is acting: `local`, `admin`, or `key:<name>`. */
    actor: string;
    /** Id of the API key that authenticated the request (or opened its UI session), if any. */
    keyId: string | null;
    /** What the credential may do (`admin` in open local mode). */
    scope: KeyScope | null;
    /** How the request was authenticated. */
    via: AuthVia;
    /** The client's address (trusted proxies resolved), for rate limits. */
    client: string;
  };
}
