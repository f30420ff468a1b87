/**
 * @module Layering rules, checked on the source, with no exception list: imports point `main.ts` →
 * `server/` → `sandbox/` → `runtime/` (whose `foundation/` holds what every layer uses); views
 * take server types only and no store; no import cycles; `server/` keeps at most five loose
 * files; no product module is over 400 lines; no `jsr:`.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PRODUCT_DIRS = ["server", "runtime", "sandbox", "views"];
const MAX_MODULE_LINES = 400;
const MAX_LOOSE_SERVER_FILES = 5;

interface ImportRef {
  file: string;
  target: string;
  typeOnly: boolean;
}

async function* filesUnder(dir: string, pattern: RegExp): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      if (entry.name !== "__pycache__" && entry.name !== "node_modules") {
        yield* filesUnder(path, pattern);
      }
    } else if (pattern.test(entry.name)) yield path;
  }
}

const IMPORT_RE =
  /^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"|^import\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/gm;

/** Every import of one file, resolved to a repository-relative path where relative. */
async function importsOfFile(file: string): Promise<ImportRef[]> {
  const text = await Deno.readTextFile(join(ROOT, file));
  const refs: ImportRef[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[2] ?? m[3] ?? m[4];
    const target = spec.startsWith(".")
      ? relative(ROOT, join(ROOT, file, "..", spec)).replaceAll("\\", "/")
      : spec;
    refs.push({ file, target, typeOnly: Boolean(m[1]) });
  }
  return refs;
}

/** Every import of one folder's TypeScript files. */
async function importsOf(dir: string): Promise<ImportRef[]> {
  const refs: ImportRef[] = [];
  for await (const file of filesUnder(dir, /\.tsx?$/)) refs.push(...await importsOfFile(file));
  return refs;
}

/** Strongly connected components of more than one module (or a self-import), Tarjan's way. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return cycles;
}

Deno.test("architecture - runtime/ knows containers only: nothing of server, sandbox or views", async () => {
  const refs = await importsOf("runtime");
  assert.ok(refs.length > 20, "the scan found runtime imports");
  const bad = refs.filter((r) => /^(server|sandbox|views|static)\/|^main\.ts$/.test(r.target));
  assert.deepEqual(bad, []);
});

Deno.test("architecture - sandbox/ sits on runtime/ only: nothing of server or views", async () => {
  const refs = await importsOf("sandbox");
  assert.ok(refs.length > 5, "the scan found sandbox imports");
  const bad = refs.filter((r) => /^(server|views|static)\/|^main\.ts$/.test(r.target));
  assert.deepEqual(bad, []);
});

Deno.test("architecture - views are pure: server types only, no store, no runtime", async () => {
  const refs = await importsOf("views");
  const bad = refs.filter((r) =>
    (r.target.startsWith("server/") && !r.typeOnly) || r.target.startsWith("server/store/") ||
    /^(runtime|sandbox)\//.test(r.target) || r.target === "main.ts"
  );
  assert.deepEqual(bad, []);
});

Deno.test("architecture - no import cycles between the project's modules", async () => {
  const graph = new Map<string, string[]>();
  const files = ["main.ts"];
  for (const dir of PRODUCT_DIRS) for await (const f of filesUnder(dir, /\.tsx?$/)) files.push(f);
  for (const file of files) {
    const targets = (await importsOfFile(file)).map((r) => r.target).filter((t) =>
      files.includes(t)
    );
    graph.set(file, [...new Set(targets)]);
  }
  assert.ok(graph.size > 100, "the scan found the project's modules");
  assert.deepEqual(cyclesOf(graph), []);
});

Deno.test("architecture - the cycle finder finds cycles", () => {
  const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]], ["e", ["e"]]]);
  assert.deepEqual(cyclesOf(graph), [["a", "b", "c"], ["e"]]);
});

Deno.test("architecture - server/ keeps at most five loose files; the rest live in folders by job", async () => {
  const loose: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "server"))) {
    if (entry.isFile) loose.push(entry.name);
  }
  assert.ok(
    loose.length <= MAX_LOOSE_SERVER_FILES,
    `server/ has ${loose.length} loose files: ${loose.sort().join(", ")}`,
  );
});

Deno.test("architecture - no product module is over 400 lines", async () => {
  const long: string[] = [];
  const files = ["main.ts"];
  for (const dir of [...PRODUCT_DIRS, "static"]) {
    for await (const f of filesUnder(dir, /\.(tsx?|py|js)$/)) files.push(f);
  }
  for (const file of files) {
    if (/\.min\.|vendor\//.test(file)) continue;
    const lines = (await Deno.readTextFile(join(ROOT, file))).split("\n").length - 1;
    if (lines > MAX_MODULE_LINES) long.push(`${file} (${lines})`);
  }
  assert.deepEqual(long, []);
});

Deno.test("architecture - nothing imports main.ts, and no jsr: specifiers", async () => {
  for (const dir of PRODUCT_DIRS) {
    for (const r of await importsOf(dir)) {
      assert.notEqual(r.target, "main.ts", `${r.file} imports main.ts`);
      assert.ok(!r.target.startsWith("jsr:"), `${r.file} imports ${r.target}`);
    }
  }
});
