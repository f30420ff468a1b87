/**
 * @module Try-it fields: a tool's JSON Schema (top-level properties) as form controls —
 * strings, numbers/integers, booleans (checkbox), enums (select), arrays/objects (JSON).
 */

/** One generated control. */
export interface ToolField {
  name: string;
  kind: "string" | "number" | "integer" | "boolean" | "enum" | "multi" | "json";
  required: boolean;
  description?: string;
  /** The schema's `title` (elicitation fields have one). */
  title?: string;
  /** The schema's `format` for strings (`email`, `uri`, `date`, `date-time`). */
  format?: string;
  /** Enum choices as strings (with their original values); `multi`: the items' choices. */
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

/** Choices of an enum schema: `enum` (with `enumNames`), or `oneOf`/`anyOf` of `const`s. */
function choicesOf(schema: Record<string, unknown>): { label: string; value: unknown }[] | null {
  const label = (v: unknown) => typeof v === "string" ? v : JSON.stringify(v);
  if (Array.isArray(schema.enum)) {
    const names = Array.isArray(schema.enumNames) ? schema.enumNames : [];
    return schema.enum.map((v, i) => ({
      label: typeof names[i] === "string" ? `${names[i]} (${label(v)})` : label(v),
      value: v,
    }));
  }
  if (schema.const !== undefined) return [{ label: label(schema.const), value: schema.const }];
  for (const key of ["oneOf", "anyOf"]) {
    const alts = schema[key];
    if (!Array.isArray(alts) || alts.length === 0) continue;
    const consts = alts.map(asRecord);
    if (!consts.every((a) => a.const !== undefined)) continue;
    return consts.map((a) => ({
      label: typeof a.title === "string" ? `${a.title} (${label(a.const)})` : label(a.const),
      value: a.const,
    }));
  }
  return null;
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
    const base = {
      name,
      required: required.has(name),
      description,
      title: typeof schema.title === "string" ? schema.title : undefined,
      format: typeof schema.format === "string" ? schema.format : undefined,
    };
    const def = schema.default;
    const choices = choicesOf(schema);
    if (choices) {
      return {
        ...base,
        kind: "enum" as const,
        choices,
        defaultText: def === undefined
          ? undefined
          : typeof def === "string"
          ? def
          : JSON.stringify(def),
      };
    }
    const itemChoices = schema.type === "array" ? choicesOf(asRecord(schema.items)) : null;
    if (itemChoices) {
      return {
        ...base,
        kind: "multi" as const,
        choices: itemChoices,
        defaultText: Array.isArray(def) ? JSON.stringify(def) : undefined,
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
