import assert from "node:assert/strict";
import { compareVersions, parseVersion, satisfies } from "../../runtime/pep440.ts";

Deno.test("pep440 - parses releases, pre, post, dev, epoch and local", () => {
  assert.deepEqual(parseVersion("2026.10.19")?.release, [2026, 10, 19]);
  assert.deepEqual(parseVersion("2.0.0rc1")?.pre, ["rc", 1]);
  assert.deepEqual(parseVersion("1.0a")?.pre, ["a", 0]);
  assert.equal(parseVersion("1.0.post2")?.post, 2);
  assert.equal(parseVersion("1.0-3")?.post, 3);
  assert.equal(parseVersion("1.0.dev4")?.dev, 4);
  assert.equal(parseVersion("1!2.0")?.epoch, 1);
  assert.equal(parseVersion("1.0+local.7")?.local, "local.7");
  assert.equal(parseVersion("not a version"), null);
});

Deno.test("pep440 - orders versions like pip", () => {
  const sorted = ["1.0.dev1", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.post1", "1.1", "2!0.1"];
  const shuffled = [...sorted].reverse();
  assert.deepEqual(shuffled.sort(compareVersions), sorted);
  assert.equal(compareVersions("1.0", "1.0.0"), 0);
  assert.ok(compareVersions("2026.10.19", "2025.12.1") > 0);
  assert.ok(compareVersions("0.10.0", "0.9.9") > 0);
});

Deno.test("pep440 - specifier sets as requires_python uses them", () => {
  assert.ok(satisfies("3.13.5", ">=3.10"));
  assert.ok(satisfies("3.13.5", ">=3.10,<3.14"));
  assert.ok(!satisfies("3.14.0", "<3.14,>=3.10"));
  assert.ok(!satisfies("3.11.2", ">=3.12"));
  assert.ok(satisfies("3.13.5", "~=3.11"));
  assert.ok(!satisfies("4.0", "~=3.11"));
  assert.ok(!satisfies("3.13.5", "~=3.11.0"));
  assert.ok(satisfies("3.13.5", "==3.13.*"));
  assert.ok(!satisfies("3.13.5", "!=3.13.*"));
  assert.ok(satisfies("3.13.5", " >= 3.6 , != 3.9.* "));
  assert.ok(satisfies("3.13.5", ""));
  assert.ok(satisfies("3.13.5", null));
  assert.ok(satisfies("3.13.5", ">=3.6, <4"));
});
