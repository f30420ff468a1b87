/**
 * @module Granted clients of the embedded authorization server, for the CLI and the admin UI:
 * list them, and revoke one — its tokens stop working at the next request and its remembered
 * consent is forgotten, so the client must ask the admin again.
 */
import type { OAuthGrant } from "../schemas/oauth.ts";
import type { Store } from "../store/store.ts";
import { AppError } from "../errors.ts";
import { revokeGrant } from "./token_service.ts";

/** Every grant, newest first (active and revoked). */
export async function listGrants(store: Store): Promise<OAuthGrant[]> {
  return await store.oauth.listGrants();
}

/**
 * Revoke a grant and forget its client's consent; audited.
 * @param store the store
 * @param grantId the grant's id
 * @param actor who revokes (`cli`, `admin`, `key:<name>`)
 * @throws {AppError} 404 when there is no such grant
 */
export async function revokeGrantById(
  store: Store,
  grantId: string,
  actor: string,
): Promise<OAuthGrant> {
  const grant = await revokeGrant(store.oauth, grantId);
  if (!grant) throw new AppError("not_found", 404, `no OAuth grant '${grantId.slice(0, 80)}'`);
  await store.oauth.deleteConsent(grant.client_id);
  await store.appendAudit({
    actor,
    action: "oauth.revoke",
    target: grant.client_name,
    details: { grant_id: grant.id, client_id: grant.client_id },
  });
  return grant;
}
