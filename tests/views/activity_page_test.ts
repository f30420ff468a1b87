/**
 * Activity page rendering: the error of a failed call (one line, the long text folded), times
 * with their zone in `<time datetime>`, exit 143/137 after a router stop as "stopped", one label
 * for the local operator, and filter-keeping paging links.
 */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { ActivityPage, type ActivityPageProps } from "../../views/pages/ActivityPage.tsx";
import type { AuditEntry, ContainerSession } from "../../server/schemas/records.ts";
import { AUDIT_KINDS, LOCAL_ACTORS } from "../../server/schemas/audit_filter.ts";
import { AUDIT_KIND_LABELS } from "../../views/partials/AuditFilters.tsx";
import {
  activityHref,
  actorLabel,
  errorParts,
  LOCAL_ACTOR_NAMES,
  sessionOutcome,
  utcText,
} from "../../views/activity_format.ts";

function entry(over: Partial<AuditEntry>): AuditEntry {
  return {
    id: "0000000001-aaaaaaaa",
    at: "2026-12-01T14:05:12.345Z",
    actor: "local",
    action: "tool.call",
    target: "brave",
    outcome: "ok",
    details: { tool: "search", session: "s1" },
    ...over,
  };
}

function session(over: Partial<ContainerSession>): ContainerSession {
  return {
    id: "0000000001-bbbbbbbb",
    client_session: "c",
    server_id: "i",
    server_name: "brave",
    container_id: "abc",
    started_at: "2026-12-01T14:00:00Z",
    stopped_at: "2026-12-01T14:10:00Z",
    exit_code: null,
    error: null,
    ...over,
  };
}

function page(over: Partial<ActivityPageProps>): string {
  return renderToString(
    ActivityPage({
      audit: [],
      sessions: [],
      olderAudit: null,
      olderSessions: null,
      paged: false,
      ...over,
    }),
  );
}

Deno.test("Activity view - a failed call shows its error on one line, long text folded", () => {
  const short = page({
    audit: [entry({
      outcome: "error",
      details: { tool: "search", session: "s1", error: "BRAVE_API_KEY is not valid" },
    })],
  });
  assert.match(short, /<p class="audit-error">BRAVE_API_KEY is not valid<\/p>/);
  assert.match(short, /tag tag-bad">error</);
  const long = "Error: request failed\n" + "x".repeat(300);
  const folded = page({
    audit: [entry({ outcome: "error", details: { error: long } })],
  });
  assert.match(folded, /<details class="audit-error"><summary>Error: request failed<\/summary>/);
  assert.ok(folded.includes("x".repeat(300)), "the full text is in the fold");
  // An ok entry with an `error` key (a test report with null error) shows no error line.
  assert.ok(!page({ audit: [entry({ details: { error: null } })] }).includes("audit-error"));
  assert.deepEqual(errorParts("one line"), { line: "one line" });
});

Deno.test("Activity view - times carry their zone in a <time datetime> element", () => {
  const html = page({ audit: [entry({})], sessions: [session({})] });
  assert.match(
    html,
    /<time datetime="2026-12-01T14:05:12.345Z" data-local="" title="2026-12-01 14:05:12 UTC" class="nowrap">2026-12-01 14:05:12 UTC<\/time>/,
  );
  assert.match(html, /<time datetime="2026-12-01T14:00:00Z"[^>]*>2026-12-01 14:00:00 UTC</);
  assert.equal(utcText("not a date"), "not a date");
});

Deno.test("Activity view - exit 143/137 after a router stop reads stopped; other exits fail", () => {
  const idle = sessionOutcome(session({ exit_code: 143, stop_reason: "idle" }));
  assert.equal(idle.label, "stopped");
  assert.equal(idle.tone, "ok");
  assert.match(idle.note ?? "", /143 \(SIGTERM, idle\)/);
  assert.equal(sessionOutcome(session({ exit_code: 137, stop_reason: "shutdown" })).tone, "ok");
  // Records made before the reason was kept: a signal exit without an error is a normal stop.
  assert.equal(sessionOutcome(session({ exit_code: 143 })).label, "stopped");
  assert.equal(sessionOutcome(session({ exit_code: 143, stop_reason: "crashed" })).tone, "bad");
  assert.deepEqual(sessionOutcome(session({ exit_code: 1, stop_reason: "idle" })), {
    label: "exited",
    tone: "bad",
    note: "exit 1",
  });
  assert.equal(sessionOutcome(session({ exit_code: 0 })).label, "stopped");
  assert.equal(sessionOutcome(session({ error: "boom", exit_code: 2 })).label, "failed");
  assert.equal(sessionOutcome(session({ stopped_at: null })).label, "running");
  const html = page({ sessions: [session({ exit_code: 143, stop_reason: "session_ended" })] });
  assert.match(html, /tag tag-ok">stopped<\/span><span class="muted small"> exit 143 \(SIGTERM/);
  assert.ok(!html.includes("tag-bad"));
});

Deno.test("Activity view - local and admin are one person; keys and OAuth clients stay apart", () => {
  assert.equal(actorLabel("local"), "you (local admin)");
  assert.equal(actorLabel("admin"), "you (local admin)");
  assert.equal(actorLabel("key:laptop"), "key:laptop");
  assert.equal(actorLabel("oauth:Claude"), "oauth:Claude");
  // The view's lists and the store filter's are the same.
  assert.deepEqual([...LOCAL_ACTOR_NAMES], [...LOCAL_ACTORS]);
  assert.deepEqual(Object.keys(AUDIT_KIND_LABELS), [...AUDIT_KINDS]);
  const html = page({
    audit: [
      entry({ id: "a", actor: "local" }),
      entry({ id: "b", actor: "admin" }),
      entry({ id: "c", actor: "key:admin" }),
    ],
  });
  const actors = [...html.matchAll(/<td data-label="Actor" class="actor">([^<]*)<\/td>/g)]
    .map((m) => m[1]);
  assert.deepEqual(actors, ["you (local admin)", "you (local admin)", "key:admin"]);
});

Deno.test("Activity view - filters are a GET form; paging links keep them", () => {
  const html = page({
    audit: [entry({})],
    filter: { kind: "tools", outcome: "error", actor: "local" },
    actors: ["local", "key:laptop"],
    servers: ["brave", "github"],
    olderAudit: "0000000001-aaaaaaaa",
    olderSessions: "0000000002-bbbbbbbb",
    paged: true,
  });
  assert.match(html, /<form method="get" action="\/activity" class="inline-form audit-filters"/);
  for (const name of ["actor", "kind", "outcome", "server"]) {
    assert.match(html, new RegExp(`<label for="f-${name}">`), name);
    assert.match(html, new RegExp(`<select id="f-${name}" name="${name}"`), name);
  }
  assert.match(html, /<option\s+value="tools" selected>Tool calls<\/option>/);
  assert.match(html, /<option\s+value="local" selected>you \(local admin\)<\/option>/);
  assert.match(html, /<option\s+value="github"\s*>github<\/option>/);
  assert.match(
    html,
    /href="\/activity\?actor=local&amp;kind=tools&amp;outcome=error&amp;before=0000000001-aaaaaaaa">Older entries/,
  );
  assert.match(html, /href="\/activity\?actor=local&amp;kind=tools&amp;outcome=error">Newest/);
  assert.match(html, /href="\/activity">Clear filters/);
  assert.match(html, /sessions_before=0000000002-bbbbbbbb#sessions">Older sessions/);
  assert.equal(activityHref({}), "/activity");
  assert.equal(activityHref({ before: "x" }), "/activity?before=x");
  const empty = page({ filter: { outcome: "error" } });
  assert.match(empty, /No entries match these filters/);
  assert.ok(!page({}).includes("Clear filters"));
  assert.match(page({ partialScan: 2000 }), /Looked through 2000 entries/);
});
