/**
 * @module Layering rules, checked on the source: imports point `main.ts` → `server/` → `sandbox/`
 * → `runtime/`; below `server/` only its leaf foundation modules (settings, log, errors, record
 * schemas — which import nothing of ours) may be used; views take server types only; no `jsr:`.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Server modules that lower layers may import: leaves that import nothing of the project. */
const SERVER_FOUNDATION = new Set([
  "server/settings.ts",
  "server/errors.ts",
  "server/schemas/server.ts",
]);

interface ImportRef {
  file: string;
  target: string;
  typeOnly: boolean;
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

const IMPORT_RE = /^(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/gm;

/** Every import of one folder's files, resolved to repository-relative paths where relative. */
async function importsOf(dir: string): Promise<ImportRef[]> {
  const refs: ImportRef[] = [];
  for await (const file of sourceFiles(dir)) {
    const text = await Deno.readTextFile(join(ROOT, file));
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[3] ?? m[4];
      const target = spec.startsWith(".")
        ? relative(ROOT, join(ROOT, file, "..", spec)).replaceAll("\\", "/")
        : spec;
      refs.push({ file, target, typeOnly: Boolean(m[2]) });
    }
  }
  return refs;
}

Deno.test("architecture - the foundation modules import nothing of the project", async () => {
  for (const file of SERVER_FOUNDATION) {
    const text = await Deno.readTextFile(join(ROOT, file));
    assert.doesNotMatch(text, /from\s+"\.{1,2}\//, `${file} must stay a leaf`);
  }
});

Deno.test("architecture - runtime/ knows containers only: no server, sandbox or views", async () => {
  const refs = await importsOf("runtime");
  assert.ok(refs.length > 20, "the scan found runtime imports");
  const bad = refs.filter((r) =>
    /^(sandbox|views|static)\/|^main\.ts$/.test(r.target) ||
    (r.target.startsWith("server/") && !SERVER_FOUNDATION.has(r.target))
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture - sandbox/ sits on runtime/, not on the router", async () => {
  const refs = await importsOf("sandbox");
  const bad = refs.filter((r) =>
    /^(views|static)\/|^main\.ts$/.test(r.target) ||
    (r.target.startsWith("server/") && !SERVER_FOUNDATION.has(r.target))
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture - views are pure: server types only, no runtime", async () => {
  const refs = await importsOf("views");
  const bad = refs.filter((r) =>
    (r.target.startsWith("server/") && !r.typeOnly) || /^(runtime|sandbox)\//.test(r.target) ||
    r.target === "main.ts"
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture - nothing imports main.ts, and no jsr: specifiers", async () => {
  for (const dir of ["server", "runtime", "sandbox", "views"]) {
    for (const r of await importsOf(dir)) {
      assert.notEqual(r.target, "main.ts", `${r.file} imports main.ts`);
      assert.ok(!r.target.startsWith("jsr:"), `${r.file} imports ${r.target}`);
    }
  }
});
