/**
 * @module An external authorization server instead of the embedded one (`MCP_ROUTER_OAUTH_ISSUER`):
 * bearer JWTs are verified by the issuer's JWKS — signature (RS256/384/512, PS256, ES256/384),
 * `iss`, `aud` (the router's `/mcp` URI or `MCP_ROUTER_OAUTH_AUDIENCE`), `exp`/`nbf` (60 s leeway)
 * and the `mcp`/`admin` scope (`scope` or `scp`). The JWKS URI comes from the issuer's metadata
 * (RFC 8414, then OpenID discovery); keys are cached for 10 minutes and refetched (at most every
 * 30 s) when a token names an unknown `kid`. Fetched through the SSRF-safe outbound fetch.
 */
import { z } from "zod";

/** What a verified token says. */
export interface ExternalClaims {
  subject: string;
  client: string;
  scopes: string[];
}

const JwkSchema = z.object({
  kid: z.string().optional(),
  kty: z.string(),
  alg: z.string().optional(),
})
  .passthrough();
const JwksSchema = z.object({ keys: z.array(JwkSchema) });
const HeaderSchema = z.object({ alg: z.string(), kid: z.string().optional() });
const ClaimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  nbf: z.number().optional(),
  sub: z.string().default(""),
  scope: z.string().optional(),
  scp: z.union([z.string(), z.array(z.string())]).optional(),
  client_id: z.string().optional(),
  azp: z.string().optional(),
}).passthrough();

const ALGS: Record<
  string,
  {
    import: RsaHashedImportParams | EcKeyImportParams;
    verify: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  }
> = {
  RS256: {
    import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    verify: { name: "RSASSA-PKCS1-v1_5" },
  },
  RS384: {
    import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-384" },
    verify: { name: "RSASSA-PKCS1-v1_5" },
  },
  RS512: {
    import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-512" },
    verify: { name: "RSASSA-PKCS1-v1_5" },
  },
  PS256: {
    import: { name: "RSA-PSS", hash: "SHA-256" },
    verify: { name: "RSA-PSS", saltLength: 32 } as RsaPssParams,
  },
  ES256: {
    import: { name: "ECDSA", namedCurve: "P-256" },
    verify: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
  },
  ES384: {
    import: { name: "ECDSA", namedCurve: "P-384" },
    verify: { name: "ECDSA", hash: "SHA-384" } as EcdsaParams,
  },
};

const KEYS_TTL_MS = 10 * 60_000;
const REFETCH_MIN_MS = 30_000;
const LEEWAY_S = 60;

function b64url(part: string): Uint8Array<ArrayBuffer> {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(
    Math.ceil(part.length / 4) * 4,
    "=",
  );
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

function json(part: string): unknown {
  return JSON.parse(new TextDecoder().decode(b64url(part)));
}

/** Whether a bearer looks like a JWT (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token) && token.length < 16_384;
}

/** Verifies JWTs of one external issuer. */
export class ExternalIssuer {
  #keys: { at: number; jwks: z.infer<typeof JwksSchema> } | null = null;
  #lastFetch = 0;
  #jwksUri: string | null = null;

  /**
   * @param issuer the issuer URL (`iss` must equal it)
   * @param fetchFn the SSRF-safe outbound fetch
   * @param jwksUri the JWKS URI, when not taken from the issuer's metadata
   */
  constructor(
    readonly issuer: string,
    private readonly fetchFn: typeof fetch,
    jwksUri?: string,
  ) {
    this.#jwksUri = jwksUri ?? null;
  }

  /**
   * Verify a JWT for `audience`; null when it is not valid (never throws for bad tokens).
   * @param token the bearer
   * @param audience the accepted `aud`
   * @param now seconds since the epoch (tests)
   */
  async verify(
    token: string,
    audience: string,
    now = Date.now() / 1000,
  ): Promise<ExternalClaims | null> {
    if (!looksLikeJwt(token)) return null;
    const [h, p, s] = token.split(".");
    let header: z.infer<typeof HeaderSchema>;
    let claims: z.infer<typeof ClaimsSchema>;
    try {
      header = HeaderSchema.parse(json(h));
      claims = ClaimsSchema.parse(json(p));
    } catch {
      return null;
    }
    const alg = ALGS[header.alg];
    if (!alg) return null; // `none` and HMAC are refused
    if (claims.iss !== this.issuer) return null;
    const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!auds.includes(audience)) return null;
    if (claims.exp + LEEWAY_S < now || (claims.nbf !== undefined && claims.nbf - LEEWAY_S > now)) {
      return null;
    }
    const jwk = await this.#key(header.kid, header.alg);
    if (!jwk) return null;
    try {
      const key = await crypto.subtle.importKey("jwk", jwk as JsonWebKey, alg.import, false, [
        "verify",
      ]);
      const ok = await crypto.subtle.verify(
        alg.verify,
        key,
        b64url(s),
        new TextEncoder().encode(`${h}.${p}`),
      );
      if (!ok) return null;
    } catch {
      return null;
    }
    const scopes = claims.scope?.split(" ").filter(Boolean) ??
      (Array.isArray(claims.scp) ? claims.scp : claims.scp?.split(" ") ?? []);
    return {
      subject: claims.sub,
      client: claims.client_id ?? claims.azp ?? claims.sub,
      scopes,
    };
  }

  async #key(kid: string | undefined, alg: string): Promise<Record<string, unknown> | null> {
    const pick = (jwks: z.infer<typeof JwksSchema>) =>
      jwks.keys.find((k) => (kid === undefined || k.kid === kid) && (!k.alg || k.alg === alg)) ??
        null;
    const fresh = this.#keys && Date.now() - this.#keys.at < KEYS_TTL_MS;
    const found = this.#keys ? pick(this.#keys.jwks) : null;
    if (found && fresh) return found;
    if (Date.now() - this.#lastFetch < REFETCH_MIN_MS) return found;
    this.#lastFetch = Date.now();
    try {
      const jwks = JwksSchema.parse(await this.#getJson(await this.#jwksLocation()));
      this.#keys = { at: Date.now(), jwks };
      return pick(jwks);
    } catch {
      return found;
    }
  }

  async #jwksLocation(): Promise<string> {
    if (this.#jwksUri) return this.#jwksUri;
    const base = this.issuer.replace(/\/+$/, "");
    const u = new URL(base);
    const suffix = u.pathname === "/" ? "" : u.pathname;
    for (
      const doc of [
        `${u.origin}/.well-known/oauth-authorization-server${suffix}`,
        `${base}/.well-known/openid-configuration`,
      ]
    ) {
      try {
        const meta = z.object({ jwks_uri: z.string().url() }).passthrough().parse(
          await this.#getJson(doc),
        );
        this.#jwksUri = meta.jwks_uri;
        return meta.jwks_uri;
      } catch {
        // next discovery document
      }
    }
    throw new Error(`no jwks_uri in ${this.issuer}'s metadata`);
  }

  async #getJson(url: string): Promise<unknown> {
    const res = await this.fetchFn(url, { headers: { accept: "application/json" } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`${url}: HTTP ${res.status}`);
    }
    return await res.json();
  }
}
