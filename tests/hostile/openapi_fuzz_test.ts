/**
 * Hostile input - property-based fuzzing of the REST API from its own OpenAPI document: for
 * every operation, path and query parameters (conforming, traversal, NUL, very long, unicode)
 * and bodies (conforming, mutated, arbitrary, deep, not JSON, wrong content-type, too large).
 * No response may be an undocumented 5xx; every 4xx has a JSON `{error: {code, message}}` body;
 * and no rejected request changes the store.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type HostileRouter,
  hostileRouter,
  snapshotDiff,
  snapshotStore,
  Tally,
} from "./helpers.ts";
import { deepJsonText, hostileString, type JsonSchema, mutated, schemaArb } from "./schema_arb.ts";
import { storeProblems } from "./store_check.ts";
import { PlanSchema } from "../../server/schemas/server.ts";

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodySchema: JsonSchema | null;
  responses: string[];
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<string, {
      parameters?: Parameter[];
      requestBody?: { content: Record<string, { schema: JsonSchema }> };
      responses: Record<string, unknown>;
    }>
  >;
  components: { schemas: Record<string, JsonSchema> };
}

/** What one generated request is made of. */
interface Generated {
  params: Record<string, { value: string; encode: boolean }>;
  query: [string, string][];
  body:
    | { kind: "none" }
    | { kind: "json"; value: unknown; label: string }
    | { kind: "text"; text: string; type: string; label: string };
  ifMatch: string | null;
}

const RUNS_PER_OPERATION = 60;
const MAX_BODY = 65_536;
const SEEDS = ["seed-npx", "seed-remote"] as const;
const ASCII_HOSTILE = hostileString.filter((s) => /^[\x20-\x7e]*$/.test(s));

function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        bodySchema: op.requestBody?.content["application/json"]?.schema ?? null,
        responses: Object.keys(op.responses),
      });
    }
  }
  return ops;
}

async function ensureSeeds(r: HostileRouter): Promise<Map<string, string>> {
  const store = r.services.store;
  const ids = new Map<string, string>();
  for (const name of SEEDS) {
    let found = await store.findServer(name);
    if (!found) {
      found = await store.createServer(PlanSchema.parse(
        name === "seed-npx"
          ? {
            name,
            runtime: "npx",
            command: "npx",
            args: ["-y", "@modelcontextprotocol/server-memory"],
            env: [{ key: "API_KEY", description: "", required: true, secret: true }],
          }
          : { name, runtime: "remote", url: "http://127.0.0.1:9/mcp" },
      ));
      await store.setEnv(found.id, "API_KEY", "s3cr3t-value", true);
      await store.setEnv(found.id, "PLAIN", "plain", false);
    }
    ids.set(name, found.id);
  }
  return ids;
}

function paramArb(param: Parameter, resolve: (ref: string) => JsonSchema) {
  const seeds = fc.constantFrom("$seed-npx", "$seed-remote", "seed-npx", "seed-remote");
  const value = param.name === "id"
    ? fc.oneof(
      { weight: 5, arbitrary: seeds },
      { weight: 1, arbitrary: schemaArb(param.schema, resolve).map(String) },
      { weight: 4, arbitrary: hostileString },
    )
    : fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom("API_KEY", "PLAIN", "NEW_VALUE") },
      { weight: 3, arbitrary: schemaArb(param.schema, resolve).map(String) },
      { weight: 4, arbitrary: hostileString },
    );
  const encode = fc.oneof(
    { weight: 3, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  );
  return fc.record({ value, encode });
}

/** Plausible bodies for operations whose schema alone rarely yields an accepted request. */
function plausibleBody(op: Operation): fc.Arbitrary<unknown> | null {
  const key = `${op.method} ${op.path}`;
  if (key === "POST /api/servers/analyze") {
    // loopback only: GitHub is a local stub, remote URLs point at a closed local port
    return fc.record({
      source: fc.constantFrom(
        "npx:@modelcontextprotocol/server-memory",
        "uvx:mcp-server-fetch",
        "image:localhost/some-image:1",
        "https://github.com/owner/repo",
        "http://127.0.0.1:9/mcp",
        "npx:../../etc/passwd",
        "uvx:$(id)",
        "image:;rm -rf /",
      ),
      verify: fc.constant(false),
    }, { requiredKeys: ["source"] });
  }
  if (key === "PUT /api/servers/{id}") {
    return fc.record({
      display_name: fc.string({ maxLength: 30 }),
      description: fc.string({ maxLength: 60 }),
      active: fc.boolean(),
      lifecycle: fc.constantFrom("session", "call", "shared"),
      args: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
      name: fc.constantFrom("renamed-a", "seed-npx", "seed-remote", "Bad Name", "../x"),
    }, { requiredKeys: [] });
  }
  if (key === "PUT /api/servers/{id}/env/{key}") {
    return fc.record({ value: fc.string({ maxLength: 40 }), secret: fc.boolean() }, {
      requiredKeys: ["value"],
    });
  }
  if (key === "POST /api/servers") {
    return fc.record({
      name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
      runtime: fc.constant("npx"),
      command: fc.constant("npx"),
      args: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
    });
  }
  return null;
}

function bodyArb(
  op: Operation,
  resolve: (ref: string) => JsonSchema,
): fc.Arbitrary<Generated["body"]> {
  const conforming = op.bodySchema
    ? schemaArb(op.bodySchema, resolve)
    : fc.jsonValue({ maxDepth: 2 });
  const json = (label: string) => (value: unknown) => ({ kind: "json" as const, value, label });
  const text = (label: string, type = "application/json") => (t: string) => ({
    kind: "text" as const,
    text: t,
    type,
    label,
  });
  const plausible = plausibleBody(op);
  return fc.oneof(
    { weight: plausible ? 4 : 0, arbitrary: (plausible ?? conforming).map(json("plausible")) },
    { weight: 4, arbitrary: conforming.map(json("conforming")) },
    { weight: 3, arbitrary: mutated(conforming).map(json("mutated")) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json("arbitrary JSON")) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }).map(json("anything")) },
    { weight: 1, arbitrary: deepJsonText.map(text("deep JSON")) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map(text("not JSON")) },
    {
      weight: 1,
      arbitrary: conforming.map((v) => JSON.stringify(v) ?? "null").map(
        text("wrong content-type", "text/plain"),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant("x".repeat(MAX_BODY + 10)).map((s) => `{"a":"${s}"}`).map(
        text("too large"),
      ),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
  );
}

function generatedArb(
  op: Operation,
  resolve: (ref: string) => JsonSchema,
): fc.Arbitrary<Generated> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const canHaveBody = op.method !== "GET" && op.method !== "HEAD";
  return fc.record({
    params: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, paramArb(p, resolve)]))),
    query: fc.tuple(...queryParams.map((p) =>
      fc.option(
        fc.oneof(schemaArb(p.schema, resolve).map(String), hostileString).map((v) =>
          [p.name, v] as [string, string]
        ),
        { nil: undefined },
      )
    )).map((qs) => qs.filter((q): q is [string, string] => q !== undefined)),
    body: canHaveBody
      ? (op.bodySchema ? bodyArb(op, resolve) : fc.oneof(
        { weight: 4, arbitrary: fc.constant({ kind: "none" as const }) },
        { weight: 1, arbitrary: bodyArb(op, resolve) },
      ))
      : fc.constant({ kind: "none" as const }),
    ifMatch: op.method === "PUT" ? fc.option(ASCII_HOSTILE, { nil: null }) : fc.constant(null),
  });
}

function buildRequest(
  op: Operation,
  g: Generated,
  ids: Map<string, string>,
): [string, RequestInit] {
  let path = op.path;
  for (const [name, { value, encode }] of Object.entries(g.params)) {
    const resolved = value.startsWith("$seed-") ? ids.get(value.slice(1)) ?? value : value;
    path = path.replace(`{${name}}`, encode ? encodeURIComponent(resolved) : resolved);
  }
  if (g.query.length) path += `?${new URLSearchParams(g.query)}`;
  const headers = new Headers();
  if (g.ifMatch !== null) headers.set("if-match", g.ifMatch);
  const init: RequestInit = { method: op.method, headers };
  if (g.body.kind === "json") {
    headers.set("content-type", "application/json");
    init.body = JSON.stringify(g.body.value) ?? "null";
  } else if (g.body.kind === "text") {
    headers.set("content-type", g.body.type);
    init.body = g.body.text;
  }
  return [path, init];
}

Deno.test("Hostile - fuzzing every OpenAPI operation: no 5xx, JSON errors, rejected requests change nothing", async () => {
  // A local stand-in for GitHub that knows no repository (loopback only, answers at once).
  const github = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => Response.json({ message: "Not Found" }, { status: 404 }),
  );
  await using r = await hostileRouter({
    maxBodyBytes: MAX_BODY,
    githubApiUrl: `http://127.0.0.1:${github.addr.port}`,
    anthropicBaseUrl: `http://127.0.0.1:${github.addr.port}`,
  });
  const started = performance.now();
  const tally = new Tally("OpenAPI fuzz (requests per operation)");
  const outcomes = new Tally("OpenAPI fuzz (outcomes)");
  try {
    const docRes = await r.app.request("/api/openapi.json");
    assert.equal(docRes.status, 200);
    const doc = await docRes.json() as OpenApiDoc;
    const resolve = (ref: string) =>
      doc.components.schemas[ref.replace("#/components/schemas/", "")];
    const ops = operationsOf(doc);
    assert.ok(ops.length >= 10, `found ${ops.length} operations`);
    for (const op of ops) {
      const label = `${op.method} ${op.path}`;
      await fc.assert(
        fc.asyncProperty(generatedArb(op, resolve), async (g) => {
          const ids = await ensureSeeds(r);
          const [path, init] = buildRequest(op, g, ids);
          const before = await snapshotStore(r.services.store.kv);
          const res = await r.app.request(path, init);
          const text = await res.text();
          const after = await snapshotStore(r.services.store.kv);
          tally.add(label);
          outcomes.add(`${label} → ${res.status}`);
          const what = `${label} ${path.slice(0, 120)} body=${
            g.body.kind === "none" ? "none" : g.body.label
          } → ${res.status} ${text.slice(0, 300)}`;
          const documented = op.responses.includes(String(res.status));
          assert.ok(res.status < 500 || documented, `undocumented 5xx: ${what}`);
          // unencoded `../` can normalise the URL out of /api (then the HTML 404 is right)
          const inApi = new URL(path, "http://localhost").pathname.startsWith("/api/");
          if (res.status >= 400 && inApi) {
            let body: { error?: { code?: unknown; message?: unknown } };
            try {
              body = JSON.parse(text);
            } catch {
              assert.fail(`error body is not JSON: ${what}`);
            }
            assert.equal(typeof body.error?.code, "string", what);
            assert.equal(typeof body.error?.message, "string", what);
          }
          assert.ok(!text.includes("s3cr3t-value"), `secret leaked: ${what}`);
          if (res.status >= 400) {
            const changed = snapshotDiff(before, after);
            assert.deepEqual(changed, [], `a rejected request changed the store: ${what}`);
          }
        }),
        { numRuns: RUNS_PER_OPERATION },
      );
    }
    const { problems, servers, envValues } = await storeProblems(r.services.store.kv);
    assert.deepEqual(problems, [], "the store is consistent after fuzzing");
    console.log(`store after fuzzing: ${servers} servers, ${envValues} env values, consistent`);
  } finally {
    await github.shutdown();
  }
  tally.print();
  if (Deno.env.get("HOSTILE_VERBOSE")) outcomes.print();
  console.log(`fuzz time: ${Math.round(performance.now() - started)} ms`);
  assert.ok(performance.now() - started < 60_000, "the fuzz stays under 60 s");
});
