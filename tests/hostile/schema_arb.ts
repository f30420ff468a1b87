/**
 * @module fast-check arbitraries derived from the OpenAPI document's JSON Schemas: values that
 * conform (mostly), mutated ones, and hostile strings for path and query parameters.
 */
import fc from "fast-check";

/** The subset of JSON Schema the router's OpenAPI document uses. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
}

/** Resolves `#/components/schemas/…` references. */
export type Resolver = (ref: string) => JsonSchema;

/** Strings chosen to break path handling, parsers and encodings. */
export const HOSTILE_STRINGS: readonly string[] = [
  "../../etc/passwd",
  "..%2f..%2fetc%2fpasswd",
  "%2e%2e%2f%2e%2e%2f",
  "..\\..\\windows",
  "..",
  ".",
  "/",
  "%00",
  "a\u0000b",
  "\r\nSet-Cookie: x=1",
  "a\nb",
  "x".repeat(201),
  "y".repeat(10_000),
  "日本語-サーバー",
  "💥🔥",
  "\u202e\u0000",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "${HOME}",
  "$(id)",
  "`id`",
  "__proto__",
  "constructor",
  "%",
  "%zz",
  " ",
  "",
  "null",
  "-1",
  "1e400",
  "NaN",
];

/** A hostile string, or any string fast-check likes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
);

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ["object"];
  return ["string"];
}

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.format === "uri") {
    return fc.constantFrom("https://example.com/mcp", "http://127.0.0.1:9/sse", "not a url");
  }
  if (schema.format === "date-time") {
    return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  }
  const max = Math.min(schema.maxLength ?? 40, 40);
  return fc.string({ minLength: Math.min(schema.minLength ?? 0, max), maxLength: max });
}

/**
 * An arbitrary of values conforming (loosely: cross-field rules are not modelled) to `schema`.
 * @param schema a JSON Schema from the document
 * @param resolve resolves `$ref`s
 */
export function schemaArb(schema: JsonSchema, resolve: Resolver, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return schemaArb(resolve(schema.$ref), resolve, depth);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => schemaArb(s, resolve, depth)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const arbs = typesOf(schema).map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case "string":
        return stringArb(schema);
      case "integer":
        return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
      case "number":
        return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return depth > 4 ? fc.constant([]) : fc.array(
          schema.items ? schemaArb(schema.items, resolve, depth + 1) : fc.jsonValue(),
          { maxLength: Math.min(schema.maxItems ?? 3, 3) },
        );
      case "object": {
        if (depth > 4 || !schema.properties) return fc.constant({});
        const required = new Set(schema.required ?? []);
        const entries = Object.entries(schema.properties);
        return fc.record(
          Object.fromEntries(entries.map(([k, s]) => [k, schemaArb(s, resolve, depth + 1)])),
          { requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)) },
        );
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  });
  return arbs.length === 1 ? arbs[0] : fc.oneof(...arbs);
}

/**
 * A conforming value with one field replaced by something arbitrary (or removed).
 * @param base arbitrary of conforming objects
 */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.nat(), fc.oneof(fc.anything({ maxDepth: 3 }), fc.constant(undefined)))
    .map(([value, pick, replacement]) => {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return replacement;
      const keys = Object.keys(value);
      if (keys.length === 0) return { [String(pick)]: replacement };
      const copy: Record<string, unknown> = { ...value };
      const key = keys[pick % keys.length];
      if (replacement === undefined) delete copy[key];
      else copy[key] = replacement;
      return copy;
    });
}

/** Nested JSON text deeper than any limit (not built as a value: it is never parsed here). */
export const deepJsonText: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom(65, 1_000, 100_000),
  fc.boolean(),
).map(([n, arrays]) =>
  arrays ? "[".repeat(n) + "]".repeat(n) : '{"a":'.repeat(n) + "0" + "}".repeat(n)
);
