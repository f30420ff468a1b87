/**
 * @module The review form's command-line value fields (`argfield.<i>.<part>`): a plan's
 * `arg_fields` as form rows, the rows read back from a submitted form (their definitions ride
 * along as hidden inputs, so a re-rendered form keeps them), and the rows as plan input and values.
 */
import type { ArgFieldRowValues } from "../../views/types.ts";

/** Most fields read from one form (the plan allows 20). */
const MAX_ROWS = 20;

/**
 * Form rows for a plan's `arg_fields` (none when it has none).
 * @param fields the plan's `arg_fields`, unvalidated
 */
export function argFieldRows(fields: unknown): ArgFieldRowValues[] {
  if (!Array.isArray(fields)) return [];
  return fields.slice(0, MAX_ROWS).map((f: Record<string, unknown>) => ({
    flag: String(f?.flag ?? ""),
    description: String(f?.description ?? ""),
    required: f?.required !== false,
    secret: f?.secret === true,
    equals: f?.equals === true,
    value: "",
    sealed: "",
  }));
}

/**
 * The argument rows of a submitted form, in index order; undefined when it has none.
 * @param form the submitted form
 */
export function parseArgFieldRows(form: FormData): ArgFieldRowValues[] | undefined {
  const rows = new Map<number, ArgFieldRowValues>();
  for (const [name, value] of form.entries()) {
    const m = /^argfield\.(\d{1,2})\.(flag|description|required|secret|equals|value|sealed)$/
      .exec(name);
    if (!m || typeof value !== "string" || Number(m[1]) >= MAX_ROWS) continue;
    const i = Number(m[1]);
    const row = rows.get(i) ?? {
      flag: "",
      description: "",
      required: false,
      secret: false,
      equals: false,
      value: "",
      sealed: "",
    };
    rows.set(i, row);
    const part = m[2];
    if (part === "required" || part === "secret" || part === "equals") row[part] = value === "1";
    else row[part as "flag" | "description" | "value" | "sealed"] = value;
  }
  if (rows.size === 0) return undefined;
  return [...rows].sort(([a], [b]) => a - b).map(([, row]) => row);
}

/** The rows as the plan's `arg_fields` (`PlanSchema` input). */
export function argFieldsInput(rows: readonly ArgFieldRowValues[]): Record<string, unknown>[] {
  return rows.map((r) => ({
    flag: r.flag,
    description: r.description,
    required: r.required,
    secret: r.secret,
    equals: r.equals,
  }));
}

/** The typed values, by field index (what `fillArgFields` takes). */
export function argFieldValues(rows: readonly ArgFieldRowValues[]): string[] {
  return rows.map((r) => r.value);
}
