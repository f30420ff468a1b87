/**
 * @module Filling a plan's `arg_fields` (command-line values the README showed as placeholders)
 * with the user's values on save, for the REST API and the admin UI alike: each filled value is
 * appended to `args` (`flag value`, or `flag=value` as the README wrote it), in the order of the
 * fields. A secret value is not written into `args`: it becomes a secret env value under a new key
 * (`ARG_PASSWORD`) and the argument carries `${ARG_PASSWORD}`, which the container's secret loader
 * fills in (runtime/podman/backend.ts), so it is encrypted at rest and masked like any secret.
 */
import { AppError } from "../errors.ts";
import type { ArgField, EnvVarSpec, Plan } from "../schemas/server.ts";
import type { Store } from "../store/store.ts";

/** Result of {@linkcode fillArgFields}. */
export interface FilledArgs {
  /** The plan with the values in `args` (and secret keys in `env`), without `arg_fields`. */
  plan: Plan;
  /** Secret values to store as env values of the saved server. */
  secrets: { key: string; value: string }[];
  /** Indexes of required fields left empty (nothing is applied when there are any). */
  missing: number[];
}

/** The env key for a secret argument (`--api-key` → `ARG_API_KEY`), unused by `taken`. */
function argKey(flag: string, taken: Set<string>): string {
  const base = `ARG_${flag.replace(/^-+/, "").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}`
    .replace(/_+$/, "").slice(0, 100);
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  taken.add(key);
  return key;
}

/**
 * Apply the user's values to a plan's `arg_fields`.
 * @param plan a validated plan
 * @param values the value of each field, by index ("" or missing: left empty)
 * @param options `pendingAsEnv`: a required field left empty becomes a required secret env value
 *   to set later (`--password ${ARG_PASSWORD}`) instead of a `missing` entry
 * @returns the filled plan, the secrets to store, and the required fields left empty
 */
export function fillArgFields(
  plan: Plan,
  values: readonly (string | undefined)[],
  options: { pendingAsEnv?: boolean } = {},
): FilledArgs {
  const fields: readonly ArgField[] = plan.arg_fields ?? [];
  const missing = fields.flatMap((f, i) => f.required && !(values[i] ?? "").trim() ? [i] : []);
  const { arg_fields: _dropped, ...rest } = plan;
  if (missing.length && !options.pendingAsEnv) return { plan, secrets: [], missing };
  const taken = new Set(plan.env.map((e) => e.key));
  const args = [...plan.args];
  const env: EnvVarSpec[] = [...plan.env];
  const secrets: FilledArgs["secrets"] = [];
  // A value kept out of `args`: a required secret env value the argument names as `${KEY}`.
  const envRef = (f: ArgField): string => {
    const key = argKey(f.flag, taken);
    env.push({
      key,
      description: f.description || `value for ${f.flag}`,
      required: true,
      secret: true,
    });
    return key;
  };
  fields.forEach((f, i) => {
    const value = values[i] ?? "";
    let passed = value;
    if (!value.trim()) {
      // A plan saved as is: a required value left out waits in a required env value of its own
      // (the server stays `needs_setup` until it is set, like any missing required env).
      if (!f.required || !options.pendingAsEnv) return;
      passed = `\${${envRef(f)}}`;
    } else if (f.secret) {
      const key = envRef(f);
      secrets.push({ key, value });
      passed = `\${${key}}`;
    }
    if (f.equals) args.push(`${f.flag}=${passed}`);
    else args.push(f.flag, passed);
  });
  return { plan: { ...rest, args, env } as Plan, secrets, missing: [] };
}

/**
 * The API's values by flag (`{"--password": "…"}`) as {@linkcode fillArgFields} takes them.
 * @param plan the plan whose `arg_fields` they fill
 * @param byFlag flag → value
 */
export function valuesByFlag(plan: Plan, byFlag: Record<string, string>): string[] {
  return (plan.arg_fields ?? []).map((f) => byFlag[f.flag] ?? "");
}

/**
 * The 400 for required argument values left empty, naming their flags.
 * @param plan the plan whose fields they are
 * @param missing indexes into `plan.arg_fields`
 */
export function missingArgsError(plan: Plan, missing: readonly number[]): AppError {
  const flags = missing.map((i) => plan.arg_fields?.[i]?.flag ?? String(i));
  return new AppError(
    "validation_failed",
    400,
    `required command-line values missing: ${flags.join(", ")} (give them in arg_values)`,
    { details: flags.map((flag) => ({ path: `arg_values.${flag}`, message: "required" })) },
  );
}

/**
 * Store the secret argument values of a saved server as secret env values, audited without
 * their values.
 * @param store the store
 * @param server the saved server
 * @param secrets what {@linkcode fillArgFields} returned
 * @param actor who saved it
 */
export async function storeArgSecrets(
  store: Store,
  server: { id: string; name: string },
  secrets: FilledArgs["secrets"],
  actor: string,
): Promise<void> {
  for (const { key, value } of secrets) {
    await store.setEnv(server.id, key, value, true);
    await store.appendAudit({
      actor,
      action: "server.env.set",
      target: server.name,
      details: { key, secret: true, value: "[secret]" },
    });
  }
}
