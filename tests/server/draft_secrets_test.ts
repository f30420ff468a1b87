/** @module Draft secrets: sealed with a per-process key, expiring, never opened from elsewhere. */
import assert from "node:assert/strict";
import { DraftSecrets } from "../../server/pages/draft_secrets.ts";
import { emptyEnvRow } from "../../views/types.ts";

Deno.test("DraftSecrets - a sealed value opens in the same process until it expires", async () => {
  let now = 1_000;
  const drafts = new DraftSecrets(60_000, () => now);
  const token = await drafts.seal("s3cret");
  assert.ok(!token.includes("s3cret"));
  assert.equal(await drafts.open(token), "s3cret");
  now += 60_001;
  assert.equal(await drafts.open(token), null);
});

Deno.test("DraftSecrets - tokens of another process, tampered or oversized tokens open to null", async () => {
  const a = new DraftSecrets();
  const b = new DraftSecrets();
  const token = await a.seal("value");
  assert.equal(await b.open(token), null);
  const sealed = JSON.parse(atob(token));
  sealed.data = sealed.data.slice(0, -4) + "AAAA";
  assert.equal(await a.open(btoa(JSON.stringify(sealed))), null);
  assert.equal(await a.open("not base64 at all!"), null);
  assert.equal(await a.open("A".repeat(70_000)), null);
  assert.equal(await a.open(""), null);
});

Deno.test("DraftSecrets - rows: secret values sealed for display, reopened on submit, new typing wins", async () => {
  const drafts = new DraftSecrets();
  const secret = { ...emptyEnvRow(), key: "TOKEN", secret: true, value: "tok" };
  const plain = { ...emptyEnvRow(), key: "REGION", value: "eu" };
  await drafts.sealRows([secret, plain]);
  assert.equal(secret.value, "");
  assert.ok(secret.sealed);
  assert.deepEqual([plain.value, plain.sealed], ["eu", ""]);
  const retyped = { ...secret, value: "new" };
  await drafts.openRows([secret, retyped]);
  assert.deepEqual([secret.value, secret.sealed], ["tok", ""]);
  assert.deepEqual([retyped.value, retyped.sealed], ["new", ""]);
});
