/**
 * @module OAuth grant revocation reaches what the grant opened: like key revocation
 * (`revocation.ts`), listeners are told the moment this process revokes a grant and within
 * `pollMs` when another process (`main.ts oauth revoke`) does, so the MCP endpoints can end the
 * grant's streams and sessions (they are keyed `oauth:<grant id>`). Requests are refused from
 * the moment of revocation anyway: every access token check reads its grant.
 */
import type { OAuthStore } from "../store/store.ts";
import { RevocationWatch } from "./revocation_watch.ts";

/** The session key of requests made with a grant's tokens. */
export function grantSessionKey(grantId: string): string {
  return `oauth:${grantId}`;
}

/** Watches the store for revoked grants and tells listeners once per grant. */
export class GrantRevocations extends RevocationWatch {
  /**
   * @param store the OAuth records
   * @param pollMs how often revocations by other processes are looked for
   */
  constructor(store: OAuthStore, pollMs = 1_000) {
    super({
      what: "grant",
      subscribe: (revoked) => store.onGrantRevoked(revoked),
      revokedIds: () => store.recentlyRevokedGrants(),
    }, pollMs);
  }
}
