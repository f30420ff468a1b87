/**
 * The external authorization server option: JWTs verified by a JWKS served over real HTTP —
 * signature, issuer, audience, expiry and scope — and the bearer check on the MCP paths.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { ExternalIssuer, looksLikeJwt } from "../../../server/oauth/external_jwt.ts";
import { externalBearer } from "../../../server/auth/external_bearer.ts";
import type { AppEnv } from "../../../server/app/app_env.ts";

const enc = (o: unknown) =>
  btoa(typeof o === "string" ? o : JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");
const b64 = (b: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(b))).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");

async function keyPair(alg: "RS256" | "ES256") {
  const params = alg === "RS256"
    ? {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    }
    : { name: "ECDSA", namedCurve: "P-256" };
  const pair = await crypto.subtle.generateKey(params, true, ["sign", "verify"]) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return { pair, jwk: { ...jwk, kid: `k-${alg}`, alg } };
}

async function sign(
  k: Awaited<ReturnType<typeof keyPair>>,
  claims: Record<string, unknown>,
): Promise<string> {
  const alg = k.jwk.alg as string;
  const head = enc({ alg, kid: k.jwk.kid, typ: "JWT" });
  const body = enc(claims);
  const sig = await crypto.subtle.sign(
    alg === "RS256" ? { name: "RSASSA-PKCS1-v1_5" } : { name: "ECDSA", hash: "SHA-256" },
    k.pair.privateKey,
    new TextEncoder().encode(`${head}.${body}`),
  );
  return `${head}.${body}.${b64(sig)}`;
}

async function setup() {
  const rsa = await keyPair("RS256");
  const ec = await keyPair("ES256");
  let jwksHits = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    const origin = url.origin;
    if (url.pathname === "/.well-known/oauth-authorization-server") {
      return Response.json({ issuer: origin, jwks_uri: `${origin}/jwks` });
    }
    if (url.pathname === "/jwks") {
      jwksHits++;
      return Response.json({ keys: [rsa.jwk, ec.jwk] });
    }
    return new Response("no", { status: 404 });
  });
  const issuer = `http://127.0.0.1:${server.addr.port}`;
  return {
    rsa,
    ec,
    issuer,
    hits: () => jwksHits,
    verifier: new ExternalIssuer(issuer, fetch),
    close: () => server.shutdown(),
  };
}

const AUD = "https://router.example/mcp";
const now = () => Math.floor(Date.now() / 1000);

Deno.test("external JWT - valid RS256 and ES256 tokens pass; wrong iss/aud/exp/signature do not", async () => {
  const s = await setup();
  try {
    const good = {
      iss: s.issuer,
      aud: AUD,
      exp: now() + 300,
      sub: "u1",
      scope: "mcp",
      client_id: "claude",
    };
    assert.deepEqual(await s.verifier.verify(await sign(s.rsa, good), AUD), {
      subject: "u1",
      client: "claude",
      scopes: ["mcp"],
    });
    assert.equal(
      (await s.verifier.verify(
        await sign(s.ec, { ...good, scope: undefined, scp: ["mcp", "admin"] }),
        AUD,
      ))?.scopes.length,
      2,
    );
    assert.equal(s.hits(), 1, "keys are cached");
    assert.equal(
      await s.verifier.verify(await sign(s.rsa, { ...good, iss: "https://evil" }), AUD),
      null,
    );
    assert.equal(
      await s.verifier.verify(await sign(s.rsa, { ...good, aud: "https://other/mcp" }), AUD),
      null,
    );
    assert.equal(
      await s.verifier.verify(await sign(s.rsa, { ...good, exp: now() - 3600 }), AUD),
      null,
    );
    const token = await sign(s.rsa, good);
    const tampered = token.replace(/\.[^.]+\./, `.${enc({ ...good, scope: "admin" })}.`);
    assert.equal(await s.verifier.verify(tampered, AUD), null);
    const none = `${enc({ alg: "none" })}.${enc(good)}.`;
    assert.equal(await s.verifier.verify(none, AUD), null, "alg none is refused");
    assert.equal(await s.verifier.verify("not.a.jwt!", AUD), null);
    assert.equal(looksLikeJwt("mcpr_abc"), false);
  } finally {
    await s.close();
  }
});

Deno.test("external JWT - the bearer check sets the actor and enforces the scope", async () => {
  const s = await setup();
  try {
    const app = new Hono<AppEnv>();
    const limiter = { blocked: () => false, fail: () => {} };
    app.use("*", (c, next) => {
      const bearer = c.req.header("authorization")?.slice(7) ?? "";
      return externalBearer(
        c,
        next,
        { issuer: s.verifier, audience: AUD, limiter },
        bearer,
      ) as never;
    });
    app.all("*", (c) => c.json({ actor: c.get("actor"), scope: c.get("scope") }));
    const claims = {
      iss: s.issuer,
      aud: AUD,
      exp: now() + 300,
      sub: "u1",
      scope: "mcp",
      azp: "claude",
    };
    const token = await sign(s.rsa, claims);
    const ok = await app.request("/mcp", { headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(await ok.json(), { actor: "oauth:claude", scope: "mcp" });
    const api = await app.request("/api/servers", {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(api.status, 403, "an mcp token is not an admin one");
    assert.match(api.headers.get("www-authenticate") ?? "", /insufficient_scope/);
    const bad = await app.request("/mcp", { headers: { authorization: "Bearer a.b.c" } });
    assert.equal(bad.status, 401);
    await bad.body?.cancel();
  } finally {
    await s.close();
  }
});
