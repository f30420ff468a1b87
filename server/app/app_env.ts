/**
 * @module Hono environment type shared by the app, its routes and middleware.
 */
import type { KeyScope } from "../schemas/records.ts";

/** How a request was authenticated: a bearer key, the UI cookie, or open local mode. */
export type AuthVia = "bearer" | "cookie" | "open" | "none";

/** The CSRF token a page renders (into its forms and htmx's headers). */
export interface PageCsrf {
  /** The token, bound to the UI session (or, before sign-in, to the `mcpr_csrf` nonce). */
  token: string;
  /** Bind the token to a UI session this response starts (its cookie goes out with it). */
  bindSession(sessionToken: string): Promise<void>;
}

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
    /** The page's CSRF token (UI requests only; set by the CSRF middleware). */
    csrf?: PageCsrf;
  };
}
