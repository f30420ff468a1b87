/**
 * @module The router's outbound guard: {@linkcode createOutboundGuard} over the settings and the
 * live auth state (active API keys in the store), shared by plan saving (REST, admin UI) and
 * connecting.
 */
import { activeApiKeys } from "../auth/api_keys.ts";
import type { Settings } from "../settings.ts";
import type { ApiKeyStore } from "../store/store.ts";
import { expandUrl } from "../mcp/downstream/remote.ts";
import { createOutboundGuard, type OutboundGuard } from "./outbound_guard.ts";

/**
 * The guard for this router: local mode (loopback and private targets allowed) holds only
 * while it listens on loopback and no API key is active — counted at each check.
 * @param settings the router's settings
 * @param store where API keys live
 */
export function routerOutboundGuard(settings: Settings, store: ApiKeyStore): OutboundGuard {
  return createOutboundGuard(settings, {
    activeKeyCount: async () => (await activeApiKeys(store)).length,
  });
}

/**
 * Refuse a remote plan whose URL the router may not connect to. A host name that does not
 * resolve yet, or holds `${VAR}` placeholders, passes here and is judged at connect time.
 * @param deps the router's settings and store
 * @param plan the plan (or merged record) about to be saved
 * @throws {OutboundRefusedError} HTTP 400 naming the rule, and the setting when one helps
 */
export async function checkRemoteUrl(
  deps: { settings: Settings; store: ApiKeyStore },
  plan: { runtime?: string; url?: string | null },
): Promise<void> {
  if (plan.runtime !== "remote" || !plan.url) return;
  await routerOutboundGuard(deps.settings, deps.store).check(expandUrl(plan.url, {}), {
    stage: "save",
  });
}
