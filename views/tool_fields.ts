/**
 * @module Try-it fields: a tool's JSON Schema (top-level properties) as form controls —
 * strings, numbers/integers, booleans (checkbox), enums (select), arrays/objects (JSON).
 */

/** One generated control. */
export interface ToolField {
  name: string;
  kind: "string" | "number" | "integer" | "boolean" | "enum" | "json";
  required: boolean;
  description?: string;
  /** Enum choices as strings (with their original values). */
  choices?: { label: string; value: unknown }[];
  /** Default from the schema, as the form shows it. */
  defaultText?: string;
  /** Multi-line string (format/length hints) */
  multiline?: boolean;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

function typeOf(schema: Record<string, unknown>): string | undefined {
  const t = schema.type;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x) => typeof x === "string" && x !== "null") as string;
  for (const key of ["anyOf", "oneOf"]) {
    const alts = schema[key];
    if (Array.isArray(alts)) {
      const found = alts.map(asRecord).map((a) => a.type).find((x) =>
        typeof x === "string" && x !== "null"
      );
      if (typeof found === "string") return found;
    }
  }
  return undefined;
}

/**
 * The form fields for a tool's input schema.
 * @param inputSchema the tool's `inputSchema`
 */
export function toolFields(inputSchema: Record<string, unknown>): ToolField[] {
  const props = asRecord(inputSchema.properties);
  const required = new Set(
    Array.isArray(inputSchema.required) ? inputSchema.required.map(String) : [],
  );
  return Object.entries(props).map(([name, raw]) => {
    const schema = asRecord(raw);
    const description = typeof schema.description === "string" ? schema.description : undefined;
    const base = { name, required: required.has(name), description };
    const def = schema.default;
    const enumValues = Array.isArray(schema.enum)
      ? schema.enum
      : schema.const !== undefined
      ? [schema.const]
      : null;
    if (enumValues) {
      return {
        ...base,
        kind: "enum" as const,
        choices: enumValues.map((v) => ({
          label: typeof v === "string" ? v : JSON.stringify(v),
          value: v,
        })),
        defaultText: def === undefined
          ? undefined
          : typeof def === "string"
          ? def
          : JSON.stringify(def),
      };
    }
    const t = typeOf(schema);
    const kind = t === "string" || t === "number" || t === "integer" || t === "boolean"
      ? t
      : "json";
    const defaultText = def === undefined
      ? undefined
      : kind === "json"
      ? JSON.stringify(def, null, 2)
      : String(def);
    const multiline = kind === "string" &&
      (typeof schema.maxLength !== "number" || schema.maxLength > 200) &&
      /text|content|code|body|query|script|prompt|markdown|message/i.test(name);
    return { ...base, kind, defaultText, multiline };
  });
}
