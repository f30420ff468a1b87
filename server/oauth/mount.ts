/**
 * @module The embedded OAuth 2.1 authorization server, mounted on the router's app: discovery
 * documents, DCR, the authorization endpoint with its consent page, token and revocation, and the
 * admin page of granted clients (`/oauth/grants`). Its outbound fetch (Client ID Metadata
 * Documents) goes through the SSRF guard as if API keys were required — loopback and private
 * addresses refused — except in the test mode.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../app/app_env.ts";
import { type Settings, SettingsError } from "../settings.ts";
import type { Store } from "../store/store.ts";
import { isLoopbackBind } from "../http/host_check.ts";
import { createOutboundGuard } from "../http/outbound_guard.ts";
import { createGuardedFetch } from "../http/guarded_fetch.ts";
import { createRetryingFetch } from "../http/retry_fetch.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import type { ClientDeps } from "./clients.ts";
import { mountMetadata } from "./metadata.ts";
import { mountRegister } from "./register.ts";
import { mountAuthorize } from "./authorize.ts";
import { mountTokenEndpoints } from "./token_endpoint.ts";
import { mountGrantsPage } from "./grants_page.ts";

const logger = createLogger("oauth");

/**
 * Refuse the test mode (`MCP_ROUTER_OAUTH_TEST_CLIENT`) unless the router listens on loopback.
 * @throws {SettingsError} when the test mode is on and the listen address is not loopback
 */
export function assertOAuthTestMode(settings: Pick<Settings, "host" | "oauthTestClient">): void {
  if (settings.oauthTestClient && !isLoopbackBind(settings.host)) {
    throw new SettingsError(
      `MCP_ROUTER_OAUTH_TEST_CLIENT approves consent without sign-in: it is refused when the router listens on ${settings.host} (beyond loopback)`,
    );
  }
}

/**
 * Mount the authorization server.
 * @param app the router's app
 * @param deps settings and store; `fetch` overrides the outbound fetch (tests)
 * @throws {SettingsError} see {@linkcode assertOAuthTestMode}
 */
export function mountOAuth(
  app: Hono<AppEnv>,
  deps: { settings: Settings; store: Store; fetch?: typeof fetch },
): void {
  assertOAuthTestMode(deps.settings);
  const testClientId = deps.settings.oauthTestClient;
  if (testClientId) {
    logger.warn("OAuth test mode: consent is approved without sign-in for the test client", {
      client_id: testClientId,
    });
  }
  const guard = createOutboundGuard(deps.settings, {
    activeKeyCount: () => Promise.resolve(testClientId ? 0 : 1),
  });
  const clients: ClientDeps = {
    store: deps.store.oauth,
    // Client ID Metadata Documents: the SSRF-checked fetch under the one retry helper.
    fetch: deps.fetch ??
      createRetryingFetch({ fetch: createGuardedFetch(guard), timeoutMs: 10_000, retries: 2 }),
    testClientId,
  };
  mountMetadata(app, deps.settings.oauthIssuer);
  mountRegister(app, deps.store.oauth);
  mountAuthorize(app, { settings: deps.settings, store: deps.store, clients });
  mountTokenEndpoints(app, clients);
  mountGrantsPage(app, deps.store);
}
