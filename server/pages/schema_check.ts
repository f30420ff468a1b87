/**
 * @module Schema check: form input checked against a JSON Schema (a tool's `inputSchema`, an
 * elicitation's `requestedSchema`) before anything is sent, with one message per field. Uses
 * the Ajv the SDK bundles (with its formats: email, uri, date…).
 */
import { addFormats, Ajv } from "@modelcontextprotocol/client/validators/ajv";
import type { FieldErrors } from "../../views/types.ts";

const engine = new Ajv({ strict: false, validateSchema: false, allErrors: true });
addFormats(engine);

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

type Compiled = ((value: unknown) => boolean) & { errors?: AjvIssue[] | null };

/** Schemas compiled, by their JSON (records are read afresh per request, so not by object). */
const compiled = new Map<string, { fn: Compiled | null; schema: object }>();
/** Most schemas kept compiled; the oldest is dropped (from Ajv's own cache too). */
const MAX_COMPILED = 256;

function compile(schema: Record<string, unknown>): Compiled | null {
  // Tool schemas are draft-07 or 2020-12; what tools use reads the same in both.
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  const key = JSON.stringify(rest);
  const hit = compiled.get(key);
  if (hit) return hit.fn;
  let fn: Compiled | null = null;
  try {
    fn = engine.compile(rest) as unknown as Compiled;
  } catch {
    fn = null; // a schema Ajv cannot read: the server checks its own input
  }
  compiled.set(key, { fn, schema: rest });
  if (compiled.size > MAX_COMPILED) {
    const [oldest, entry] = compiled.entries().next().value!;
    compiled.delete(oldest);
    engine.removeSchema(entry.schema);
  }
  return fn;
}

/**
 * Check `value` against `schema`.
 * @param schema a JSON Schema of an object
 * @param value the arguments or answer built from the form
 * @param prefix the form field name prefix of top-level properties (default `arg.`)
 * @returns field name → message (empty when valid or the schema cannot be read)
 */
export function checkAgainstSchema(
  schema: Record<string, unknown>,
  value: Record<string, unknown>,
  prefix = "arg.",
): FieldErrors {
  const validate = compile(schema);
  if (!validate || validate(value)) return {};
  const errors: FieldErrors = {};
  for (const issue of validate.errors ?? []) {
    const top = issue.instancePath.split("/")[1];
    const missing = issue.keyword === "required" ? String(issue.params.missingProperty) : null;
    const name = missing ??
      (top ? decodeURIComponent(top.replace(/~1/g, "/").replace(/~0/g, "~")) : null);
    const key = name ? `${prefix}${name}` : "_form";
    const text = missing ? "required" : issue.message ?? "invalid";
    const path = issue.instancePath.split("/").slice(2).join("/");
    errors[key] ??= path ? `${path}: ${text}` : text;
  }
  return errors;
}
