/**
 * @module Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client
 * whose `client_id` is an `https` URL with a path is described by the JSON document at that URL.
 * It is fetched through the SSRF-safe outbound fetch (every hop checked, no redirects followed),
 * capped in size, and must name itself: its `client_id` equals the URL it came from.
 */
import { z } from "zod";
import type { OAuthClient } from "../schemas/oauth.ts";
import { OAuthError } from "./errors.ts";
import { redirectUriProblem } from "./redirect_uris.ts";

/** Largest metadata document read. */
const MAX_DOCUMENT_BYTES = 16_384;
/** How long one fetch may take. */
const FETCH_TIMEOUT_MS = 5_000;

const DocumentSchema = z.object({
  client_id: z.string(),
  client_name: z.string().max(200).optional(),
  client_uri: z.string().optional(),
  redirect_uris: z.array(z.string()).min(1).max(20),
  token_endpoint_auth_method: z.string().optional(),
});

/**
 * Whether a client id is a metadata document URL: `https` with a path, no fragment, no
 * credentials, no dot segments (or `http` to loopback when `allowLoopbackHttp`, the test mode).
 * @param clientId the `client_id` parameter
 * @param allowLoopbackHttp accept `http://127.0.0.1…` documents (test mode only)
 */
export function isMetadataUrl(clientId: string, allowLoopbackHttp = false): boolean {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return false;
  }
  const httpOk = allowLoopbackHttp && url.protocol === "http:" &&
    ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !httpOk) return false;
  if (clientId.includes("#") || url.username || url.password) return false;
  if (url.pathname === "/" || /\/\.\.?(\/|$|\?)/.test(clientId)) return false;
  return clientId.length <= 1000;
}

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_DOCUMENT_BYTES) {
      await reader.cancel().catch(() => {});
      throw new OAuthError("invalid_client", "client metadata document too large");
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

/**
 * Fetch and validate the metadata document of `clientId`.
 * @param clientId the metadata URL
 * @param fetcher the guarded outbound fetch
 * @returns the client it describes (public: `token_endpoint_auth_method` `none`)
 * @throws {OAuthError} `invalid_client` when it cannot be fetched or is not valid
 */
export async function fetchClientMetadata(
  clientId: string,
  fetcher: typeof fetch,
): Promise<OAuthClient> {
  let res: Response;
  try {
    res = await fetcher(clientId, {
      headers: { accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch {
    throw new OAuthError("invalid_client", "client metadata document could not be fetched");
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    throw new OAuthError("invalid_client", `client metadata document answered ${res.status}`);
  }
  let parsed;
  try {
    parsed = DocumentSchema.safeParse(JSON.parse(await readCapped(res)));
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw new OAuthError("invalid_client", "client metadata document is not JSON");
  }
  if (!parsed.success) {
    throw new OAuthError("invalid_client", "client metadata document lacks redirect_uris");
  }
  const doc = parsed.data;
  if (doc.client_id !== clientId) {
    throw new OAuthError("invalid_client", "client metadata document names another client_id");
  }
  const method = doc.token_endpoint_auth_method ?? "none";
  if (method !== "none") {
    throw new OAuthError("invalid_client", `token_endpoint_auth_method ${method} not supported`);
  }
  for (const uri of doc.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new OAuthError("invalid_client", problem);
  }
  return {
    client_id: clientId,
    client_name: doc.client_name?.trim() || new URL(clientId).host,
    redirect_uris: doc.redirect_uris,
    kind: "cimd",
    auth_method: "none",
    secret_hash: null,
    created_at: new Date().toISOString(),
  };
}
