/**
 * @module Finding the client a request names: the test client (test mode only), a client
 * registered through DCR, or a Client ID Metadata Document fetched from its URL (kept in the
 * store afterwards, and fetched again when older than an hour).
 */
import type { OAuthClient } from "../schemas/oauth.ts";
import type { OAuthStore } from "../store/store.ts";
import { fetchClientMetadata, isMetadataUrl } from "./cimd.ts";

/** How long a fetched metadata document is trusted before it is fetched again. */
const CIMD_REFRESH_MS = 3600_000;

/** What resolving a client needs. */
export interface ClientDeps {
  /** Where DCR and CIMD clients are kept. */
  store: OAuthStore;
  /** The guarded outbound fetch for metadata documents. */
  fetch: typeof fetch;
  /** The test mode's client id, when test mode is on. */
  testClientId?: string;
}

/** The test mode's pre-registered public client (loopback `/callback`, any port). */
export function testClient(clientId: string): OAuthClient {
  return {
    client_id: clientId,
    client_name: `${clientId} (test mode)`,
    redirect_uris: ["http://127.0.0.1/callback", "http://localhost/callback"],
    kind: "test",
    auth_method: "none",
    secret_hash: null,
    created_at: new Date(0).toISOString(),
  };
}

/**
 * The client `clientId` names, or null when there is none.
 * @param deps store, fetch and test mode
 * @param clientId the `client_id` parameter
 * @throws {OAuthError} `invalid_client` when its metadata document is unusable
 */
export async function resolveClient(
  deps: ClientDeps,
  clientId: string,
): Promise<OAuthClient | null> {
  if (!clientId || clientId.length > 1000) return null;
  if (deps.testClientId && clientId === deps.testClientId) return testClient(clientId);
  const stored = await deps.store.getClient(clientId);
  if (!isMetadataUrl(clientId, !!deps.testClientId)) return stored?.kind === "dcr" ? stored : null;
  if (stored?.kind === "cimd" && Date.now() - Date.parse(stored.created_at) < CIMD_REFRESH_MS) {
    return stored;
  }
  const fetched = await fetchClientMetadata(clientId, deps.fetch);
  await deps.store.putClient(fetched);
  return fetched;
}
