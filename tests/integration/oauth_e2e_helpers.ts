/**
 * @module What the OAuth end-to-end tests share: an in-memory SDK v2 `OAuthClientProvider`
 * (registering through DCR, or naming a Client ID Metadata Document URL), a loopback callback
 * listener for the authorization redirect, a fetch that records the paths it requests, and the
 * user's part in Chromium (sign in, read and approve the consent page).
 */
import type { Page } from "playwright-core";
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from "@modelcontextprotocol/client";

/** An in-memory OAuth provider whose "browser" is whatever the test does with the URL. */
export class MemoryProvider implements OAuthClientProvider {
  info?: StoredOAuthClientInformation;
  stored?: StoredOAuthTokens;
  verifier = "";
  authorizationUrl?: URL;
  discovery?: OAuthDiscoveryState;
  /**
   * @param redirect the loopback callback URL
   * @param options `clientMetadataUrl`: identify with that metadata document (CIMD) when the
   *   authorization server supports it; `clientName` (default `SDK E2E Client`)
   */
  constructor(
    readonly redirect: string,
    readonly options: { clientMetadataUrl?: string; clientName?: string } = {},
  ) {}
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadataUrl() {
    return this.options.clientMetadataUrl;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName ?? "SDK E2E Client",
      redirect_uris: [this.redirect],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: StoredOAuthClientInformation) {
    this.info = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  state() {
    return "e2e-state";
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** A loopback listener for the authorization redirect; disposing it shuts it down. */
export interface Callback extends AsyncDisposable {
  /** Its `/callback` URL. */
  url: string;
  /** The first URL it was sent to. */
  received: Promise<URL>;
}

/** Listen on a free loopback port for the authorization redirect. */
export function startCallback(): Callback {
  const received = Promise.withResolvers<URL>();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    received.resolve(new URL(req.url));
    return new Response("You can close this window.");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/callback`,
    received: received.promise,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A fetch that records `METHOD /path` of every request it sends (for the SDK's `fetch`). */
export function recordingFetch(): { fetch: typeof fetch; requests: string[] } {
  const requests: string[] = [];
  const recorded: typeof fetch = (input, init) => {
    const req = new Request(input, init);
    requests.push(`${req.method} ${new URL(req.url).pathname}`);
    return fetch(req);
  };
  return { fetch: recorded, requests };
}

/**
 * The user's part in the browser: open the authorization URL, sign in to the admin UI when
 * asked, read the consent page and approve it.
 * @param page a Chromium page
 * @param url the authorization URL the SDK asked to open
 * @param password the admin password
 * @returns whether the sign-in page came first, and the consent page's text (it names the client)
 */
export async function signInAndApprove(
  page: Page,
  url: URL,
  password: string,
): Promise<{ signedIn: boolean; consent: string }> {
  await page.goto(url.href);
  const signedIn = /\/login\?next=/.test(page.url());
  if (signedIn) {
    await page.fill("#password", password);
    await page.click("button[type=submit]");
  }
  await page.waitForSelector("#oauth-consent", { timeout: 15_000 }).catch(async (error) => {
    const text = (await page.textContent("body").catch(() => null) ?? "").trim().slice(0, 500);
    throw new Error(`no consent page at ${page.url()}: ${text}`, { cause: error });
  });
  const consent = await page.textContent("#oauth-consent") ?? "";
  await page.click("button[value=approve]");
  return { signedIn, consent };
}
