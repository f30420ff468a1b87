/**
 * @module A server's env for one launch, in one place: its stored values (secrets decrypted),
 * plan defaults for keys without a value, and the required keys that have neither. Every launch
 * path uses it — MCP calls, `POST /api/servers/{id}/test`, the admin UI's test button, the CLI's
 * `test`.
 */
import { AppError } from "../errors.ts";
import type { ServerRecord } from "../schemas/server.ts";
import type { EnvStore } from "../store/store.ts";

/** What a launch gets, and what stops it. */
export interface LaunchEnv {
  /** Stored values plus plan defaults for the keys without one. */
  env: Record<string, string>;
  /** Required keys with neither a stored value nor a default (the launch must not start). */
  missing: string[];
}

/**
 * Fill plan defaults into env values: a key without a value gets its spec's default.
 * @param server the server (its env specs)
 * @param values the values set so far (not changed)
 * @returns a new object with the defaults added
 */
export function withEnvDefaults(
  server: Pick<ServerRecord, "env">,
  values: Record<string, string>,
): Record<string, string> {
  const env = { ...values };
  for (const spec of server.env) {
    if (!(spec.key in env) && spec.default !== undefined) env[spec.key] = spec.default;
  }
  return env;
}

/**
 * Required keys of a server with neither a value nor a default.
 * @param server the server (its env specs)
 * @param values its stored values
 */
export function missingRequiredEnv(
  server: Pick<ServerRecord, "env">,
  values: Record<string, string>,
): string[] {
  return server.env.filter((s) => s.required && !(s.key in values) && s.default === undefined)
    .map((s) => s.key);
}

/**
 * Resolve a server's env for a launch.
 * @param store where its values live (secret ones are decrypted)
 * @param server the server to launch
 */
export async function resolveLaunchEnv(
  store: Pick<EnvStore, "getEnvValues">,
  server: Pick<ServerRecord, "id" | "env">,
): Promise<LaunchEnv> {
  const values = await store.getEnvValues(server.id);
  // The store hands out the same values object while they are unchanged: so is the result,
  // and what is derived from it (the connection fingerprint) is computed once.
  const hit = resolved.get(values);
  if (hit && hit.server === server) return hit.result;
  const result = {
    env: withEnvDefaults(server, values),
    missing: missingRequiredEnv(server, values),
  };
  resolved.set(values, { server, result });
  return result;
}

/** The last launch env resolved from a values object, and the server it was resolved for. */
const resolved = new WeakMap<object, { server: object; result: LaunchEnv }>();

/** The one-line message for missing required env values: `missing required env values: A, B`. */
export function missingEnvMessage(missing: string[]): string {
  return `missing required env values: ${missing.join(", ")}`;
}

/**
 * Resolve a server's env for a launch that must not start without its required values.
 * @param store where its values live
 * @param server the server to launch
 * @returns the env to launch with
 * @throws {AppError} 400 `validation_failed` naming the missing keys (`details.missing`)
 */
export async function requireLaunchEnv(
  store: Pick<EnvStore, "getEnvValues">,
  server: Pick<ServerRecord, "id" | "env">,
): Promise<Record<string, string>> {
  const { env, missing } = await resolveLaunchEnv(store, server);
  if (missing.length > 0) {
    throw new AppError("validation_failed", 400, missingEnvMessage(missing), {
      details: { missing },
    });
  }
  return env;
}
