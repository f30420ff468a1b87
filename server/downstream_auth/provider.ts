/**
 * @module The router's `OAuthClientProvider` for one (remote server, token owner): the MCP SDK's
 * own OAuth machinery (discovery of the resource and authorization server metadata, PKCE S256,
 * CIMD / DCR, code exchange, refresh) runs against it, and it keeps what that produces in the
 * {@linkcode DownstreamAuthStore}, sealed — tokens per owner, the registration per issuer.
 *
 * Nothing here redirects a browser: `redirectToAuthorization` records a pending authorization
 * under its `state` (with the PKCE verifier and the discovery state the callback leg needs) and
 * keeps the URL, which the caller shows (a tool error, the UI's redirect, the CLI's output).
 */
import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from "@modelcontextprotocol/client";
import type { DownstreamAuthStore } from "../store/store.ts";
import type { StoredTokens } from "../schemas/downstream_auth.ts";
import { randomHex } from "../auth/tokens.ts";

/** Seconds before `expires_in` runs out at which a token already counts as expired. */
const EXPIRY_MARGIN_S = 30;

/** What one provider works for. */
export interface ProviderOptions {
  store: DownstreamAuthStore;
  serverId: string;
  /** Whose tokens: a principal (`admin`, an API key id, `grant:<id>`) or `shared`. */
  owner: string;
  /** The router's callback (`…/oauth/downstream/callback`). */
  redirectUrl: string;
  /** The router's Client ID Metadata Document URL (https only), when it has one. */
  clientMetadataUrl?: string;
  /** The client name shown on the authorization server's consent page. */
  clientName: string;
  /** A client id (and secret) the admin entered: used instead of CIMD / DCR. */
  manualClient?: { client_id: string; client_secret?: string } | null;
  /** For the callback leg: the verifier and discovery state the start recorded. */
  resume?: { codeVerifier: string; discovery: OAuthDiscoveryState | null };
}

/** The client metadata the router registers with (DCR) and serves as its CIMD. */
export function routerClientMetadata(
  redirectUrl: string,
  clientName: string,
  clientId?: string,
): OAuthClientMetadata & { client_id?: string } {
  return {
    ...(clientId ? { client_id: clientId } : {}),
    client_name: clientName,
    redirect_uris: [redirectUrl],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  };
}

/** An `OAuthClientProvider` over the router's store (see module doc). */
export class StoreOAuthProvider implements OAuthClientProvider {
  readonly #o: ProviderOptions;
  readonly #state = randomHex(24);
  #verifier: string | null;
  #discovery: OAuthDiscoveryState | null;
  #issuer: string | null = null;
  #authorizationUrl: URL | null = null;

  /** @param options server, owner, callback, client identity and the store */
  constructor(options: ProviderOptions) {
    this.#o = options;
    this.#verifier = options.resume?.codeVerifier ?? null;
    this.#discovery = options.resume?.discovery ?? null;
  }

  /** The authorization URL the last flow started with (the user must open it), or null. */
  get authorizationUrl(): URL | null {
    return this.#authorizationUrl;
  }

  /** The router's callback URL. */
  get redirectUrl(): string {
    return this.#o.redirectUrl;
  }

  /** The router's CIMD URL (used when the authorization server supports it). */
  get clientMetadataUrl(): string | undefined {
    return this.#o.manualClient ? undefined : this.#o.clientMetadataUrl;
  }

  /** Metadata for DCR. */
  get clientMetadata(): OAuthClientMetadata {
    return routerClientMetadata(this.#o.redirectUrl, this.#o.clientName);
  }

  /** The `state` of this provider's authorization request. */
  state(): string {
    return this.#state;
  }

  /** The client the router is at this issuer: the hand-entered one, else the stored one. */
  async clientInformation(
    ctx?: OAuthClientInformationContext,
  ): Promise<StoredOAuthClientInformation | undefined> {
    if (ctx?.issuer) this.#issuer = ctx.issuer;
    const manual = this.#o.manualClient;
    if (manual) return { ...manual, ...(ctx?.issuer ? { issuer: ctx.issuer } : {}) };
    const stored = await this.#o.store.getClient(this.#o.serverId, this.#clientKey());
    if (!stored) return undefined;
    // A registration for another callback (the router's public name changed) is not reused.
    const uris = stored.redirect_uris;
    const isCimd = stored.client_id === this.#o.clientMetadataUrl;
    if (!isCimd && Array.isArray(uris) && !uris.includes(this.#o.redirectUrl)) return undefined;
    if (!isCimd && /^https:/.test(stored.client_id) && !Array.isArray(uris)) return undefined;
    return stored as StoredOAuthClientInformation;
  }

  /** Keep a registration (DCR result, or the CIMD client id) for this issuer. */
  async saveClientInformation(
    info: StoredOAuthClientInformation,
    ctx?: OAuthClientInformationContext,
  ): Promise<void> {
    if (this.#o.manualClient) return;
    this.#issuer = ctx?.issuer ?? info.issuer ?? this.#issuer;
    await this.#o.store.putClient(this.#o.serverId, this.#clientKey(), { ...info });
  }

  /**
   * The owner's tokens. Without `ctx` (the transport's per-request read) an expired access token
   * is not sent: the server's 401 then makes the SDK refresh it.
   */
  async tokens(ctx?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    // Read each time: another flow (the callback, another connection's refresh) may have saved
    // newer ones.
    const tokens = await this.#o.store.getTokens(this.#o.serverId, this.#o.owner);
    if (!tokens) return undefined;
    if (!ctx && tokens.expires_at !== undefined && tokens.expires_at <= Date.now()) {
      return undefined;
    }
    return tokens as StoredOAuthTokens;
  }

  /** Keep new tokens (sealed), with when the access token expires. */
  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    const expiresIn = typeof tokens.expires_in === "number" ? tokens.expires_in : undefined;
    const stored: StoredTokens = {
      ...(tokens as StoredTokens),
      redirect_uri: this.#o.redirectUrl,
      ...(expiresIn !== undefined
        ? { expires_at: Date.now() + Math.max(0, expiresIn - EXPIRY_MARGIN_S) * 1000 }
        : { expires_at: undefined }),
    };
    await this.#o.store.putTokens(this.#o.serverId, this.#o.owner, stored);
  }

  /** Registrations are kept per issuer and callback (each callback is registered on its own). */
  #clientKey(): string {
    return `${this.#issuer ?? ""} ${this.#o.redirectUrl}`;
  }

  /** Record the pending authorization under its state and keep the URL for the caller. */
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    if (!this.#verifier) throw new Error("no PKCE verifier was saved before the redirect");
    await this.#o.store.putFlow(this.#state, {
      server_id: this.#o.serverId,
      owner: this.#o.owner,
      code_verifier: this.#verifier,
      redirect_uri: this.#o.redirectUrl,
      discovery: this.#discovery as Record<string, unknown> | null,
      created_at: new Date().toISOString(),
    });
    this.#authorizationUrl = authorizationUrl;
  }

  /** Keep the PKCE verifier of the authorization being started. */
  saveCodeVerifier(codeVerifier: string): void {
    this.#verifier = codeVerifier;
  }

  /** The PKCE verifier of this authorization. */
  codeVerifier(): string {
    if (!this.#verifier) throw new Error("no PKCE verifier for this authorization");
    return this.#verifier;
  }

  /** Keep the discovery state (it travels with the pending authorization). */
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discovery = state;
  }

  /** The discovery state of this authorization, if any. */
  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#discovery ?? undefined;
  }

  /** Drop what the server said is no longer valid. */
  async invalidateCredentials(
    scope: "all" | "client" | "tokens" | "verifier" | "discovery",
  ): Promise<void> {
    if (scope === "all" || scope === "tokens") {
      await this.#o.store.deleteTokens(this.#o.serverId, this.#o.owner);
    }
    if ((scope === "all" || scope === "client") && !this.#o.manualClient) {
      await this.#o.store.deleteClient(this.#o.serverId, this.#clientKey());
    }
    if (scope === "all" || scope === "verifier") this.#verifier = null;
    if (scope === "all" || scope === "discovery") this.#discovery = null;
  }
}
