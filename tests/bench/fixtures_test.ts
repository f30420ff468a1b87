/**
 * @module Checks the tool-search benchmark data: every capture parses, the captures span enough
 * real servers, and every expected tool of every query exists in them.
 */
import assert from "node:assert/strict";
import { loadToolCaptures, loadToolSearchQueries } from "./tool_fixtures.ts";

const captures = await loadToolCaptures();
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
/** The ranker was tuned on these two files. */
const tuning = [
  ...await loadToolSearchQueries(),
  ...await loadToolSearchQueries(fixture("tool_search_heldout.json")),
  ...await loadToolSearchQueries(fixture("tool_search_heldout2.json")),
];
/** Never tuned on. */
const heldout = await loadToolSearchQueries(fixture("tool_search_heldout3.json"));
const queries = [...tuning, ...heldout];

Deno.test("Tool fixtures - at least 20 real servers and 300 tools, names unique per server", () => {
  assert.ok(captures.length >= 20, `${captures.length} servers`);
  const total = captures.reduce((n, c) => n + c.tools.length, 0);
  assert.ok(total >= 300, `${total} tools`);
  for (const capture of captures) {
    const names = capture.tools.map((t) => t.name);
    assert.equal(new Set(names).size, names.length, `duplicate tool name in ${capture.server}`);
  }
  assert.equal(new Set(captures.map((c) => c.server)).size, captures.length);
});

Deno.test("Tool fixtures - each capture file is named after its server", async () => {
  const dir = new URL("./fixtures/tools/", import.meta.url);
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".json")) continue;
    const server = entry.name.slice(0, -".json".length);
    assert.ok(captures.some((c) => c.server === server), `${entry.name} has another server name`);
  }
});

Deno.test("Tool fixtures - at least 60 tuning and 100 held-out queries, all distinct", () => {
  assert.ok(tuning.length >= 60, `${tuning.length} tuning queries`);
  assert.ok(heldout.length >= 100, `${heldout.length} held-out queries`);
  const texts = queries.map((q) => q.query.trim().toLowerCase());
  assert.equal(new Set(texts).size, texts.length, "duplicate query");
});

Deno.test("Tool fixtures - every expected tool exists in the captures", () => {
  const known = new Map(captures.map((c) => [c.server, new Set(c.tools.map((t) => t.name))]));
  for (const q of queries) {
    for (const ref of q.expected) {
      assert.ok(known.get(ref.server)?.has(ref.tool), `"${q.query}": ${ref.server}/${ref.tool}`);
    }
    const keys = q.expected.map((r) => `${r.server}/${r.tool}`);
    assert.equal(new Set(keys).size, keys.length, `"${q.query}" repeats an expected tool`);
  }
});

Deno.test("Tool fixtures - queries cover at least 20 servers and are not bare tool names", () => {
  for (const [file, least] of [[tuning, 20], [heldout, 25]] as const) {
    const covered = new Set(file.flatMap((q) => q.expected.map((r) => r.server)));
    assert.ok(covered.size >= least, `${covered.size} servers covered`);
  }
  const toolNames = new Set(captures.flatMap((c) => c.tools.map((t) => t.name.toLowerCase())));
  for (const q of queries) assert.ok(!toolNames.has(q.query.trim().toLowerCase()), q.query);
});
