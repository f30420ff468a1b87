/**
 * Audit pages over KV: filters (actor — `admin` finds `local` too —, kind, outcome, server),
 * `before` paging with an exact `next` cursor, and a bounded scan for rare filters.
 */
import assert from "node:assert/strict";
import { KvStore } from "../../../server/store/kv_store.ts";
import { auditKind, matchesAuditFilter } from "../../../server/schemas/audit_filter.ts";
import { quietLogs } from "../../helpers.ts";

async function seeded(): Promise<KvStore> {
  quietLogs();
  const store = await KvStore.open({ dataDir: ":memory:" });
  const rows = [
    { actor: "local", action: "server.create", target: "brave" },
    { actor: "admin", action: "tool.call", target: "brave", outcome: "error" as const },
    { actor: "key:laptop", action: "tool.call", target: "github" },
    { actor: "oauth:Claude", action: "oauth.approve" },
    { actor: "cli", action: "api_key.create", target: "ci" },
    { actor: "local", action: "key.revoke", target: "old" },
  ];
  for (let round = 0; round < 10; round++) {
    for (const r of rows) await store.appendAudit({ ...r, details: { round } });
  }
  return store;
}

Deno.test("Audit store - kinds of action", () => {
  assert.equal(auditKind("tool.call"), "tools");
  assert.equal(auditKind("server.env.set"), "servers");
  assert.equal(auditKind("config.install"), "servers");
  assert.equal(auditKind("api_key.create"), "keys");
  assert.equal(auditKind("key.revoke"), "keys");
  assert.equal(auditKind("secrets.rotate"), "keys");
  assert.equal(auditKind("admin.login"), "auth");
  assert.equal(auditKind("oauth.revoke"), "auth");
  assert.equal(auditKind("something.else"), "other");
});

Deno.test("Audit store - pages filter by actor, kind, outcome and server", async () => {
  const store = await seeded();
  try {
    const local = await store.pageAudit({ filter: { actor: "local" } });
    assert.equal(local.entries.length, 30);
    assert.deepEqual(new Set(local.entries.map((e) => e.actor)), new Set(["local", "admin"]));
    const asAdmin = await store.pageAudit({ filter: { actor: "ADMIN" } });
    assert.equal(asAdmin.entries.length, 30);
    const key = await store.pageAudit({ filter: { actor: "key:laptop" } });
    assert.equal(key.entries.length, 10);
    const tools = await store.pageAudit({ filter: { kind: "tools" } });
    assert.equal(tools.entries.length, 20);
    assert.ok(tools.entries.every((e) => e.action === "tool.call"));
    const errors = await store.pageAudit({ filter: { outcome: "error" } });
    assert.equal(errors.entries.length, 10);
    assert.ok(errors.entries.every((e) => e.outcome === "error" && e.actor === "admin"));
    const brave = await store.pageAudit({ filter: { server: "Brave", kind: "tools" } });
    assert.equal(brave.entries.length, 10);
    const keys = await store.pageAudit({ filter: { kind: "keys", actor: "local" } });
    assert.deepEqual(new Set(keys.entries.map((e) => e.action)), new Set(["key.revoke"]));
    assert.ok(
      !matchesAuditFilter(keys.entries[0], { outcome: "error" }) &&
        matchesAuditFilter(keys.entries[0], {}),
    );
  } finally {
    store.close();
  }
});

Deno.test("Audit store - before paging: exact next cursor, no page left empty", async () => {
  const store = await seeded();
  try {
    // Unfiltered: 60 entries, pages of 25, 25, 10.
    const seen: string[] = [];
    let before: string | undefined;
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await store.pageAudit({ limit: 25, before });
      sizes.push(page.entries.length);
      seen.push(...page.entries.map((e) => e.id));
      if (!page.next) break;
      before = page.next;
    }
    assert.deepEqual(sizes, [25, 25, 10]);
    assert.equal(new Set(seen).size, 60);
    assert.deepEqual(seen, [...seen].sort().reverse(), "newest first");
    // Filtered: 20 tool calls in pages of 10 — the second page has no Older link.
    const first = await store.pageAudit({ limit: 10, filter: { kind: "tools" } });
    assert.equal(first.entries.length, 10);
    assert.ok(first.next);
    const second = await store.pageAudit({
      limit: 10,
      before: first.next!,
      filter: { kind: "tools" },
    });
    assert.equal(second.entries.length, 10);
    assert.equal(second.next, null);
    assert.equal(new Set([...first.entries, ...second.entries].map((e) => e.id)).size, 20);
    // Exactly `limit` left: no cursor to an empty page.
    const all = await store.pageAudit({ limit: 60 });
    assert.equal(all.entries.length, 60);
    assert.equal(all.next, null);
    assert.deepEqual(await store.listAudit({ limit: 60 }), all.entries);
  } finally {
    store.close();
  }
});

Deno.test("Audit store - a rare filter reads a bounded number of entries and says so", async () => {
  const store = await seeded();
  try {
    const page = await store.pageAudit({ limit: 11, filter: { outcome: "error" }, scanLimit: 12 });
    assert.ok(page.entries.length < 11, "only 10 errors exist: the page cannot fill");
    assert.ok(page.entries.every((e) => e.outcome === "error"));
    assert.equal(page.scanned, 12);
    assert.equal(page.partial, true);
    assert.ok(page.next);
    const rest = await store.pageAudit({
      limit: 50,
      before: page.next!,
      filter: { outcome: "error" },
    });
    assert.equal(new Set([...page.entries, ...rest.entries].map((e) => e.id)).size, 10);
    assert.equal(rest.partial, undefined);
  } finally {
    store.close();
  }
});
