/**
 * @module Client ID Metadata Documents: the router fetches the document at the `client_id` URL
 * (through the SSRF-safe fetch; loopback only in the test mode), shows its name on the consent
 * page, and refuses a document that names another client or a redirect URI it does not list.
 */
import assert from "node:assert/strict";
import { tmpRouter } from "../../helpers.ts";
import { approveConsent, authorizeQuery, pkcePair, postForm, REDIRECT } from "./oauth_helpers.ts";

function serveDocument(doc: (url: string) => unknown) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    return Response.json(doc(req.url));
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/client.json`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("OAuth - a client id metadata document is fetched and its client authorized", async () => {
  await using doc = serveDocument((url) => ({
    client_id: url,
    client_name: "Doc Client",
    redirect_uris: [REDIRECT],
    token_endpoint_auth_method: "none",
  }));
  // the test mode lets a loopback document through the outbound guard
  await using r = await tmpRouter({ oauthTestClient: "conformance" });
  const { verifier, challenge } = pkcePair();
  const query = authorizeQuery(doc.url, challenge);
  const page = await r.app.request(`/oauth/authorize?${query}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Doc Client/);
  const back = await approveConsent(r.app, query, "");
  const res = await postForm(r.app, "/oauth/token", {
    grant_type: "authorization_code",
    code: back.searchParams.get("code") ?? "",
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    client_id: doc.url,
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
});

Deno.test("OAuth - a document naming another client_id is refused", async () => {
  await using doc = serveDocument(() => ({
    client_id: "https://someone.else/client.json",
    redirect_uris: [REDIRECT],
  }));
  await using r = await tmpRouter({ oauthTestClient: "conformance" });
  const res = await r.app.request(
    `/oauth/authorize?${authorizeQuery(doc.url, pkcePair().challenge)}`,
  );
  assert.equal(res.status, 400);
  assert.match(await res.text(), /another client_id/);
});

Deno.test("OAuth - without the test mode a loopback document URL is no client", async () => {
  let fetched = 0;
  await using doc = serveDocument((url) => {
    fetched++;
    return { client_id: url, redirect_uris: [REDIRECT] };
  });
  await using r = await tmpRouter();
  const res = await r.app.request(
    `/oauth/authorize?${authorizeQuery(doc.url, pkcePair().challenge)}`,
  );
  assert.equal(res.status, 400);
  await res.body?.cancel();
  assert.equal(fetched, 0, "nothing was fetched from loopback");
});
