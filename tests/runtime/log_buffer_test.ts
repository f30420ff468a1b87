import assert from "node:assert/strict";
import {
  appendLog,
  clearLogs,
  getLogs,
  lineSplitter,
  MAX_LINES_PER_SERVER,
} from "../../runtime/log_buffer.ts";
import { registerSecret } from "../../runtime/foundation/log.ts";

Deno.test("log buffer - keeps the last lines, oldest first, capped", () => {
  clearLogs("lb1");
  for (let i = 0; i < MAX_LINES_PER_SERVER + 10; i++) appendLog("lb1", `line ${i}`);
  const all = getLogs("lb1", { lines: MAX_LINES_PER_SERVER + 100 });
  assert.equal(all.length, MAX_LINES_PER_SERVER);
  assert.equal(all[0].line, "line 10");
  assert.deepEqual(getLogs("lb1", { lines: 2 }).map((l) => l.line), [
    `line ${MAX_LINES_PER_SERVER + 8}`,
    `line ${MAX_LINES_PER_SERVER + 9}`,
  ]);
  assert.deepEqual(getLogs("nobody"), []);
});

Deno.test("log buffer - since filter and sources", () => {
  clearLogs("lb2");
  appendLog("lb2", "old", { now: new Date("2025-01-01T00:00:00Z") });
  appendLog("lb2", "new", { now: new Date("2025-01-02T00:00:00Z"), source: "router" });
  const recent = getLogs("lb2", { since: "2025-01-01T12:00:00Z" });
  assert.deepEqual(recent.map((l) => [l.line, l.source]), [["new", "router"]]);
});

Deno.test("log buffer - secrets are redacted, even when registered later", () => {
  clearLogs("lb3");
  appendLog("lb3", "token is late-secret-123");
  registerSecret("late-secret-123");
  appendLog("lb3", "again early late-secret-123");
  for (const l of getLogs("lb3")) assert.ok(!l.line.includes("late-secret-123"), l.line);
});

Deno.test("log buffer - line splitter handles partial chunks", () => {
  const lines: string[] = [];
  const s = lineSplitter((l) => lines.push(l));
  const enc = new TextEncoder();
  s.push(enc.encode("ab"));
  s.push(enc.encode("c\r\nde"));
  s.push(enc.encode("f\ntail"));
  s.flush();
  assert.deepEqual(lines, ["abc", "def", "tail"]);
});
